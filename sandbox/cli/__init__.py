"""The ``sandbox`` command line: one module per subcommand, :mod:`sandbox.cli.main` the entry."""
