"""The app's interactive parts without a browser (issue 17): the Vega-Lite map and plots, the
node detail, lesson levers and plots, the takeaway button, the play loop's pace, the page."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("solara")

from sandbox import lessons
from sandbox.viz import lesson_setup as LS
from sandbox.viz.controls import PLAY_DAYS_PER_S, days_per_frame
from sandbox.viz.mapchart import BASEMAP_STEP_DEG, _thin, basemap_rows, map_spec, node_detail
from sandbox.viz.params import VizModel
from sandbox.viz.plotcharts import plot_spec
from sandbox.viz.vega_view import split


def stepped(model, n: int):
    for _ in range(n):
        model.step()
    return model


def layer_with(spec: dict, data_name: str) -> dict:
    return next(ly for ly in spec["layer"] if ly["data"] == {"name": data_name})


# ------------------------------------------------------------------ map


def test_map_tooltip_rows_carry_the_model_state():
    m = stepped(VizModel(map="examples/two_node.toml"), 3)
    s = m.state
    data = map_spec(m)["datasets"]
    names = {r["i"]: r["node"] for r in data["node_info"]}  # joined on i in the browser
    rows = {names[r["i"]]: r for r in data["nodes"]}
    assert set(rows) == {"plant", "front"}
    link_ask = float(s.today.requested[0, 0])  # the one link, plant -> front
    for node, row in rows.items():
        i = s.node_index[node]
        assert row["stock_ammunition"] == round(float(s.stock[i, 0]), 1)
        assert row["orders_in"] == round(float(s.orders_in[i, 0]), 1)
        fc = float(s.forecast[i, 0])
        assert row["days_of_supply"] == (f"{s.stock[i, 0] / fc:.1f}" if fc > 0 else "no demand")
    assert rows["front"]["ordered"] == round(link_ask, 1) and rows["plant"]["ordered"] == 0.0
    # the tooltip shows these fields, with readable titles
    tips = {
        t["field"]: t.get("title") for t in layer_with(map_spec(m), "nodes")["encoding"]["tooltip"]
    }
    assert tips["stock_ammunition"] == "stock ammunition"
    assert tips["days_of_supply"] == "days of supply (ammunition)"
    assert {"orders_in", "ordered", "node", "kind", "side"} <= set(tips)


def test_the_map_grammar_stays_while_its_data_move():
    """The browser keeps its view (and zoom) because only the daily datasets change."""
    m = stepped(VizModel(map="examples/chain.toml"), 1)
    g1, d1 = split(map_spec(m), ("nodes", "links"))
    stepped(m, 2)  # day 3: the first shipment has arrived
    g2, d2 = split(map_spec(m), ("nodes", "links"))
    assert g1 == g2 and d1 != d2
    assert {"basemap", "node_info", "link_info"} == set(g1["datasets"])
    assert set(d1) == {"nodes", "links"}
    zoom = g1["params"][0]
    assert zoom["name"] == "zoom" and zoom["bind"] == "scales"  # drag pans, wheel zooms


def test_basemap_lines_are_thinned_and_kept_to_the_frame():
    line = np.column_stack([30.0 + 0.125 * np.arange(17), np.full(17, 48.0)])  # 30 to 32
    kept = _thin(line, 0.25)  # every other point: 30, 30.25, ..., 32
    assert kept[:, 0].tolist() == [30.0 + 0.25 * k for k in range(9)]
    assert _thin(line[:2], 0.25)[:, 0].tolist() == [30.0, 30.125]  # the ends stay
    frame = (22.0, 40.0, 44.0, 53.0)
    rows = basemap_rows(frame)
    assert len(rows) > 100
    assert rows["lon"].between(22.0 - BASEMAP_STEP_DEG, 40.0 + BASEMAP_STEP_DEG).all()
    assert rows["lat"].between(44.0 - BASEMAP_STEP_DEG, 53.0 + BASEMAP_STEP_DEG).all()


def test_node_detail_reads_the_state():
    m = stepped(VizModel(map="examples/two_node.toml"), 3)
    s = m.state
    i = s.node_index["front"]
    rows = dict(node_detail(m, "front"))
    fc = float(s.forecast[i, 0])
    assert rows["ammunition stock"] == f"{s.stock[i, 0]:,.1f} ({s.stock[i, 0] / fc:.1f} days)"
    shipped_t = float(s.tonnes(s.today.shipped)[0])
    assert rows["link from plant"].startswith(f"{shipped_t:,.1f} t today of ")
    assert "units here" in rows


# ------------------------------------------------------------------ plots


def test_plots_have_one_row_per_day_and_series_and_whole_day_axes():
    m = VizModel(map="examples/sector.toml")
    assert plot_spec(m, "strength") is None  # nothing before the first step
    stepped(m, 4)
    spec = plot_spec(m, "strength")
    rows = spec["datasets"]["lines"]
    hist = m.datacollector.model_vars
    for side in ("blue", "red"):
        got = [r["value"] for r in rows if r["series"] == side]
        assert got == [round(float(v), 3) for v in hist[f"{side}.strength"]]
        assert [r["day"] for r in rows if r["series"] == side] == [1, 2, 3, 4]
    axis = spec["spec"]["encoding"]["x"]["axis"]
    assert axis == {"format": "d", "tickMinStep": 1}
    fire = plot_spec(m, "fire")
    assert {r["series"] for r in fire["datasets"]["lines"]} == {
        "blue rounds",
        "red rounds",
        "red:blue",
    }
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"


# ------------------------------------------------------------------ lessons and levers


def test_every_lesson_declares_its_levers_and_plots():
    names = {lesson.name for lesson in lessons.all_lessons()}
    assert names == set(LS.LESSONS)
    qq = LS.setup_for("quality_quantity")
    assert {"attrition_law", "red_supply", "red_quality"} <= set(qq.levers)
    assert qq.plots[0] == LS.STRENGTH
    assert LS.setup_for("") == LS.DEFAULT


def test_a_map_with_sectors_always_gets_the_strength_plot():
    no_strength = LS.AppSetup(levers=(), plots=(LS.STOCK, LS.FRONT))
    assert LS.plots_for(no_strength, has_sectors=True) == (LS.STRENGTH, LS.STOCK, LS.FRONT)
    assert LS.plots_for(no_strength, has_sectors=False) == (LS.STOCK,)


def test_supply_and_law_levers():
    base = VizModel(map="examples/sector.toml")
    m = VizModel(map="examples/sector.toml", red_supply=0.5, attrition_law="square")
    links = {(e.source, e.target): e.capacity_t for e in m.spec.spec.links}
    assert links[("red_plant", "red_front")] == 200.0  # 400 t/day halved
    assert links[("blue_plant", "blue_front")] == 200.0  # blue's unchanged
    assert base.spec.spec.sectors[0].law == "linear"
    assert m.spec.spec.sectors[0].law == "square"
    helm = VizModel(map="examples/sector.toml", attrition_law="helmbold").spec.spec.sectors[0]
    assert helm.law == {"p": 1.0, "q": 0.5}
    with pytest.raises(ValueError, match="attrition_law 'lanchester'"):
        VizModel(map="examples/sector.toml", attrition_law="lanchester")


def test_lesson_text_keeps_the_takeaway_apart():
    lesson = lessons.get("quality_quantity")
    text = LS.lesson_text("quality_quantity")
    assert text.body.startswith("### Lesson 4:") and lesson.takeaway not in text.body
    assert text.takeaway == lesson.takeaway


def test_takeaway_waits_for_the_first_step_and_the_button():
    import ipyvuetify as v
    import solara

    from sandbox.viz.components import TAKEAWAY_BUTTON, LessonPanel

    text = LS.LessonText("### Goal", "Numbers count squared.")

    def shown(day: int, click: bool = False) -> tuple[list[str], str]:
        _box, rc = solara.render(LessonPanel(text, day), handle_error=False)
        buttons = rc.find(v.Btn)
        if click:
            buttons.widget.click()
        labels = [str(b.children) for b in rc.find(v.Btn).widgets]
        md = " ".join(str(w.template) for w in rc.find(v.VuetifyTemplate).widgets)
        rc.close()
        return labels, md

    labels, md = shown(0)
    assert labels == [] and "Numbers count squared" not in md
    labels, md = shown(1)
    assert any(TAKEAWAY_BUTTON in b for b in labels) and "Numbers count squared" not in md
    _, md = shown(1, click=True)
    assert "Numbers count squared" in md


# ------------------------------------------------------------------ play pace


def test_play_makes_enough_days_a_frame():
    assert days_per_frame(2, 0.0) == 2  # fast frames: the slider's least
    assert days_per_frame(1, 0.5) == int(np.ceil(PLAY_DAYS_PER_S * 0.5))  # 0.5 s: 3 days
    assert days_per_frame(1, 100.0) == 30  # capped
    assert days_per_frame(5, 0.2) == 5


def test_the_lesson_levers_show_values_and_the_reset_notice():
    import ipyvuetify as v
    import solara

    from sandbox.viz.levers import NOTICE, LeverInputs, start_values

    m = VizModel(map="examples/sector.toml")
    levers = LS.setup_for("quality_quantity").levers

    def render(changes: dict) -> tuple[list[str], list[str], list[str]]:
        @solara.component
        def Wrap():
            chosen = solara.use_reactive({**start_values(m, levers), **changes})
            return LeverInputs(["examples/sector.toml"], levers, chosen, m)

        _box, rc = solara.render(Wrap(), handle_error=False)
        sliders = [w.label for w in rc.find(v.Slider).widgets]
        selects = [w.label for w in rc.find(v.Select).widgets]
        alerts = [str(w.children) for w in rc.find(v.Alert).widgets]
        rc.close()
        return sliders, selects, alerts

    sliders, selects, alerts = render({})
    assert sliders == ["Red quality ×1.00", "Red quantity ×1.00", "Red supply ×1.00"]
    assert selects == ["Map", "Attrition law of every sector"]
    assert not any(NOTICE in a for a in alerts)
    sliders, _, alerts = render({"red_quality": 4.0, "attrition_law": "square"})
    assert sliders[0] == "Red quality ×4.00" and any(NOTICE in a for a in alerts)


def test_the_law_select_shows_words_and_sets_the_laws_key():
    import ipyvuetify as v
    import solara

    from sandbox.viz.levers import LAW_WORDS, LeverInputs, start_values

    m = VizModel(map="examples/sector.toml")
    levers = LS.setup_for("quality_quantity").levers
    chosen = solara.reactive({**start_values(m, levers)})

    @solara.component
    def Wrap():
        return LeverInputs(["examples/sector.toml"], levers, chosen, m)

    _box, rc = solara.render(Wrap(), handle_error=False)
    (law,) = rc.find(v.Select, label="Attrition law of every sector").widgets
    assert law.items == ["as the map says", "square (aimed fire)", "Helmbold p 1, q 0.5",
                         "linear (area fire)"]  # fmt: skip
    assert law.v_model == LAW_WORDS[chosen.value["attrition_law"]] == "as the map says"
    law.v_model = "linear (area fire)"  # what a click on the item does
    assert chosen.value["attrition_law"] == "linear"
    rc.close()


def test_a_new_day_sends_only_the_daily_rows_to_the_chart_widget():
    import solara

    from sandbox.viz.vega_view import Payload, VegaChart, VegaView

    m = stepped(VizModel(map="examples/chain.toml"), 1)
    payload = solara.reactive(Payload(map_spec(m), ("nodes", "links")))

    @solara.component
    def Wrap():
        return VegaChart(payload.value, css_class="sandbox-map")

    _box, rc = solara.render(Wrap(), handle_error=False)
    widget = rc.find(VegaView).widget
    assert widget.css_class == "sandbox-map"
    assert set(widget.spec["datasets"]) == {"basemap", "node_info", "link_info"}
    day1 = widget.datasets
    spec1 = widget.spec
    sent: list[str] = []
    widget.observe(lambda change: sent.append(change["name"]), names=["spec", "datasets"])
    stepped(m, 2)
    payload.set(Payload(map_spec(m), ("nodes", "links")))
    assert sent == ["datasets"] and widget.spec is spec1  # the browser keeps its view
    assert widget.datasets != day1 and set(widget.datasets) == {"nodes", "links"}
    rc.close()
