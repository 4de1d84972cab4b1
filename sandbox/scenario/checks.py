"""Cross-entry rules of a map: what one entry says about another.

Each rule is ``rule(mapfile) -> list of problems``; every problem names the entry
and the field, like the schema's own errors. :data:`CHECKS` lists them all,
explicitly: :func:`sandbox.scenario.load.from_dict` runs each on every map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sandbox.errors import did_you_mean
from sandbox.scenario import schema
from sandbox.scenario.law_spec import law_from_spec
from sandbox.scenario.timeline import aid_check, events_check, operations_check

Check = Callable[[schema.MapFile], list[str]]


def link_name(link: Mapping[str, Any] | schema.Link) -> str:
    get = link.get if isinstance(link, Mapping) else lambda k, d=None: getattr(link, k, d)
    return f"{get('source', '?')}->{get('target', '?')}"


def unique_ids(m: schema.MapFile) -> list[str]:
    out = []
    for section, ids in (("nodes", [n.id for n in m.nodes]), ("units", [u.id for u in m.units])):
        seen: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in seen:
                out.append(
                    f"{section}[{i}] {ident!r}: field 'id': duplicate id, "
                    f"already used by {section}[{seen[ident]}]"
                )
            seen.setdefault(ident, i)
    return out


def commodities_known(m: schema.MapFile) -> list[str]:
    known = set(m.commodities)
    out = []

    def unknown(entry: str, fld: str, names: Mapping[str, Any]) -> None:
        for c in names:
            if c not in known:
                out.append(
                    f"{entry}: field '{fld}.{c}': unknown commodity {c!r}"
                    f"{did_you_mean(c, known)}; expected one of {sorted(known)}"
                )

    for i, n in enumerate(m.nodes):
        entry = f"nodes[{i}] {n.id!r}"
        unknown(entry, "stock", n.stock)
        unknown(entry, "production", n.production)
        unknown(entry, "ramp", n.ramp)
        if n.kind != "factory" and (n.production or n.ramp):
            out.append(f"{entry}: field 'production': only a factory produces (kind is {n.kind!r})")
    for i, u in enumerate(m.units):
        entry = f"units[{i}] {u.id!r}"
        unknown(entry, "needs", u.needs)
        for fld, commodity, value in (
            ("rounds_per_gun_per_day", "ammunition", u.guns * u.rounds_per_gun_per_day),
            ("fuel_t_per_day", "fuel", u.fuel_t_per_day),
            ("spare_parts_per_day", "spare_parts", u.spare_parts_per_day),
            ("spare_parts_per_1000_rounds", "spare_parts", u.spare_parts_per_1000_rounds),
        ):
            if value > 0 and commodity not in known:
                out.append(f"{entry}: field '{fld}': needs a commodity named {commodity!r}")
    return out


def references(m: schema.MapFile) -> list[str]:
    nodes = {n.id: n for n in m.nodes}
    out = []
    seen_links: set[tuple[str, str]] = set()
    for link in m.links:
        entry = f"links[{link_name(link)}]"
        for fld in ("source", "target"):
            ref = getattr(link, fld)
            if ref not in nodes:
                out.append(
                    f"{entry}: field {fld!r}: unknown node {ref!r}{did_you_mean(ref, nodes)}"
                )
        if link.source in nodes and link.target in nodes:
            a, b = nodes[link.source], nodes[link.target]
            if a.side != b.side:
                out.append(
                    f"{entry}: field 'target': links stay within one side "
                    f"({a.id!r} is {a.side}, {b.id!r} is {b.side})"
                )
            if link.source == link.target:
                out.append(f"{entry}: field 'target': a link cannot join a node to itself")
        pair = (link.source, link.target)
        if pair in seen_links:
            out.append(f"{entry}: duplicate link; merge the two into one capacity")
        seen_links.add(pair)
    for i, u in enumerate(m.units):
        entry = f"units[{i}] {u.id!r}"
        if u.node not in nodes:
            out.append(
                f"{entry}: field 'node': unknown node {u.node!r}{did_you_mean(u.node, nodes)}"
            )
            continue
        n = nodes[u.node]
        if n.kind != "front":
            out.append(f"{entry}: field 'node': units sit at front nodes, {n.id!r} is a {n.kind}")
        if n.side != u.side:
            out.append(f"{entry}: field 'side': unit is {u.side} but node {n.id!r} is {n.side}")
    return out


def strike_references(m: schema.MapFile) -> list[str]:
    """Launch nodes and air-defended nodes exist and belong to the side; fallbacks on depots."""
    nodes = {n.id: n for n in m.nodes}
    out = []
    for side in ("blue", "red"):
        cfg = getattr(m.strikes, side)
        if cfg is None:
            continue
        entry = f"strikes.{side}"
        for fld, names in (
            ("launch_nodes", cfg.launch_nodes),
            ("air_defence_nodes", cfg.air_defence_nodes),
        ):
            for ref in names:
                if ref not in nodes:
                    out.append(
                        f"{entry}: field {fld!r}: unknown node {ref!r}{did_you_mean(ref, nodes)}"
                    )
                elif nodes[ref].side != side:
                    out.append(
                        f"{entry}: field {fld!r}: node {ref!r} is {nodes[ref].side}, not {side}"
                    )
        if cfg.end_day is not None and cfg.end_day < cfg.start_day:
            out.append(
                f"{entry}: field 'end_day': {cfg.end_day} is before start_day {cfg.start_day}"
            )
    for i, n in enumerate(m.nodes):
        if n.fallback is not None and n.kind != "depot":
            out.append(
                f"nodes[{i}] {n.id!r}: field 'fallback': only depots move back (kind is {n.kind!r})"
            )
        if n.pulled_back and n.fallback is None:
            out.append(
                f"nodes[{i}] {n.id!r}: field 'pulled_back': no 'fallback' position to move to"
                " (give the depot fallback = { lon = .., lat = .. })"
            )
    return out


def sectors(m: schema.MapFile) -> list[str]:
    nodes = {n.id: n for n in m.nodes}
    out: list[str] = []
    seen_ids: dict[str, int] = {}
    used: dict[str, str] = {}  # front node -> the sector entry that fights there
    for i, sec in enumerate(m.sectors):
        entry = f"sectors[{i}] {sec.id!r}"
        if sec.id in seen_ids:
            out.append(
                f"{entry}: field 'id': duplicate id, already used by sectors[{seen_ids[sec.id]}]"
            )
        seen_ids.setdefault(sec.id, i)
        try:
            law_from_spec(sec.law)
        except ValueError as exc:
            out.append(f"{entry}: field 'law': {exc}")
        for fld in ("blue", "red"):
            ref = getattr(sec, fld)
            node = nodes.get(ref)
            if node is None:
                out.append(
                    f"{entry}: field {fld!r}: unknown node {ref!r}{did_you_mean(ref, nodes)}"
                )
                continue
            if node.kind != "front":
                out.append(
                    f"{entry}: field {fld!r}: {ref!r} is a {node.kind}, expected a front node"
                )
            if node.side != fld:
                out.append(
                    f"{entry}: field {fld!r}: {ref!r} is a {node.side} node; a sector pairs "
                    f"one blue front with one red front, not the same side twice"
                )
            if ref in used:
                out.append(f"{entry}: field {fld!r}: {ref!r} already fights in {used[ref]}")
            used.setdefault(ref, entry)
    return out


def wear(m: schema.MapFile) -> list[str]:
    """Barrel life replaces per-round spare parts; it needs a ``spare_parts`` commodity."""
    out: list[str] = []
    for side, cfg in m.sides.items():
        if cfg.barrel_life_rounds is not None and "spare_parts" not in m.commodities:
            out.append(
                f"sides.{side}: field 'barrel_life_rounds': needs a commodity named 'spare_parts'"
            )
    worn = {s for s, cfg in m.sides.items() if cfg.barrel_life_rounds is not None}
    for i, u in enumerate(m.units):
        if u.side in worn and u.spare_parts_per_1000_rounds > 0:
            out.append(
                f"units[{i}] {u.id!r}: field 'spare_parts_per_1000_rounds': side {u.side} sets "
                "barrel_life_rounds, which drives spare-part demand; set one or the other"
            )
    return out


def calendar(m: schema.MapFile) -> list[str]:
    """Every day of the horizon has a calendar date (``start_date + days`` is a date)."""
    why = schema.check_calendar(m.scenario.start_date, m.scenario.days)
    return [] if why is None else [f"scenario: field 'start_date': {why}"]


CHECKS: tuple[Check, ...] = (
    calendar,
    unique_ids,
    commodities_known,
    references,
    strike_references,
    sectors,
    wear,
    events_check,
    aid_check,
    operations_check,
)
