"""Whose key is it: the side a dotted change belongs to, for players' orders.

An order of side S may only touch S's own things: its nodes (production, ramps,
front priority), links leaving its nodes, its units, ``sides.S.*``, ``strikes.S.*``
(its own strike asset and air defence), aid pools delivering to its nodes, and
operations where S is the attacker (before and after the change) or nobody is.
"""

from __future__ import annotations

from typing import Any

from sandbox.scenario import schema

Loc = tuple[Any, ...]


def owners(m: schema.MapFile, loc: Loc) -> set[str]:
    """The sides that may order the value at ``loc`` (empty: nobody's own)."""
    head = loc[0]
    if head == "nodes":
        return {m.nodes[loc[1]].side}
    if head == "links":
        src = m.links[loc[1]].source
        return {n.side for n in m.nodes if n.id == src}
    if head == "units":
        return {m.units[loc[1]].side}
    if head in ("sides", "strikes"):
        return {str(loc[1])}
    if head == "aid":
        node = m.aid[loc[1]].node
        return {n.side for n in m.nodes if n.id == node}
    if head == "operations":
        attacker = m.operations[loc[1]].attacker
        return set(schema.SIDES) if attacker is None else {attacker}
    return set()


def side_problems(
    before: schema.MapFile,
    after: schema.MapFile,
    locs: list[tuple[str, Loc]],
    side: str,
    label: str,
) -> list[str]:
    """One line per key of ``locs`` (dotted key, location) that ``side`` may not order."""
    out = []
    for key, loc in locs:
        was, becomes = owners(before, loc), owners(after, loc)
        if side not in was & becomes:
            whose = " or ".join(sorted(becomes if side not in becomes else was)) or "nobody"
            out.append(f"{label}: {key!r}: {whose}'s key; a {side} order may not set it")
    return out
