"""``python -m sandbox.experiments``."""

import sys

from sandbox.experiments.cli import main

sys.exit(main())
