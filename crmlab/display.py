"""显示格式 small formatting rules shared by the result objects' ``__repr__`` and ``_repr_html_``."""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["html_rows", "uplift_label"]


def uplift_label(uplift: float) -> str:
    """A retention uplift (fraction) in percentage points, e.g. 0.0213 → "2.13 个百分点"; inf → "无法达到"."""
    return "无法达到" if math.isinf(uplift) else f"{uplift * 100:.2f} 个百分点"


def html_rows(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column HTML table of (label, value) rows, values right-aligned (values may hold HTML)."""
    body = "".join(f"<tr><td>{k}</td><td style='text-align:right'>{v}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"
