"""Frozen, validated scenarios: TOML in, clear errors out.

``load_scenario(path)`` reads a map file, validates it against
:mod:`sandbox.scenario.schema` and the cross-entry rules below, and returns a frozen
:class:`Scenario`. Every mistake becomes one line of a :class:`ScenarioError`
that names the file, the entry (``nodes[3] 'plant'``, ``links[plant->front]``)
and the field, and says what was expected.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pydantic

from sandbox.errors import ScenarioError, did_you_mean
from sandbox.scenario import schema, sides, timeline
from sandbox.scenario.checks import CHECKS, link_name
from sandbox.values import plain_copy

# Where each table of a map lives, as a path with "*" for list items and
# free-form dict keys. Used to name known keys in "unknown key" errors and to
# decide which keys ``with_overrides`` may set.
TABLES: dict[tuple[str, ...], type[pydantic.BaseModel]] = {
    (): schema.MapFile,
    ("scenario",): schema.ScenarioInfo,
    ("commodities", "*"): schema.Commodity,
    ("sides", "*"): schema.Side,
    ("logistics",): schema.Logistics,
    ("nodes", "*"): schema.Node,
    ("nodes", "*", "ramp", "*"): schema.Ramp,
    ("links", "*"): schema.Link,
    ("units", "*"): schema.Unit,
    ("nodes", "*", "fallback"): schema.Position,
    ("strikes",): schema.Strikes,
    ("strikes", "*"): schema.StrikeSide,
    ("strikes", "*", "effects"): schema.StrikeEffects,
    ("sectors", "*"): schema.Sector,
    ("events", "*"): schema.Event,
    ("aid", "*"): schema.Aid,
    ("operations", "*"): schema.Operation,
    ("players", "*"): schema.Player,
}
# Fields whose keys are free (commodity names): overrides may add keys there.
FREE_DICTS = {"stock", "production", "needs", "ramp", "commodities", "sides", "air_defence_nodes"}
# Lists of entries addressed by id in dotted keys and error messages.
LISTS_BY_ID = {"nodes": "id", "units": "id", "sectors": "id", "aid": "name", "operations": "id"}


def entry_name(raw: Mapping[str, Any], loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """Split a location into a readable entry name and the field path inside it."""
    if not loc:
        return "(top level)", ()
    head = loc[0]
    if len(loc) >= 2 and isinstance(loc[1], int):
        items = raw.get(head) if isinstance(raw, Mapping) else None
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else {}
        if not isinstance(item, Mapping):
            item = {}
        if head == "links":
            return f"links[{link_name(item)}]", loc[2:]
        key = LISTS_BY_ID.get(str(head), "id")
        ident = item.get(key)
        suffix = f" {ident!r}" if isinstance(ident, str) else ""
        return f"{head}[{loc[1]}]{suffix}", loc[2:]
    if (head in ("commodities", "sides") and len(loc) >= 2) or (
        head == "strikes" and len(loc) >= 2 and loc[1] in schema.SIDES
    ):
        return f"{head}.{loc[1]}", loc[2:]
    return str(head), loc[1:]


def _table_for(loc: tuple[Any, ...]) -> type[pydantic.BaseModel] | None:
    pattern = tuple("*" if isinstance(p, int) else p for p in loc)
    if pattern in TABLES:
        return TABLES[pattern]
    # free-form dict keys (commodities.ammo, sides.red, ramp.ammo) are "*" too
    for pat, model in TABLES.items():
        if len(pat) == len(loc) and all(a == b or a == "*" for a, b in zip(pat, loc, strict=True)):
            return model
    return None


def _describe(raw: Mapping[str, Any], err: Mapping[str, Any]) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        parent, key = loc[:-1], str(loc[-1])
        model = _table_for(parent)
        hint = did_you_mean(key, model.model_fields) if model else ""
        entry, _ = entry_name(raw, parent)
        return f"{entry}: unknown key {key!r}{hint}"
    entry, fld = entry_name(raw, loc[:-1]) if kind == "missing" else entry_name(raw, loc)
    if kind == "missing":
        fld = (*fld, loc[-1])
    fld_txt = ".".join(str(p) for p in fld) or "(value)"
    if kind == "missing":
        return f"{entry}: missing required field {fld_txt!r}"
    got = err.get("input")
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == schema.ID_PATTERN:
        return f"{entry}: field {fld_txt!r}: an id is letters, digits, _ and - only, got {got!r}"
    got_txt = "" if isinstance(got, Mapping | list) else f", got {got!r}"
    return f"{entry}: field {fld_txt!r}: {err['msg']}{got_txt}"


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated map, frozen. Build one with :func:`load_scenario`.

    ``spec`` is the typed view used by the model; ``to_dict()`` gives the
    plain data as written to ``scenario.toml`` of a run; ``warnings`` lists
    what is legal but probably unintended (a front nothing can reach).
    """

    spec: schema.MapFile
    source: str = "<scenario>"
    warnings: tuple[str, ...] = field(default=())
    _raw: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- convenient views -------------------------------------------------
    @property
    def name(self) -> str:
        return self.spec.scenario.name

    @property
    def days(self) -> int:
        return self.spec.scenario.days

    @property
    def commodities(self) -> list[str]:
        return list(self.spec.commodities)

    def to_dict(self) -> dict[str, Any]:
        """The scenario's data, as plain dicts and lists (a deep copy)."""
        return plain_copy(self._raw)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self._raw == other._raw

    def __hash__(self) -> int:
        return hash(repr(sorted(self._raw)))

    # -- variants ----------------------------------------------------------
    def with_overrides(self, overrides: Mapping[str, Any], source: str | None = None) -> Scenario:
        """A new scenario with dotted keys set, validated like a file.

        Keys address tables (``sides.red.quality``), entries of lists by id
        (``nodes.plant.production.ammunition``, ``units.blue_art.guns``) or,
        for links, by ``source->target`` (``links.plant->front.capacity_t``).
        """
        raw = self.to_dict()
        label = source or f"{self.source} (with overrides)"
        problems = []
        for key, value in overrides.items():
            try:
                set_dotted(raw, key, value)
            except KeyError as exc:
                problems.append(f"--set {key}: {exc.args[0]}")
        if problems:
            raise ScenarioError(label, problems)
        return from_dict(raw, source=label)


