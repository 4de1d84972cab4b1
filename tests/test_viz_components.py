"""The browser app's parts without a browser: controls, map, status, plots, CLI."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("solara")

from matplotlib.figure import Figure

import sandbox
from sandbox.cli import main as cli
from sandbox.errors import UsageError
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.viz import components as C
from sandbox.viz import mapview
from sandbox.viz.params import VizModel, list_maps


def stepped(model, n: int):
    for _ in range(n):
        model.step()
    return model


def random_map(n_nodes: int = 1000, seed: int = 0) -> sandbox.Scenario:
    """A random two-sided map: per side a few factories, a tree of depots, fronts."""
    rng = np.random.default_rng(seed)
    nodes, links, units = [], [], []
    half = n_nodes // 2
    for side, lon0 in (("blue", 30.0), ("red", 40.0)):
        ids = []
        for i in range(half):
            kind = "factory" if i < 5 else ("front" if i >= half - 20 else "depot")
            nid = f"{side}_{kind}_{i}"
            node = {
                "id": nid,
                "kind": kind,
                "side": side,
                "lon": float(lon0 + rng.uniform(-4, 4)),
                "lat": float(48 + rng.uniform(-3, 3)),
            }
            if kind == "factory":
                node["production"] = {"ammunition": 500.0}
            else:
                node["stock"] = {"ammunition": float(rng.uniform(0, 5000))}
            nodes.append(node)
            if i > 0:
                parent = ids[int(rng.integers(0, min(i, half - 20)))] if i >= 5 else ids[0]
                links.append(
                    {"source": parent, "target": nid, "capacity_t": 50.0, "transit_days": 1}
                )
            ids.append(nid)
            if kind == "front":
                units.append(
                    {
                        "id": f"u_{nid}",
                        "side": side,
                        "node": nid,
                        "guns": 10,
                        "rounds_per_gun_per_day": 20,
                    }
                )
    raw = {
        "scenario": {"name": "random 1000", "days": 30},
        "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.05}},
        "nodes": nodes,
        "links": links,
        "units": units,
    }
    return sandbox.from_dict(raw)


# ------------------------------------------------------------------ controls


def test_list_maps_has_every_map_but_generated():
    maps = list_maps()
    assert maps[0] == "ukraine_2023.toml"
    assert "examples/two_node.toml" in maps
    assert not any(m.startswith("generated/") for m in maps)


def test_levers_scale_the_scenario():
    base = VizModel(map="ukraine_2023.toml")
    m = VizModel(
        map="ukraine_2023.toml",
        seed="7",
        blue_production=2.0,
        red_quantity=1.5,
        red_quality=0.5,
        strike_intensity=2.0,
    )
    red0, red1 = base.spec.spec.sides["red"], m.spec.spec.sides["red"]
    assert red1.quantity == pytest.approx(red0.quantity * 1.5)
    assert red1.quality == pytest.approx(red0.quality * 0.5)
    blue = base.state.side == 0
    assert np.allclose(m.state.ramp_target[blue], 2 * base.state.ramp_target[blue])
    assert np.allclose(m.state.prod_base[~blue], base.state.prod_base[~blue])
    for side in ("blue", "red"):
        per_day = getattr(base.spec.spec.strikes, side).strikes_per_day
        assert getattr(m.spec.spec.strikes, side).strikes_per_day == round(2 * per_day)
    off = VizModel(map="ukraine_2023.toml", strike_intensity=0.0).spec.spec.strikes
    assert off.blue.strikes_per_day == 0 and off.red.strikes_per_day == 0
    assert m.seed == 7 and VizModel(map="examples/two_node.toml", seed="x").seed == DEFAULT_SEED


def test_viz_model_stops_at_the_last_day():
    m = VizModel(map="examples/two_node.toml")
    stepped(m, m.spec.days)
    assert not m.running and m.day == 30
    assert str(m.date) == "2023-01-30"  # day 1 is 2023-01-01, as in res.daily["date"]


# ------------------------------------------------------------------ map


def test_map_data_on_a_small_map():
    m = stepped(VizModel(map="examples/two_node.toml"), 3)
    d = mapview.map_data(m)
    assert d.ids == ["plant", "front"] and d.commodity == "ammunition"
    assert d.flow_t.shape == (1,) and d.flow_t[0] > 0
    assert 0 < d.utilisation[0] <= 1
    assert np.isfinite(d.dos[1])
    assert not d.struck.any() and d.link_up.all() and d.sectors == []


def test_map_marks_cut_links_struck_depots_and_sectors():
    m = stepped(VizModel(map="examples/chain.toml"), 2)
    m.state.link_up[0] = False
    m.state.today.destroyed[1, 0] = 5.0
    fig = Figure()
    drawn = mapview.draw_map(fig.add_subplot(), mapview.map_data(m))
    assert drawn["cut"] == 1 and drawn["struck"] == 1 and drawn["sectors"] == 0
    # sectors (combat): duck-typed from spec.sectors and sector.<id>.front_km
    s = m.state
    blue_front = s.node_ids[int(np.flatnonzero(s.kind == 2)[0])]
    other = s.node_ids[0]
    fake = SimpleNamespace(
        spec=SimpleNamespace(
            name="x",
            spec=SimpleNamespace(
                sectors=[SimpleNamespace(id="s1", blue=blue_front, red=other, front_km=0.0)]
            ),
        ),
        state=s,
        totals={"sector.s1.front_km": 3.5},
    )
    secs = mapview.sectors_of(fake)
    assert len(secs) == 1 and secs[0].front_km == 3.5
    d = mapview.map_data(fake)
    assert mapview.draw_map(Figure().add_subplot(), d)["sectors"] == 1


def test_map_of_1000_nodes_is_drawn_quickly():
    sc = random_map(1000)
    m = stepped(sandbox.LogisticsModel(sc, rng=1, record="daily"), 3)
    t0 = time.perf_counter()
    fig = mapview.map_figure(m)
    fig.savefig(__import__("io").BytesIO(), format="png")
    assert time.perf_counter() - t0 < 10
    assert len(m.state.node_ids) == 1000
    # one collection of links, one scatter per kind and side: not one artist per node
    assert len(fig.axes[0].collections) <= 10


def test_map_image_changes_after_steps():
    import io

    m = VizModel(map="examples/two_node.toml")

    def png() -> bytes:
        buf = io.BytesIO()
        mapview.map_figure(m).savefig(buf, format="png")
        return buf.getvalue()

    before = png()
    stepped(m, 5)
    assert png() != before


# ------------------------------------------------------------------ status and plots


def test_status_reports_day_date_and_headlines():
    m = stepped(VizModel(map="examples/two_node.toml", red_quantity=1.5), 12)
    st = C.status(m, lesson="**Lesson**: keep the plant running")
    assert st.headline == "Day 12 · 2023-01-12"
    text = "\n".join(st.lines)
    assert "Map: examples/two_node.toml (Two-node example)" in text
    assert "red quantity ×1.50" in text and "strike intensity ×1.00" in text
    assert "blue: stock ammunition" in text and "rounds fired today 1,000" in text
    # two_node wants 1,500 a day from a plant making 1,000: blue goes short on day 5
    assert "shortfall today 500; first short: ammunition day 5" in text
    assert C.first_short_day(C.history(m), "blue", "ammunition") is not None
    assert st.lesson.startswith("**Lesson**")


# ------------------------------------------------------------------ CLI and imports


def parse_viz(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(["viz", *argv])


def test_cli_viz_serves_on_localhost_by_default(tmp_path):
    from sandbox.cli import viz as cli_viz

    args = parse_viz("maps/examples/chain.toml", "--lesson", "read this")
    cmd, env = cli_viz.server_command(args)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and "--production" in cmd
    assert env["SANDBOX_VIZ_MAP"].endswith("maps/examples/chain.toml")
    assert env["SANDBOX_VIZ_LESSON"] == "read this"
    assert env["SANDBOX_VIZ_SEED"] == str(DEFAULT_SEED)  # the command line's one default
    _, env = cli_viz.server_command(parse_viz("--seed", "7"))
    assert env["SANDBOX_VIZ_SEED"] == "7"
    with pytest.raises(UsageError, match="--seed -1"):
        cli_viz.server_command(parse_viz("--seed", "-1"))
    lesson = tmp_path / "l.md"
    lesson.write_text("# From a file")
    assert cli_viz.lesson_text(str(lesson)) == "# From a file"
    with pytest.raises(UsageError):
        cli_viz.server_command(parse_viz("no/such/map.toml"))


def test_cli_viz_warns_for_another_interface(monkeypatch, capsys):
    from sandbox.cli import viz as cli_viz

    monkeypatch.setattr(cli_viz, "serve", lambda cmd, env: 0)
    assert cli.main(["viz", "--host", "0.0.0.0", "--port", "9999"]) == 0
    out, err = capsys.readouterr()
    assert "http://0.0.0.0:9999/" in out and "warning" in err


def test_model_package_does_not_import_the_viz():
    code = (
        "import sandbox, sandbox.cli.main, sandbox.simulation, sys; "
        "bad = [m for m in sys.modules if m.startswith('sandbox.viz') or m == 'solara']; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cli_viz_lesson_by_name_sets_its_map_and_text(tmp_path, monkeypatch):
    from sandbox import lessons
    from sandbox.cli import viz as cli_viz

    lesson = lessons.get("quality_quantity")
    _, env = cli_viz.server_command(parse_viz("--lesson", "quality_quantity"))
    assert env["SANDBOX_VIZ_MAP"] == str(Path(lesson.describe()["map"]).resolve())
    text = env["SANDBOX_VIZ_LESSON"]
    assert text.startswith(f"### Lesson 4: {lesson.title}")
    assert lesson.goal in text and lesson.takeaway in text
    assert all(q in text for q in lesson.questions)
    assert env["SANDBOX_VIZ_LESSON_NAME"] == "quality_quantity"  # its levers, plots, takeaway
    # an explicit map wins over the lesson's
    _, env = cli_viz.server_command(parse_viz("maps/examples/chain.toml", "--lesson", "bullwhip"))
    assert env["SANDBOX_VIZ_MAP"].endswith("maps/examples/chain.toml")
    assert "Lesson 5" in env["SANDBOX_VIZ_LESSON"]
    # the default map's lesson
    _, env = cli_viz.server_command(parse_viz("--lesson", "race_2023"))
    assert env["SANDBOX_VIZ_MAP"].endswith("maps/ukraine_2023.toml")
    # files and plain text still work
    note = tmp_path / "note.md"
    note.write_text("# A note")
    assert cli_viz.server_command(parse_viz("--lesson", str(note)))[1]["SANDBOX_VIZ_LESSON"] == (
        "# A note"
    )
    assert (
        cli_viz.server_command(parse_viz("--lesson", "keep the plant running"))[1][
            "SANDBOX_VIZ_LESSON"
        ]
        == "keep the plant running"
    )
    # an unknown name that is not a file: a clear error, exit 2, no server started
    monkeypatch.setattr(cli_viz, "serve", lambda cmd, env: pytest.fail("started"))
    with pytest.raises(UsageError, match="no lesson called 'no_such_lesson'"):
        cli_viz.server_command(parse_viz("--lesson", "no_such_lesson"))
    assert cli.main(["viz", "--lesson", "no_such_lesson"]) == 2


# ------------------------------------------------------------------ levers, dates, ticks (issue 17)


def test_day_zero_is_the_eve_of_the_start_date_and_day_one_the_start_date():
    m = VizModel(map="examples/two_node.toml")
    assert C.status(m).headline == "Day 0 · 2022-12-31" and str(m.date) == "2022-12-31"
    m.step()
    assert C.status(m).headline == "Day 1 · 2023-01-01" and str(m.date) == "2023-01-01"
    res = sandbox.run("maps/examples/two_node.toml", days=2)
    assert [str(d) for d in res.daily["date"]] == ["2023-01-01", "2023-01-02"]  # the same rule


def test_levers_read_as_what_they_give():
    from sandbox.viz.levers import lever_lines, slider_label

    m = VizModel(map="examples/sector.toml", red_quality=2.0, red_quantity=1.5)
    lines = lever_lines(m)
    assert lines[0] == f"Seed {DEFAULT_SEED}"
    # sector.toml: red quality 0.3, blue 1.0; red quantity 1.0
    assert "red quality ×2.00 → 0.60 lethality per round (blue's 1.00)" in lines
    assert "red quantity ×1.50 → red guns ×1.50 of the map's units" in lines
    assert "blue production ×1.00 of the map's blue factory output per day" in lines
    assert (
        slider_label("red_quality", 1.3) == "Red quality ×1.30 of the map's red lethality per round"
    )


def test_changed_controls_are_those_that_differ_from_the_running_model():
    from sandbox.viz.levers import applied_controls, changed

    m = VizModel(map="examples/two_node.toml", red_quality=1.5)
    applied = applied_controls(m)
    default = str(DEFAULT_SEED)  # the one default seed (sandbox.scenario.defaults)
    assert applied["map"] == "examples/two_node.toml" and applied["seed"] == default
    same = {"map": "examples/two_node.toml", "seed": default, "red_quality": 1.5}
    assert changed(applied, same) == []
    other = str(DEFAULT_SEED + 1)
    assert changed(applied, {**same, "red_quality": 1.6, "seed": other}) == ["seed", "red_quality"]


def test_the_app_starts_from_the_seed_sandbox_viz_was_given(monkeypatch):
    from sandbox.viz import app

    monkeypatch.delenv(app.ENV_SEED, raising=False)
    assert app.initial_controls("examples/chain.toml")["seed"] == str(DEFAULT_SEED)
    monkeypatch.setenv(app.ENV_SEED, "7")
    first = app.rebuilt(app.initial_controls("examples/strikes.toml"))
    stepped(first, 5)
    same = VizModel(map="examples/strikes.toml", seed="7")
    stepped(same, 5)
    assert first.seed == same.seed == 7
    got, want = C.history(first), C.history(same)
    assert got.keys() == want.keys()
    assert all(np.array_equal(got[k], want[k]) for k in want)
