"""数据仓库部件 module-7 widget: an SQL box over the 鲜果园 warehouse.

* :func:`render_sql` — run one query with :func:`crmlab.warehouse.run_sql`, say how many rows it returned and show
  the first ``limit`` of them;
* :func:`sql_explorer` — a row-count slider (first), a menu of example queries and an editable SQL text area with a
  run button, over :func:`render_sql`.

The widget computes nothing itself: every row comes from DuckDB through :func:`~crmlab.warehouse.run_sql`.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from ..errors import InputError, require_int
from ..warehouse import EXAMPLE_QUERIES, run_sql
from .common import show_errors

__all__ = ["render_sql", "sql_explorer"]

_STYLE = {"description_width": "initial"}


def render_sql(conn: duckdb.DuckDBPyConnection, sql: str, limit: int = 12) -> pd.DataFrame:
    """Run ``sql`` on ``conn``, print the number of rows and display the first ``limit`` (≥ 1) rows; returns all
    rows."""
    n = require_int(limit, "显示行数", "limit", minimum=1)
    table = run_sql(conn, sql)
    shown = min(n, len(table))
    print(f"查询结果共 {len(table)} 行 rows，{len(table.columns)} 列 columns；显示前 {shown} 行")
    display(table.head(n))
    return table


def sql_explorer(conn: duckdb.DuckDBPyConnection, examples: Mapping[str, tuple[str, str]] | None = None, *,
                 limit: int = 12, example: str | None = None) -> widgets.VBox:
    """SQL 练习台 SQL playground: a slider for the number of rows shown (first), a menu of example queries
    (name → (说明, SQL); default :data:`crmlab.warehouse.EXAMPLE_QUERIES`) that loads the SQL into an editable text
    area, and a button that runs what is in the text area. Errors in the SQL are shown inside the widget."""
    queries = dict(EXAMPLE_QUERIES if examples is None else examples)
    if not queries or not all(isinstance(v, tuple) and len(v) >= 2 for v in queries.values()):
        raise InputError("示例查询 examples 必须是非空字典 {名称: (说明, SQL)}")
    first = example if example is not None else next(iter(queries))
    if first not in queries:
        raise InputError(f"示例 example 只能是 {', '.join(queries)}，收到 {example!r}")
    n = require_int(limit, "显示行数", "limit", minimum=1)
    rows = widgets.IntSlider(value=n, min=1, max=max(100, n), step=1, description="显示行数 rows shown",
                             continuous_update=False, style=_STYLE, layout={"width": "420px"})
    menu = widgets.Dropdown(options=list(queries), value=first, description="示例查询", style=_STYLE,
                            layout={"width": "420px"})
    note = widgets.HTML()
    box = widgets.Textarea(value=queries[first][1].strip(), layout={"width": "100%", "height": "220px"},
                           continuous_update=False)
    button = widgets.Button(description="运行 SQL", button_style="primary", icon="play")
    out = widgets.Output()

    @show_errors
    def render(sql: str, limit: int) -> None:
        render_sql(conn, sql, limit)

    def refresh(*_args: object) -> None:
        with out:
            out.clear_output(wait=True)
            render(box.value, rows.value)

    def load_example(change: dict) -> None:
        note.value = f"<i>{queries[change['new']][0]}</i>"
        box.value = queries[change["new"]][1].strip()
        refresh()

    note.value = f"<i>{queries[first][0]}</i>"
    rows.observe(refresh, names="value")
    menu.observe(load_example, names="value")
    button.on_click(refresh)
    refresh()
    return widgets.VBox([rows, menu, note, box, button, out])
