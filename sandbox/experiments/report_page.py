"""A report as a list of blocks, written out as Markdown (``report.md``) and as one HTML
page (``report.html``) that shows the same text, tables and figures (PNG files beside it)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """Blocks in order: ("h1"|"h2"|"p", text), ("table", (head, rows)), ("img", (file, alt))."""

    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def h1(self, text: str) -> None:
        self.blocks.append(("h1", text))

    def h2(self, text: str) -> None:
        self.blocks.append(("h2", text))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, head: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("table", (head, rows)))

    def img(self, file: str, alt: str) -> None:
        self.blocks.append(("img", (file, alt)))

    def figures(self) -> list[str]:
        return [b[1][0] for b in self.blocks if b[0] == "img"]

    def markdown(self) -> str:
        out: list[str] = []
        for kind, value in self.blocks:
            if kind == "h1":
                out += [f"# {value}", ""]
            elif kind == "h2":
                out += [f"## {value}", ""]
            elif kind == "p":
                out += [str(value), ""]
            elif kind == "table":
                head, rows = value
                out.append("| " + " | ".join(head) + " |")
                out.append("|" + "---|" * len(head))
                out += ["| " + " | ".join(r) + " |" for r in rows]
                out.append("")
            else:
                file, alt = value
                out += [f"![{alt}]({file})", ""]
        return "\n".join(out)

    def html(self, title: str) -> str:
        body: list[str] = []
        for kind, value in self.blocks:
            if kind in ("h1", "h2"):
                body.append(f"<{kind}>{html.escape(str(value))}</{kind}>")
            elif kind == "p":
                body.append(f"<p>{_inline(str(value))}</p>")
            elif kind == "table":
                head, rows = value
                cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
                lines = [f"<table><tr>{cells}</tr>"]
                for r in rows:
                    lines.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>")
                body.append("\n".join([*lines, "</table>"]))
            else:
                file, alt = value
                a, f = html.escape(alt), html.escape(file)
                body.append(
                    f'<figure><img src="{f}" alt="{a}"><figcaption>{a}</figcaption></figure>'
                )
        return HTML.format(title=html.escape(title), body="\n".join(body))


def _inline(text: str) -> str:
    """Markdown's ``code`` and **bold** as HTML (the rest escaped)."""
    parts = html.escape(text).split("`")
    text = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    parts = text.split("**")
    return "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))


HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:1200px;margin:auto;padding:0 1em}}
table{{border-collapse:collapse;margin:0.5em 0}}td,th{{padding:2px 10px;text-align:right;
border-bottom:1px solid #ddd}}td:first-child,th:first-child{{text-align:left}}
img{{max-width:100%}}figure{{margin:1em 0}}figcaption{{color:#555;font-size:small}}</style>
</head><body>
{body}
</body></html>
"""
