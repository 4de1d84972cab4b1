"""The browser face of the sandbox: a Mesa ``SolaraViz`` app (``sandbox viz``).

* :mod:`sandbox.viz.params` -- the controls (map, seed, levers) and
  :class:`~sandbox.viz.params.VizModel`, the model SolaraViz rebuilds on Reset.
* :mod:`sandbox.viz.mapview` -- the map at real coordinates, drawn from the state arrays.
* :mod:`sandbox.viz.components` -- status panel, map and plot components.
* :mod:`sandbox.viz.app` -- the Solara page (``solara run sandbox/viz/app.py``).

The viz imports the model; the model package never imports the viz. Nothing here
is imported by ``import sandbox``.
"""
