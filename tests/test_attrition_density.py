"""Attrition from density on a shared frontage: theory's signatures, from the model itself.

With red at N times blue's guns, the same rounds per gun and ample supply, the loss shares
are equal at blue quality N^(2 - q) (q: the law's target-density exponent); multiplying
both sides' guns by k on the same frontage multiplies both loss shares by k^q.
"""

from __future__ import annotations

import math

import pytest

from tests.combat_maps import one_sector, run

N = 4
LAWS = [("square", 0.0), ({"p": 1.0, "q": 0.5}, 0.5), ("linear", 1.0)]


def shares_left(d, blue0: float, red0: float) -> tuple[float, float]:
    return (
        float(d["sector.line.blue.strength"].iloc[-1] / blue0),
        float(d["sector.line.red.strength"].iloc[-1] / red0),
    )


@pytest.mark.parametrize(("law", "q"), LAWS, ids=["square", "helmbold_q0.5", "linear"])
def test_parity_at_blue_quality_n_to_the_two_minus_q(law, q):
    parity = N ** (2 - q)  # 16, 8, 4
    assert parity == {0.0: 16, 0.5: 8, 1.0: 4}[q]
    raw = one_sector(blue_guns=100, red_guns=100 * N, law=law, blue_quality=parity)
    blue, red = shares_left(run(raw), 100, 100 * N)
    assert blue < 0.95 and red < 0.95  # they fought
    assert math.isclose(blue, red, rel_tol=1e-9)
    # a tenth less quality, and numbers win: blue keeps the smaller share
    raw = one_sector(blue_guns=100, red_guns=100 * N, law=law, blue_quality=0.9 * parity)
    blue, red = shares_left(run(raw), 100, 100 * N)
    assert blue < red


@pytest.mark.parametrize(("law", "q"), LAWS, ids=["square", "helmbold_q0.5", "linear"])
@pytest.mark.parametrize("k", [2.0, 4.0])
def test_scaling_both_sides_by_k_scales_loss_shares_by_k_to_the_q(law, q, k):
    # small kills per round: a day's loss share is its morning rate to within ~1e-7
    def first_day_shares(scale: float) -> tuple[float, float]:
        raw = one_sector(
            blue_guns=100 * scale, red_guns=300 * scale, law=law, kills_per_round=1e-8, days=1
        )
        blue, red = shares_left(run(raw), 100 * scale, 300 * scale)
        return 1 - blue, 1 - red

    (b1, r1), (bk, rk) = first_day_shares(1.0), first_day_shares(k)
    assert math.isclose(bk / b1, k**q, rel_tol=1e-5)
    assert math.isclose(rk / r1, k**q, rel_tol=1e-5)


@pytest.mark.parametrize(("law", "q"), LAWS, ids=["square", "helmbold_q0.5", "linear"])
def test_a_wider_frontage_thins_the_target_and_area_fire_kills_less(law, q):
    def first_day_blue_share(frontage_km: float) -> float:
        raw = one_sector(
            blue_guns=100,
            red_guns=300,
            law=law,
            kills_per_round=1e-8,
            days=1,
            frontage_km=frontage_km,
        )
        return 1 - shares_left(run(raw), 100, 300)[0]

    assert math.isclose(
        first_day_blue_share(20.0) / first_day_blue_share(10.0), 0.5**q, rel_tol=1e-5
    )


def test_the_morning_loss_rate_is_kills_times_fire_times_relative_density():
    # blue 100 guns x 10 rounds x quality 1 on red 300 at 10 km x 10 per km = 100 reference:
    # red loses 1e-8 x 1000 x (300 / 100) = 3e-5 strength on day 1 (linear law)
    raw = one_sector(blue_guns=100, red_guns=300, law="linear", kills_per_round=1e-8, days=1)
    d = run(raw)
    assert math.isclose(300 - d["sector.line.red.strength"].iloc[0], 3e-5, rel_tol=1e-6)
