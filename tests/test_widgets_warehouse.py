"""Module-7 widget and chart: the SQL playground shows run_sql's rows, its first slider changes the output, and
the star-schema picture is drawn from the warehouse's own catalogue."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import pytest

from crmlab import InputError
from crmlab.warehouse import EXAMPLE_QUERIES, build_warehouse, run_sql
from crmlab.warehouse_charts import draw_star_schema, schema_columns
from crmlab.widgets.warehouse import render_sql, sql_explorer

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def conn():
    c = build_warehouse()
    yield c
    c.close()


def test_render_sql_prints_the_row_count_and_returns_all_rows(conn, capsys):
    table = render_sql(conn, EXAMPLE_QUERIES["按月汇总"][1], limit=5)
    assert len(table) == 36                       # 3 years × 12 months
    out = capsys.readouterr().out
    assert "查询结果共 36 行 rows，4 列 columns；显示前 5 行" in out
    with pytest.raises(InputError, match="limit"):
        render_sql(conn, "SELECT 1", limit=0)


def test_first_slider_changes_the_output(conn, capsys):
    box = sql_explorer(conn, limit=12)
    slider, menu, _note, area, button = box.children[:5]
    assert isinstance(slider, widgets.IntSlider) and slider.value == 12
    assert "显示前 12 行" in capsys.readouterr().out
    slider.value = 13
    assert "显示前 13 行" in capsys.readouterr().out
    menu.value = "年-季度小计"
    assert area.value == EXAMPLE_QUERIES["年-季度小计"][1].strip()
    assert "查询结果共 16 行" in capsys.readouterr().out        # 12 quarters + 3 year subtotals + 1 total
    area.value = "SELECT year, COUNT(*) AS days FROM dim_date GROUP BY year ORDER BY year"
    button.click()
    out = capsys.readouterr().out
    assert "查询结果共 3 行" in out and "366" in out            # 2024 is a leap year


def test_sql_mistakes_are_shown_inside_the_widget(conn, capsys):
    box = sql_explorer(conn)
    area, button = box.children[3], box.children[4]
    area.value = "SELEC 1"
    button.click()
    out = capsys.readouterr().out
    assert "⚠ 输入有误" in out and "syntax error" in out
    with pytest.raises(InputError, match="example"):
        sql_explorer(conn, example="没有这个")


def test_star_schema_picture_lists_every_column(conn):
    columns = schema_columns(conn)
    assert [c[0] for c in columns["fact_sales"]] == ["sale_id", "date_key", "customer_key", "product_key",
                                                       "channel_key", "quantity", "amount"]
    assert [c[2] for c in columns["fact_sales"]][:5] == ["PK", "FK", "FK", "FK", "FK"]
    fig, ax = draw_star_schema(conn)
    texts = {t.get_text() for t in ax.texts}
    described = run_sql(conn, "SELECT column_name FROM information_schema.columns WHERE table_name LIKE 'dim_%'")
    assert set(described["column_name"]) <= texts
    assert len(ax.patches) == 5
    plt.close(fig)
