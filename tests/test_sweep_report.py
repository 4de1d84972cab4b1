"""The sweep report answers (issue 17): headline outcomes first, a handful of figures,
annotated heatmaps whose cells are the means of the stored runs, readable labels."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandbox.cli.main import main
from sandbox.experiments import load_results
from sandbox.experiments.report import is_constant, race_sentence, short_first_sentence
from sandbox.experiments.report_figures import plot_heatmap
from sandbox.observe.labels import commodity_units, headline_keys, outcome_label, param_label
from sandbox.state.columns import SUMMARY

ROOT = Path(__file__).resolve().parent.parent
SECTOR = str(ROOT / "maps/examples/sector.toml")
P1, P2 = "sides.red.quality", "sides.blue.quality"
VARY = [f"--vary={P1}=0.2,0.4", f"--vary={P2}=0.5,1"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "s"
    argv = ["sweep", SECTOR, *VARY, "--seeds", "2", "--days", "20", "--no-progress"]
    assert main([*argv, "--workers", "1", "--out", str(out)]) == 0
    assert main(["sweep", "report", str(out)]) == 0
    return out


def _figures(page: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', page)


def test_the_page_opens_with_the_headline_outcomes(sweep: Path) -> None:
    page = (sweep / "report" / "report.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>([^<]+)</h2>", page)
    assert headings[0] == "Headline outcomes"
    first_table = page.split("<table>")[1].split("</table>")[0]
    names = re.findall(r"<tr><td>([^<]+)</td>", first_table)
    units = commodity_units(SECTOR)
    assert names == [outcome_label(k, units).name for k in headline_keys()]
    assert names[:2] == ["blue ammunition first short day", "red ammunition first short day"]
    opening = page.split("<table>")[0]
    assert "Who wins the logistics race" in opening
    assert "Who runs short of ammunition first" in opening


def test_only_the_headline_outcomes_get_figures_by_default(sweep: Path) -> None:
    page = (sweep / "report" / "report.html").read_text(encoding="utf-8")
    figures = _figures(page)
    ok = load_results(sweep).query("status == 'ok'")
    varying = [k for k in headline_keys() if not is_constant(ok[k])]  # to 9 digits
    # one row of facets and one heatmap per varying headline outcome, nothing else
    assert len(figures) == 2 * len(varying) <= 2 * len(headline_keys())
    assert all((sweep / "report" / f).stat().st_size > 0 for f in figures)
    assert main(["sweep", "report", str(sweep), "--all-outcomes"]) == 0
    everything = _figures((sweep / "report" / "report.html").read_text(encoding="utf-8"))
    assert len(everything) > len(figures)
    assert main(["sweep", "report", str(sweep)]) == 0  # back to the default for other tests
    assert sorted(p.name for p in (sweep / "report").glob("*.png")) == sorted(figures)


def test_a_heatmap_cell_is_the_mean_of_the_stored_runs_of_that_cell(sweep: Path) -> None:
    ok = load_results(sweep).query("status == 'ok'")
    outcome = SUMMARY.side("red", "rounds_fired")
    units = commodity_units(SECTOR)
    labels = {k: outcome_label(k, units) for k in (outcome,)}
    labels |= {p: param_label(p, units) for p in (P1, P2)}
    fig = plot_heatmap(ok, P1, P2, outcome, labels)
    ax = fig.axes[0]
    written = {(round(t.get_position()[0]), round(t.get_position()[1])): t.get_text()
               for t in ax.texts}  # fmt: skip
    assert len(written) == 4
    for j, x in enumerate([0.2, 0.4]):  # columns: red quality; rows: blue quality
        for i, y in enumerate([0.5, 1.0]):
            rows = ok[(ok[P1] == x) & (ok[P2] == y)]
            assert len(rows) == 2  # two seeds
            assert float(written[(j, i)]) == pytest.approx(rows[outcome].mean(), rel=1e-3)
    assert ax.get_xlabel() == "red quality" and ax.get_ylabel() == "blue quality"
    assert "red rounds fired (round)" in ax.get_title()


def test_labels_carry_the_map_units_and_readable_names() -> None:
    units = commodity_units(SECTOR)
    assert units == {"ammunition": "round", "fuel": "t", "spare_parts": "kit"}
    delivered = SUMMARY.commodity("blue", "fuel", "delivered")
    assert str(outcome_label(delivered, units)) == "blue fuel delivered (t)"
    front = SUMMARY.overall("front_km_gained_by_blue")
    assert str(outcome_label(front, units)) == "front gained by blue (km)"
    short = SUMMARY.commodity("red", "ammunition", "first_short_day")
    assert str(outcome_label(short, units)) == "red ammunition first short day (day no.)"
    assert str(param_label("links.plant->hub.capacity_t", units)) == "link plant->hub capacity (t)"
    key = "nodes.blue_plant.production.ammunition"
    assert str(param_label(key, units)) == "blue_plant production of ammunition (round/day)"


def test_the_race_counts_the_winners_of_the_runs() -> None:
    # the summary's winning, from each run's shares of doctrine's rounds fired (1 point margin)
    blue, red = (SUMMARY.side(s, "doctrine_fire_share") for s in ("blue", "red"))
    ok = pd.DataFrame({blue: [0.9, 1.0, 0.995, 0.97, np.nan], red: [1.0, 0.95, 1.0, 1.0, 1.0]})
    text = race_sentence(ok)
    assert text is not None
    assert text.startswith("**Who wins the logistics race**")
    assert "red in 2 of 5 runs" in text  # 0.9 and 0.97 against 1.0
    assert "blue in 1 of 5 runs" in text  # 1.0 against 0.95
    assert "neither in 2 of 5 runs" in text  # within half a point; blue asked for nothing
    assert race_sentence(pd.DataFrame({"x": [1.0]})) is None


def test_the_race_counts_who_runs_short_first() -> None:
    blue, red = (SUMMARY.commodity(s, "ammunition", "first_short_day") for s in ("blue", "red"))
    ok = pd.DataFrame({blue: [3, np.nan, 5, np.nan, 4], red: [7, 2, 5, np.nan, np.nan]})
    text = short_first_sentence(ok)
    assert text is not None
    assert "blue runs short first in 2 of 5 runs" in text  # 3 < 7 and 4 < never
    assert "red runs short first in 1 of 5 runs" in text  # 2 < never
    assert "both on the same day in 1 of 5 runs" in text
    assert "neither runs short in 1 of 5 runs" in text
    assert short_first_sentence(pd.DataFrame({"x": [1.0]})) is None
