"""数据仓库图表 module-7 chart: the star schema drawn from the warehouse's own catalogue.

:func:`draw_star_schema` reads the tables, columns and keys of a warehouse built by
:func:`crmlab.warehouse.build_warehouse` from DuckDB's ``information_schema`` and ``duckdb_constraints()``, and draws
the fact table in the middle with a line to each dimension. Nothing is typed in by hand, so the picture always
matches :data:`crmlab.warehouse.STAR_SCHEMA_SQL`.
"""

from __future__ import annotations

import duckdb
from matplotlib.patches import FancyBboxPatch

from .plotting import new_figure
from .warehouse import WAREHOUSE_TABLES, _connection

__all__ = ["draw_star_schema", "schema_columns"]

_LAYOUT = {  # table → (x of the left edge, y of the top edge) in a 0…14 × 0…12 canvas
    "dim_date": (0.2, 11.8),
    "dim_customer": (0.2, 4.6),
    "fact_sales": (5.3, 9.0),
    "dim_product": (10.4, 11.8),
    "dim_channel": (10.4, 5.0),
}
_WIDTH = 3.4
_LINE = 0.42


def schema_columns(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, str]]]:
    """表结构 for each star-schema table, its columns as (name, type, key) with key ``"PK"``, ``"FK"`` or ``""``."""
    con = _connection(conn)
    cols = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                       "ORDER BY table_name, ordinal_position").fetchall()
    keys = con.execute("SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
                       "WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')").fetchall()
    role: dict[tuple[str, str], str] = {}
    for table, kind, names in keys:
        for name in names:
            role.setdefault((table, name), "PK" if kind == "PRIMARY KEY" else "FK")
    out: dict[str, list[tuple[str, str, str]]] = {t: [] for t in _LAYOUT}
    for table, name, dtype in cols:
        if table in out:
            out[table].append((name, dtype, role.get((table, name), "")))
    return out


def draw_star_schema(conn: duckdb.DuckDBPyConnection, title: str = "鲜果园数据仓库的星型模型"):
    """星型模型图 draw the fact table and the four dimension tables with their columns (PK = primary key, FK =
    foreign key) and a line from each foreign key's table to its dimension. Returns ``(fig, ax)``; does not call
    ``plt.show()``."""
    columns = schema_columns(conn)
    fig, ax = new_figure(title, figsize=(10.5, 7.2))
    ax.set_xlim(0, 14)
    ax.set_ylim(0, 12.2)
    ax.axis("off")
    centres: dict[str, tuple[float, float, float, float]] = {}
    for table, (x, top) in _LAYOUT.items():
        rows = columns[table]
        height = _LINE * (len(rows) + 1.4)
        fact = table.startswith("fact")
        ax.add_patch(FancyBboxPatch((x, top - height), _WIDTH, height, boxstyle="round,pad=0.05",
                                    facecolor="#fdebd0" if fact else "#e8f6f3",
                                    edgecolor="#d35400" if fact else "#148f77", linewidth=1.5))
        ax.text(x + _WIDTH / 2, top - _LINE * 0.7, f"{table}（{WAREHOUSE_TABLES[table]}）", ha="center", va="center",
                fontsize=9.5)
        for i, (name, dtype, key) in enumerate(rows):
            y = top - _LINE * (i + 1.8)
            ax.text(x + 0.12, y, key, fontsize=7.5, color="#c0392b", va="center")
            ax.text(x + 0.55, y, name, fontsize=8, va="center")
            ax.text(x + _WIDTH - 0.1, y, dtype.split("(")[0], fontsize=7, color="grey", va="center", ha="right")
        centres[table] = (x, top - height, x + _WIDTH, top)
    fx0, fy0, fx1, fy1 = centres["fact_sales"]
    for table, (x0, y0, x1, y1) in centres.items():
        if table == "fact_sales":
            continue
        left = x1 < fx0
        ax.annotate("", xy=(x1 if left else x0, (y0 + y1) / 2), xytext=(fx0 if left else fx1, (fy0 + fy1) / 2),
                    arrowprops={"arrowstyle": "-|>", "color": "#566573", "linewidth": 1.2})
    ax.text(7.0, 0.3, "箭头：事实表的外键 (FK) 指向维度表的主键 (PK)", ha="center", fontsize=8.5, color="#566573")
    return fig, ax
