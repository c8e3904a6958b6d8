"""Query results as text: a readable fixed-width table, CSV with a header row, or JSON records."""

from __future__ import annotations

import io
import json
import shutil

import pandas as pd

FORMATS = ("table", "csv", "json")


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return " ".join(str(value).split())


def render_table(frame: pd.DataFrame, width: int | None = None) -> str:
    """Columns share the terminal width; long cells are cut with an ellipsis."""
    width = width or shutil.get_terminal_size((160, 24)).columns
    headers = [str(c) for c in frame.columns]
    cells = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    natural = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    budget = max(width - 3 * (len(headers) - 1), 10 * len(headers))
    widths = natural[:]
    while sum(widths) > budget:  # shrink the widest column until the table fits
        widest = widths.index(max(widths))
        widths[widest] = max(widths[widest] - 1, 8)
        if all(w <= 8 for w in widths):
            break

    def fit(text: str, size: int) -> str:
        return text.ljust(size) if len(text) <= size else text[: size - 1] + "…"

    lines = [" | ".join(fit(h, w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines.extend(" | ".join(fit(c, w) for c, w in zip(row, widths, strict=True)) for row in cells)
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
