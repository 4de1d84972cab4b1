"""The summary printed after ``sandbox run``: a table per side and commodity, then the fight.

Every key comes from the output registry (:mod:`sandbox.state.columns`). Imported
by ``cmd_run`` when it has a summary to print, so parsing the command line never
loads the registry's schema.
"""

from __future__ import annotations

from sandbox.observe.race import GROUND_MARGIN_KM, RACE_MARGIN_SHARE
from sandbox.scenario.schema import SIDES
from sandbox.state.columns import SUMMARY


def format_summary(
    summary: dict[str, object], commodities: list[str], units: dict[str, str] | None = None
) -> str:
    """The summary table printed after a run; ``units`` maps each commodity to its unit
    (the map's, e.g. ``{"ammunition": "round"}``; without it the unit column says ``?``)."""
    lines = _commodity_table(summary, commodities, units or {})
    lines.insert(0, f"{summary.get(SUMMARY.overall('days'))} days")
    for side in SIDES:
        first = summary.get(SUMMARY.commodity(side, "ammunition", "first_short_day"))
        if "ammunition" in commodities:
            when = "never ran short" if first is None else f"first ran short on day {first}"
            lines.append(f"{side} front ammunition: {when}")
    if SUMMARY.overall("winning") in summary:
        lines.append(race_line(summary))
    if SUMMARY.overall("ground") in summary:
        lines.append("")
        lines += _combat_lines(summary)
    if any(_num(summary, SUMMARY.side(side, "strikes")) > 0 for side in SIDES):
        for side, enemy in zip(SIDES, SIDES[::-1], strict=True):
            lines.append(
                f"{side} strikes: {_num(summary, SUMMARY.side(side, 'strikes')):,.0f} "
                f"({_num(summary, SUMMARY.side(side, 'hits')):,.0f} hits), "
                f"{_num(summary, SUMMARY.side(enemy, 'destroyed_t')):,.0f} t of {enemy} stock "
                f"destroyed, {_num(summary, SUMMARY.side(enemy, 'depots_moved')):.0f} {enemy} "
                "depots moved back"
            )
    return "\n".join(lines)


AMOUNTS = ("produced", "delivered", "consumed", "stock_end")  # in the commodity's unit


def _commodity_table(
    summary: dict[str, object], commodities: list[str], units: dict[str, str]
) -> list[str]:
    """Produced, delivered, consumed, end stock (in the commodity's unit) and shortage
    days per side and commodity."""
    head = (
        "side",
        "commodity",
        "unit",
        "produced",
        "delivered",
        "consumed",
        "stock_end",
        f"short_{SUMMARY.unit('shortfall_days', '')}",
        "first_short",
    )
    rows: list[tuple[str, ...]] = [head]
    for side in SIDES:
        for c in commodities:
            first = summary.get(SUMMARY.commodity(side, c, "first_short_day"))
            rows.append(
                (
                    side,
                    c,
                    _amount_unit(units.get(c, "?")),
                    *(f"{_float(summary, SUMMARY.commodity(side, c, m)):,.0f}" for m in AMOUNTS),
                    str(summary[SUMMARY.commodity(side, c, "shortfall_days")]),
                    "never" if first is None else f"day {first}",
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            v.rjust(w) if i > 2 else v.ljust(w)
            for i, (v, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _amount_unit(unit: str) -> str:
    """The one unit of the :data:`AMOUNTS` columns (the registry's, for this commodity)."""
    (one,) = {SUMMARY.unit(m, unit) for m in AMOUNTS}
    return one


def _combat_lines(summary: dict[str, object]) -> list[str]:
    """Fire, strength and doctrine per side; each sector's holder and front; who took ground."""
    lines = []
    for side in SIDES:
        below = summary.get(SUMMARY.side(side, "fires_below_doctrine_day"))
        when = "never" if below is None else f"day {below}"
        lines.append(
            f"{side}: {_float(summary, SUMMARY.side(side, 'rounds_per_day_first_30')):,.0f} "
            f"rounds/day in the first 30 days, strength "
            f"{_float(summary, SUMMARY.side(side, 'strength_end')):,.0f}"
            f" of {_float(summary, SUMMARY.side(side, 'strength_start')):,.0f}, "
            f"fires below doctrine for lack of ammunition: {when}"
        )
    for k in SUMMARY.sector_ids(summary):
        holder = summary[SUMMARY.sector(k, "holder")]
        km = _float(summary, SUMMARY.sector(k, "front_km_end"))
        lines.append(f"sector {k}: {holder}, front {km:+.1f} km (+ = blue advanced)")
    lines.append(ground_line(summary))
    return lines


def ground_line(summary: dict[str, object]) -> str:
    """``ground: stalemate (sectors taken: blue 0, red 0; fronts +1.3 km net for blue,
    within 5 km)``."""
    taken = ", ".join(f"{s} {summary[SUMMARY.tally('sectors_won', s)]}" for s in SIDES)
    km = _float(summary, SUMMARY.overall("front_km_gained_by_blue"))
    verdict = summary[SUMMARY.overall("ground")]
    within = f", within {GROUND_MARGIN_KM:g} km" if abs(km) <= GROUND_MARGIN_KM else ""
    return f"ground: {verdict} (sectors taken: {taken}; fronts {km:+.1f} km net for blue{within})"


def race_line(summary: dict[str, object]) -> str:
    """``logistics race: red (red fired 99.6% of its doctrine's rounds, first below
    doctrine on day 136; blue 98.2%, first below on day 324)``: the winner (or "neither")
    and each side's share of the rounds its doctrine asked for."""
    winner = str(summary[SUMMARY.overall("winning")])
    order = [winner, *(s for s in SIDES if s != winner)] if winner in SIDES else list(SIDES)
    first, other = order
    shares = {s: summary.get(SUMMARY.side(s, "doctrine_fire_share")) for s in SIDES}
    idle = [s for s in SIDES if shares[s] is None]
    if idle:
        return f"logistics race: {winner} ({' and '.join(idle)}: doctrine asked for no rounds)"
    text = (
        f"logistics race: {winner} ({first} fired {_pct(shares[first])} of its doctrine's "
        f"rounds{_below(summary, first, 'first below doctrine on')}; "
        f"{other} {_pct(shares[other])}{_below(summary, other, 'first below on')}"
    )
    if winner not in SIDES:
        text += f"; within {100 * RACE_MARGIN_SHARE:g} point"
    return text + ")"


def _below(summary: dict[str, object], side: str, words: str) -> str:
    """``, first below doctrine on day 136``; ``, never below doctrine``; "" when the summary
    does not say (no combat)."""
    key = SUMMARY.side(side, "fires_below_doctrine_day")
    if key not in summary:
        return ""
    day = summary[key]
    return ", never below doctrine" if day is None else f", {words} day {day}"


def _pct(share: object) -> str:
    return f"{100 * float(share):.1f}%"  # type: ignore[arg-type]


def _float(summary: dict[str, object], key: str) -> float:
    """A summary value that must be there, as a float."""
    return float(summary[key])  # type: ignore[arg-type]


def _num(summary: dict[str, object], key: str) -> float:
    """A summary value as a number (0 when absent or None)."""
    value = summary.get(key)
    return float(value) if isinstance(value, int | float) else 0.0