def _resolve_list(items: list[Any], section: str, key: str) -> int:
    """The index of the entry named ``key``: by id first (``source->target`` for links);
    a whole number names a position only when no entry has that id."""
    names = [
        (link_name(it) if section == "links" else it.get(LISTS_BY_ID.get(section, "id")))
        if isinstance(it, Mapping)
        else None
        for it in items
    ]
    if key in names:
        return names.index(key)
    if key.isdigit() and int(key) < len(items):
        return int(key)
    known = [str(n) for n in names if n is not None]
    raise KeyError(f"no entry {key!r} in {section}{did_you_mean(key, known)}")


def set_dotted(raw: dict[str, Any], dotted: str, value: Any) -> tuple[Any, ...]:
    """Set ``raw[a][b]...`` from ``"a.b..."``; lists are addressed by entry id.

    Returns the location set, list entries as indices (``("links", 3, "capacity_t")``).
    Raises ``KeyError`` with a readable message when the key does not exist.
    """
    parts = _split_key(dotted)
    node: Any = raw
    loc: list[Any] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            idx = _resolve_list(node, str(loc[0]) if loc else "", part)
            loc.append(idx)
            if last:
                raise KeyError(f"{dotted!r} names a whole entry; name one of its fields")
            node = node[idx]
            continue
        if not isinstance(node, dict):
            raise KeyError(f"{'.'.join(parts[:depth])!r} is a value, not a table")
        model = _table_for(tuple(loc))
        known = set(node) | (set(model.model_fields) if model else set())
        free = bool(loc) and str(loc[-1]) in FREE_DICTS
        if part not in known and not free:
            raise KeyError(f"unknown key {part!r}{did_you_mean(part, known)}")
        loc.append(part)
        if last:
            node[part] = value
            return tuple(loc)
        else:
            if part not in node:
                node[part] = {}
            node = node[part]
    return tuple(loc)


def _split_key(dotted: str) -> list[str]:
    if not dotted or any(not p for p in dotted.split(".")):
        raise KeyError(f"{dotted!r} is not a dotted key like 'sides.red.quality'")
    return dotted.split(".")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a map file. Raises :class:`ScenarioError`."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(source, ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(source, [f"cannot read the file: {exc}"]) from None
    if path.suffix.lower() == ".json":  # `sandbox generate --out x.json` writes JSON
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(source, [f"JSON syntax error: {exc}"]) from None
        if not isinstance(raw, dict):
            raise ScenarioError(source, ["expected a JSON object (the map's tables)"])
        return from_dict(raw, source=source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [f"TOML syntax error: {exc}"]) from None
    return from_dict(raw, source=source)


