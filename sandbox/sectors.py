"""Cross-entry rules of ``[[sectors]]`` and of the combat keys of sides and units.

Registered with :func:`sandbox.scenario.check`, so every map is checked on load.
Each problem names the entry and the field, like the rest of the scenario errors.
"""

from __future__ import annotations

from sandbox import schema
from sandbox.combat import law_from_spec
from sandbox.errors import did_you_mean
from sandbox.scenario import check


@check
def _sectors(m: schema.MapFile) -> list[str]:
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


@check
def _wear(m: schema.MapFile) -> list[str]:
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
