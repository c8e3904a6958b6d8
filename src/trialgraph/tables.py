"""Query results as text: a readable fixed-width table, CSV with a header row, or JSON records."""

from __future__ import annotations

import io
import json
import shutil
import unicodedata

import pandas as pd

from trialgraph.namespaces import PREFIXES

FORMATS = ("table", "csv", "json")


# Longest namespace first, so trial: wins over a shorter prefix of the same IRI.
_COMPACT = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    for namespace, prefix in _COMPACT:  # IRIs read better as prefixed names in a table
        if text.startswith(namespace) and " " not in text:
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _width(text: str) -> int:
    """Columns the text takes in a terminal: wide (CJK, full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, size: int) -> str:
    if _width(text) <= size:
        return text + " " * (size - _width(text))
    cut = ""
    for char in text:
        if _width(cut + char) > size - 1:
            break
        cut += char
    return cut + "…" + " " * (size - 1 - _width(cut))


def render_table(frame: pd.DataFrame, width: int | None = None) -> str:
    """Columns share the terminal width; long cells are cut with an ellipsis."""
    width = width or shutil.get_terminal_size((160, 24)).columns
    headers = [str(c) for c in frame.columns]
    cells = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    natural = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    budget = max(width - 3 * (len(headers) - 1), 10 * len(headers))
    widths = natural[:]
    while sum(widths) > budget:  # shrink the widest column until the table fits
        widest = widths.index(max(widths))
        widths[widest] = max(widths[widest] - 1, 8)
        if all(w <= 8 for w in widths):
            break

    lines = [" | ".join(_fit(h, w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines.extend(" | ".join(_fit(c, w) for c, w in zip(row, widths, strict=True)) for row in cells)
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)


def render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    if fmt == "json":
        records = [
            {k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")
        ]
        return json.dumps(records, ensure_ascii=False, indent=2)
    return render_table(frame)
