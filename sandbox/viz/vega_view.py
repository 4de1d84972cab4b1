"""A Vega-Lite chart in the browser that keeps its view between redraws.

Solara's ``FigureAltair`` / ``VegaLite`` re-embed the whole chart on every change: vega-lite
compiles the spec again and vega builds a new view and SVG, ~0.1 s a chart in Chromium, and
any zoom is lost. :class:`VegaView` embeds once per *grammar* (the spec without its daily
data) and on a redraw only swaps the named datasets into the live view
(``view.data(name, rows)``), so Vega updates the marks it has. The grammar and the data come
from :func:`sandbox.viz.mapchart.map_spec` and :func:`sandbox.viz.plotcharts.plot_spec`:
their ``datasets`` that change every day go to ``datasets``, the rest (the basemap) stays in
the grammar.

The browser loads vega, vega-lite and vega-embed through Solara's CDN proxy (cached offline
by ``scripts/prepare-viz``), as solara's own widget does. After every drawing the chart's
element gets ``data-drawn`` = a count of drawings: the browser tests and
``benchmarks/browser_step.py`` wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipyvuetify as v
import solara
import traitlets

TEMPLATE = r"""
<template>
  <div ref="plot" :class="css_class"></div>
</template>
<script>
module.exports = {
  mounted() { this.seq = 0; this.embed(); },
  destroyed() { if (this.view) { this.view.finalize(); } },
  watch: {
    spec() { this.embed(); },
    datasets() { this.update(); },
    listen_to_click() { this.embed(); },
  },
  methods: {
    loadVega() {
      if (!window.__sandboxVega) {
        const cdn = this.cdn || (window.solara && window.solara.cdn) || '/_solara/cdn';
        const start = (resolve, reject) => {
          window.requirejs.config({map: {'*': {
            'vega': `${cdn}/vega@5/build/vega.min.js`,
            'vega-lite': `${cdn}/vega-lite@5/build/vega-lite.min.js`,
            'vega-embed': `${cdn}/vega-embed@6/build/vega-embed.min.js`,
          }}});
          window.requirejs(['vega-embed'], (embed) => resolve(embed), reject);
        };
        window.__sandboxVega = new Promise((resolve, reject) => {
          if (window.requirejs) { start(resolve, reject); return; }
          const script = document.createElement('script');
          script.src = `${cdn}/requirejs@2.3.6/require.js`;
          script.onload = () => start(resolve, reject);
          script.onerror = reject;
          document.head.appendChild(script);
        });
      }
      return window.__sandboxVega;
    },
    copied() { return JSON.parse(JSON.stringify(this.datasets || {})); },
    mark() {
      this.drawn = this.drawn + 1;  // synced: the server's play loop waits for it
      this.$refs.plot.dataset.drawn = String(this.drawn);
    },
    async embed() {
      const seq = ++this.seq;
      if (!this.spec || !Object.keys(this.spec).length) { return; }  // not sent yet
      const vegaEmbed = await this.loadVega();
      const spec = JSON.parse(JSON.stringify(this.spec));
      // vega writes onto the rows it is given (ids, looked-up fields): give it copies, never
      // the synced objects, or the widget's state changes under it and is sent back
      spec.datasets = Object.assign({}, spec.datasets || {}, this.copied());
      const shown = this.datasets;
      const options = Object.assign(
        {renderer: 'svg', actions: false}, (spec.usermeta || {}).embedOptions || {});
      const result = await vegaEmbed(this.$refs.plot, spec, options);
      if (seq !== this.seq) { result.finalize(); return; }
      if (this.view) { this.view.finalize(); }
      this.view = result.view;
      if (this.listen_to_click) {
        this.view.addEventListener('click', (event, item) => {
          this.chart_click(item && item.datum ? JSON.parse(JSON.stringify(item.datum)) : null);
        });
      }
      if (shown !== this.datasets) { await this.update(); } else { this.mark(); }
    },
    async update() {
      if (!this.view) { return; }
      const view = this.view;
      for (const [name, rows] of Object.entries(this.copied())) { view.data(name, rows); }
      await view.runAsync();
      if (view === this.view) { this.mark(); }
    },
  },
}
</script>
"""


class VegaView(v.VuetifyTemplate):  # type: ignore[misc]
    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    datasets = traitlets.Dict().tag(sync=True)
    listen_to_click = traitlets.Bool(False).tag(sync=True)
    css_class = traitlets.Unicode("").tag(sync=True)
    cdn = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    drawn = traitlets.Int(0).tag(sync=True)  # drawings made by the browser (it counts)
    on_click = traitlets.Callable(None, allow_none=True)
    on_drawn = traitlets.Callable(None, allow_none=True)

    @traitlets.observe("drawn")
    def _drawn(self, change: Any) -> None:
        if self.on_drawn is not None:
            self.on_drawn(change["new"])

    def vue_chart_click(self, datum: Any = None) -> None:
        if self.on_click is not None:
            self.on_click(datum)


def split(spec: dict[str, Any], daily: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(grammar, daily datasets): the spec without the ``daily`` datasets, and those."""
    datasets = spec.get("datasets", {})
    grammar = {k: v for k, v in spec.items() if k != "datasets"}
    grammar["datasets"] = {k: v for k, v in datasets.items() if k not in daily}
    return grammar, {k: datasets[k] for k in daily if k in datasets}


class Payload:
    """A chart's grammar and daily data, opaque to reacton: reacton walks every dict and
    list among an element's arguments looking for child elements (0.2 s a redraw for the
    rows of a 1,000-node map), so the rows reach the widget through an effect instead."""

    __slots__ = ("data", "grammar")

    def __init__(self, spec: dict[str, Any], daily: tuple[str, ...]) -> None:
        self.grammar, self.data = split(spec, daily)


@solara.component
def VegaChart(
    payload: Payload,
    css_class: str = "",
    on_click: Callable[[Any], None] | None = None,
    on_drawn: Callable[[int], None] | None = None,
) -> Any:
    """The chart as a :class:`VegaView`: a new grammar re-embeds it, new daily data update
    the live view; ``on_drawn(count)`` is called after each drawing in the browser."""
    el = VegaView.element(
        css_class=css_class,
        listen_to_click=on_click is not None,
        on_click=on_click,
        on_drawn=on_drawn,
    )

    def push() -> None:
        widget = solara.get_widget(el)
        with widget.hold_sync():
            if widget.spec != payload.grammar:
                widget.spec = payload.grammar
            widget.datasets = payload.data

    solara.use_effect(push, [payload])
    return el


def vega_view(
    spec: dict[str, Any],
    daily: tuple[str, ...],
    css_class: str = "",
    on_click: Callable[[Any], None] | None = None,
    on_drawn: Callable[[int], None] | None = None,
) -> Any:
    """``spec`` drawn by a :class:`VegaChart`; its ``daily`` datasets update the live view."""
    return VegaChart(Payload(spec, daily), css_class, on_click, on_drawn)
