"""``tomli_w.dumps`` for a run folder's ``scenario.toml``, the same text in a fraction of the time.

``tomli_w`` escapes every string one character at a time in Python and renders every
table of an array of tables inline just to decide whether it fits a line: a 10,000-node
map's scenario (~180,000 keys) took 1.2-2.4 s to write. :func:`dumps` follows
``tomli_w`` 1.x's rules (default options: no multiline strings, indent 4, inline tables up
to 100 characters a line) step by step, with the common cases made cheap: a string with
nothing to escape is quoted whole (one regular-expression search), a key's rendering is
remembered, and keys whose value is ``None`` in a ``dict`` are left out (what
``_toml_safe`` did before). Anything rarer (a string to escape, ``Decimal``, ``time``,
types TOML cannot hold) goes to ``tomli_w``'s own functions, so the text is the same,
character for character (``tests/test_toml_out.py`` compares the two).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from tomli_w import _writer as tw

MAX_LINE_LENGTH = tw.MAX_LINE_LENGTH
INDENT = "    "  # tomli_w's default indent=4
_ESCAPE = re.compile('["\\\\\x00-\x08\x0a-\x1f\x7f]')  # tomli_w's ILLEGAL_BASIC_STR_CHARS
_BARE = re.compile(r"[A-Za-z0-9_-]+")  # tomli_w's BARE_KEY_CHARS, at least one


def dumps(obj: Mapping[str, Any]) -> str:
    """``tomli_w.dumps(no_none(obj))``: the same text; ``None`` values of dicts left out."""
    out: list[str] = []
    _Writer().table(obj, "", False, out)
    return "".join(out)


class _Writer:
    """One document's state: rendered keys and inline tables (by ``id``, as tomli_w)."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.inline: dict[int, str] = {}
        self.ctx = tw.Context(allow_multiline=False, indent=len(INDENT))

    def table(self, table: Mapping[str, Any], name: str, inside_aot: bool, out: list[str]) -> None:
        """``tomli_w.gen_table_chunks``: the table's literals, then its sub-tables."""
        literals: list[tuple[str, Any]] = []
        tables: list[tuple[str, Any, bool]] = []
        for k, v in _items(table):
            kind = type(v)
            if kind is float or kind is str or kind is int:  # the common case, first
                literals.append((k, v))
            elif kind is dict or isinstance(v, Mapping):
                tables.append((k, v, False))
            elif _is_aot(v) and not all(self.fits_inline(t) for t in v):
                tables.extend((k, t, True) for t in v)
            else:
                literals.append((k, v))
        yielded = False
        if inside_aot or (name and (literals or not tables)):
            yielded = True
            out.append(f"[[{name}]]\n" if inside_aot else f"[{name}]\n")
        if literals:
            yielded = True
            key, literal = self.key, self.literal
            out.extend([f"{key(k)} = {literal(v)}\n" for k, v in literals])
        for k, v, in_aot in tables:
            if yielded:
                out.append("\n")
            else:
                yielded = True
            part = self.key(k)
            self.table(v, f"{name}.{part}" if name else part, in_aot, out)

    def key(self, part: str) -> str:
        """``tomli_w.format_key_part``, remembered."""
        done = self.keys.get(part) if isinstance(part, str) else None
        if done is None:
            if isinstance(part, str) and _BARE.fullmatch(part):
                done = part
            else:
                done = tw.format_key_part(part)
            self.keys[part] = done
        return done

    def literal(self, obj: object, nest_level: int = 0) -> str:
        """``tomli_w.format_literal``."""
        kind = type(obj)
        if kind is float or kind is int:
            return str(obj)
        if kind is str:
            return _string(obj)  # type: ignore[arg-type]
        if isinstance(obj, bool):
            return "true" if obj else "false"
        if isinstance(obj, int | float | date):  # datetime is a date
            return str(obj)
        if isinstance(obj, str):
            return _string(obj)
        if isinstance(obj, list | tuple):
            return self.array(obj, nest_level)
        if isinstance(obj, Mapping):
            return self.inline_table(obj)
        return tw.format_literal(obj, self.ctx, nest_level=nest_level)  # time, Decimal, errors

    def array(self, obj: list[Any] | tuple[Any, ...], nest_level: int) -> str:
        """``tomli_w.format_inline_array``: one item a line."""
        if not obj:
            return "[]"
        indent = INDENT * (1 + nest_level)
        items = ",\n".join(indent + self.literal(x, nest_level + 1) for x in obj)
        return f"[\n{items},\n{INDENT * nest_level}]"

    def inline_table(self, obj: Mapping[str, Any]) -> str:
        """``tomli_w.format_inline_table``, remembered by ``id`` as tomli_w does."""
        done = self.inline.get(id(obj))
        if done is None:
            pairs = [f"{self.key(k)} = {self.literal(v)}" for k, v in _items(obj)]
            done = "{ " + ", ".join(pairs) + " }" if pairs else "{}"
            self.inline[id(obj)] = done
        return done

    def fits_inline(self, obj: Mapping[str, Any]) -> bool:
        """``tomli_w.is_suitable_inline_table``."""
        rendered = f"{INDENT}{self.inline_table(obj)},"
        return len(rendered) <= MAX_LINE_LENGTH and "\n" not in rendered


def _items(table: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """The pairs to write: a ``dict``'s ``None`` values left out (other mappings whole)."""
    if isinstance(table, dict):
        return ((k, v) for k, v in table.items() if v is not None)
    return iter(table.items())


def _is_aot(obj: Any) -> bool:
    """``tomli_w.is_aot``: a non-empty list or tuple of mappings."""
    if (type(obj) is not list and not isinstance(obj, list | tuple)) or not obj:
        return False
    return all(type(v) is dict or isinstance(v, Mapping) for v in obj)


def _string(s: str) -> str:
    """``tomli_w.format_string(s, allow_multiline=False)``; quoted whole when nothing to escape."""
    if _ESCAPE.search(s) is None:
        return f'"{s}"'
    return tw.format_string(s, allow_multiline=False)
