"""The browser face of the sandbox: a Solara app (``sandbox viz``) on a Mesa model.

* :mod:`sandbox.viz.params` -- the controls (map, seed, levers) and
  :class:`~sandbox.viz.params.VizModel`, the model Reset rebuilds from them.
* :mod:`sandbox.viz.levers` -- the lever controls, their labels and the Reset notice.
* :mod:`sandbox.viz.lesson_setup` -- each lesson's levers, plots, text and takeaway.
* :mod:`sandbox.viz.mapchart` -- the interactive map (Vega-Lite): tooltips, detail, zoom.
* :mod:`sandbox.viz.plotcharts` -- the time plots (Vega-Lite, whole-day axes).
* :mod:`sandbox.viz.vega_view` -- the widget that keeps a chart's view and swaps its rows.
* :mod:`sandbox.viz.mapview` -- the map data from the state arrays (and a matplotlib map).
* :mod:`sandbox.viz.components` -- status panel, map, node detail, lesson and plot panels.
* :mod:`sandbox.viz.controls` -- Reset, Play/Pause, Step and the play loop.
* :mod:`sandbox.viz.app` -- the Solara page (``solara run sandbox/viz/app.py``).

The viz imports the model; the model package never imports the viz. Nothing here
is imported by ``import sandbox``.
"""