def from_dict(raw: Mapping[str, Any], source: str = "<dict>") -> Scenario:
    """Validate plain data (as read from TOML) into a :class:`Scenario`."""
    data: dict[str, Any] = plain_copy(dict(raw))
    try:
        spec = schema.MapFile.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = [_describe(data, e) for e in exc.errors()]
        raise ScenarioError(source, problems) from None
    problems = [p for rule in CHECKS for p in rule(spec)]
    if problems:
        raise ScenarioError(source, problems)
    if spec.events:
        check_events(spec, data, source)
    return Scenario(spec=spec, source=source, warnings=tuple(_warnings(spec)), _raw=data)


def supply_graph(m: schema.MapFile) -> nx.DiGraph:
    """The directed supply graph of a map: nodes with their attributes, links as edges."""
    g = nx.DiGraph()
    for n in m.nodes:
        g.add_node(n.id, kind=n.kind, side=n.side, lon=n.lon, lat=n.lat)
    for link in m.links:
        g.add_edge(link.source, link.target, capacity_t=link.capacity_t, mode=link.mode)
    return g


_SUPER = object()  # a node no map can name


def _warnings(m: schema.MapFile) -> list[str]:
    g = supply_graph(m)
    sources = {n.id for n in m.nodes if n.kind == "factory" or any(v > 0 for v in n.stock.values())}
    sources |= {a.node for a in m.aid}  # aid pools deliver there
    g.add_edges_from((_SUPER, s) for s in sources)
    reached = nx.descendants(g, _SUPER) if sources else set()
    out = []
    for i, n in enumerate(m.nodes):
        if n.kind == "front" and n.id not in reached:
            out.append(f"nodes[{i}] {n.id!r}: front has no path from any factory or stock")
    return out + timeline.after_horizon(m)


# -- changes during a run: events now, players' orders later -------------------------

Change = tuple[str, tuple[Any, ...], Any]  # (dotted key, resolved location, value)


def validate_changes(
    base: Scenario, changes: Mapping[str, Any], label: str
) -> tuple[Scenario, list[Change]]:
    """``base`` with dotted ``changes`` set, checked as ``--set`` is and as a run allows.

    Each key must resolve (``with_overrides``' rules), name a value that may change
    during a run (:data:`sandbox.scenario.timeline.MUTABLE`), and leave a valid map.
    Returns the new scenario (without ``[[events]]``) and the resolved changes; raises
    :class:`ScenarioError` naming ``label`` and the key otherwise.
    """
    raw = base.to_dict()
    raw.pop("events", None)
    problems, applied = [], []
    for key, value in timeline.flatten(changes).items():
        try:
            loc = set_dotted(raw, key, value)
        except KeyError as exc:
            problems.append(f"{label}: {key!r}: {exc.args[0]}")
            continue
        why = timeline.mutable_problem(base.spec, loc)
        if why is not None:
            problems.append(f"{label}: {key!r}: {why}")
        applied.append((key, loc, value))
    if problems:
        raise ScenarioError(base.source, problems)
    try:
        return from_dict(raw, source=base.source), applied
    except ScenarioError as exc:
        keys = ", ".join(repr(k) for k, _, _ in applied)
        raise ScenarioError(base.source, [f"{label} ({keys}): {p}" for p in exc.problems]) from None


def check_events(spec: schema.MapFile, data: dict[str, Any], source: str) -> None:
    """Validate a map's ``[[events]]`` in the order they apply, each on the map as it then is."""
    raw = plain_copy(data)
    raw.pop("events")
    base = from_dict(raw, source=source)
    days = [timeline.event_day(spec, ev) for ev in spec.events]
    problems: list[str] = []
    for i in sorted(range(len(days)), key=days.__getitem__):
        label, side = f"events[{i}] (day {days[i]})", spec.events[i].side
        given = spec.events[i].given_day
        if given is not None and given >= days[i]:
            problems.append(f"{label}: field 'given_day': {given} is not before its day")
        try:
            new, applied = validate_changes(base, spec.events[i].set, label)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        if side is not None:
            locs = [(key, loc) for key, loc, _ in applied]
            problems += sides.side_problems(base.spec, new.spec, locs, side, label)
        base = new
    if problems:
        raise ScenarioError(source, problems)
