"""RFM analysis: a hand-worked example with ties, the SQL path equal to the pandas path, and input validation."""

from __future__ import annotations

import sqlite3

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.datasets import load_green_food
from crmlab.rfm import (
    RFM_SEGMENTS,
    TIE_METHODS,
    plot_rfm_segments,
    response_by_segment,
    rfm_scores,
    rfm_scores_sql,
    rfm_segment_summary,
    rfm_segments,
    rfm_table,
    rfm_table_sql,
    segment_migration,
)

matplotlib.use("Agg")

AS_OF = "2024-01-31"
# Five customers, worked by hand (as of 2024-01-31, all history):
#   A: 01-31 100.00                          → R 0,  F 1, M 100.0
#   B: 01-01 50, 01-21 50                    → R 10, F 2, M 100.0
#   C: 01-21 30                              → R 10, F 1, M 30.0
#   D: 12-22 20, 01-01 40, 01-11 25.50       → R 20, F 3, M 85.5
#   E: 12-01 200 (and 02-05 999, after as_of) → R 61 (Dec has 31 days: 30 + 31), F 1, M 200.0
HAND = pd.DataFrame([
    ("A", "2024-01-31", 100.00), ("B", "2024-01-01", 50.0), ("B", "2024-01-21", 50.0), ("C", "2024-01-21", 30.0),
    ("D", "2023-12-22", 20.0), ("D", "2024-01-01", 40.0), ("D", "2024-01-11", 25.50), ("E", "2023-12-01", 200.0),
    ("E", "2024-02-05", 999.0),
], columns=["customer_id", "date", "amount"])


def sqlite_of(tx: pd.DataFrame) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    if "date" in tx.columns:
        tx = tx.assign(date=pd.to_datetime(tx["date"]).dt.strftime("%Y-%m-%d"))
    tx.to_sql("transactions", conn, index=False)
    return conn


def test_rfm_table_by_hand():
    rfm = rfm_table(HAND, AS_OF)
    assert list(rfm.index) == ["A", "B", "C", "D", "E"]
    assert rfm["recency"].tolist() == [0, 10, 10, 20, 61]
    assert rfm["frequency"].tolist() == [1, 2, 1, 3, 1]
    assert rfm["monetary"].tolist() == [100.0, 100.0, 30.0, 85.5, 200.0]
    mean = rfm_table(HAND, AS_OF, monetary="mean")
    assert mean["monetary"].tolist() == [100.0, 50.0, 30.0, 28.5, 200.0]       # 100/2, 85.5/3
    # 30-day window ending 01-31 = 01-02 … 01-31: B keeps 01-21 only, D keeps 01-11 only, E has nothing
    win = rfm_table(HAND, AS_OF, window_days=30)
    assert list(win.index) == ["A", "B", "C", "D"]
    assert win["frequency"].tolist() == [1, 1, 1, 1]
    assert win["monetary"].tolist() == [100.0, 50.0, 30.0, 25.5]


# Ranks run from the worst customer (rank 1) to the best; with n = 5 and q = 5, score = rank.
#   recency, best = most recent: E(61) < D(20) < B = C (10) < A(0)
#   frequency: A = C = E (1) < B(2) < D(3);   monetary: C(30) < D(85.5) < A = B (100) < E(200)
EXPECTED = {  # customer order A B C D E
    "min": {"r": [5, 3, 3, 2, 1], "f": [1, 4, 1, 5, 1], "m": [3, 3, 1, 2, 5]},
    "max": {"r": [5, 4, 4, 2, 1], "f": [3, 4, 3, 5, 3], "m": [4, 4, 1, 2, 5]},
    # average ranks 3.5 (B, C on R; A, B on M) and 2 (A, C, E on F): ⌊(2·3.5 − 2)·5 / 10⌋ + 1 = 3
    "average": {"r": [5, 3, 3, 2, 1], "f": [2, 4, 2, 5, 2], "m": [3, 3, 1, 2, 5]},
    # ties broken by customer id: B before C, A before C before E, A before B
    "first": {"r": [5, 3, 4, 2, 1], "f": [1, 4, 2, 5, 3], "m": [3, 4, 1, 2, 5]},
}


@pytest.mark.parametrize("method", TIE_METHODS)
def test_scores_with_ties_by_hand(method):
    scores = rfm_scores(rfm_table(HAND, AS_OF), method=method)
    for dim in "rfm":
        assert scores[f"{dim}_score"].tolist() == EXPECTED[method][dim], (method, dim)
    sql = rfm_scores_sql(sqlite_of(HAND), AS_OF, method=method)
    pd.testing.assert_frame_equal(scores, sql)


def test_codes_weights_and_three_scores_by_hand():
    scores = rfm_scores(rfm_table(HAND, AS_OF))
    assert scores["rfm_code"].tolist() == ["513", "343", "311", "252", "115"]
    assert scores["rfm_score"].tolist() == pytest.approx([3.0, 10 / 3, 5 / 3, 3.0, 7 / 3])
    weighted = rfm_scores(rfm_table(HAND, AS_OF), weights=(2, 1, 1))
    assert weighted.loc["A", "rfm_score"] == pytest.approx((2 * 5 + 1 + 3) / 4)
    # q = 3 with n = 5: score = ⌊(rank − 1)·3 / 5⌋ + 1, ranks 1…5 → 1, 1, 2, 2, 3; frequency ranks (min) 1,4,1,5,1
    three = rfm_scores(rfm_table(HAND, AS_OF), q=3)
    assert three["f_score"].tolist() == [1, 2, 1, 3, 1]


def test_segments_by_hand():
    scores = rfm_scores(rfm_table(HAND, AS_OF))       # R 5 3 3 2 1, F 1 4 1 5 1, M 3 3 1 2 5
    expected = ["重要发展客户", "重要价值客户", "一般发展客户", "一般保持客户", "重要挽留客户"]
    assert rfm_segments(scores).astype(str).tolist() == expected                # high = score ≥ 3
    # means: R 2.8, F 2.4, M 2.8 → the same high/low split as ≥ 3 here
    assert rfm_segments(scores, cut="mean").astype(str).tolist() == expected
    assert rfm_segments(scores, cut=4).astype(str).tolist() == [
        "一般发展客户", "一般保持客户", "一般挽留客户", "一般保持客户", "重要挽留客户"]
    summary = rfm_segment_summary(scores)
    assert list(summary.index) == list(RFM_SEGMENTS)
    assert summary["customers"].sum() == 5
    assert summary.loc["重要挽留客户", "monetary_total"] == 200.0
    assert summary.loc["重要挽留客户", "monetary_share"] == pytest.approx(200 / 515.5)   # total 100+100+30+85.5+200
    assert summary.loc["重要价值客户", "recency_mean"] == 10
    assert summary.loc["一般价值客户", "customers"] == 0
    assert summary.loc["重要价值客户", "action"] == RFM_SEGMENTS["重要价值客户"].action


def test_every_combination_of_high_and_low_has_one_segment():
    combos = {(s.r_high, s.f_high, s.m_high) for s in RFM_SEGMENTS.values()}
    assert len(RFM_SEGMENTS) == 8 and len(combos) == 8
    grid = pd.DataFrame([(r, f, m) for r in (1, 5) for f in (1, 5) for m in (1, 5)],
                        columns=["r_score", "f_score", "m_score"])
    seg = rfm_segments(grid)
    for (r, f, m), name in zip(grid.itertuples(index=False), seg.astype(str), strict=True):
        s = RFM_SEGMENTS[name]
        assert (s.r_high, s.f_high, s.m_high) == (r == 5, f == 5, m == 5)


@pytest.fixture(scope="module")
def green():
    data = load_green_food()
    return data.transactions, sqlite_of(data.transactions)


@pytest.mark.parametrize("as_of", ["2022-06-30", "2023-12-31", "2024-12-31"])
@pytest.mark.parametrize("monetary", ["sum", "mean"])
def test_sql_equals_pandas_on_green_food(green, as_of, monetary):
    tx, conn = green
    pd.testing.assert_frame_equal(rfm_table(tx, as_of, monetary=monetary), rfm_table_sql(conn, as_of,
                                                                                          monetary=monetary))
    for method in TIE_METHODS:
        pandas_scores = rfm_scores(rfm_table(tx, as_of, monetary=monetary, window_days=365), method=method)
        sql_scores = rfm_scores_sql(conn, as_of, monetary=monetary, window_days=365, method=method)
        pd.testing.assert_frame_equal(pandas_scores, sql_scores)


def test_green_food_totals_match_a_plain_groupby(green):
    tx, _conn = green
    rfm = rfm_table(tx, "2024-12-31")
    plain = tx.groupby("customer_id")["amount"].agg(["size", "sum"])
    assert rfm["frequency"].sum() == len(tx)
    np.testing.assert_allclose(rfm["monetary"].to_numpy(), plain["sum"].to_numpy(), rtol=1e-12)
    last = pd.to_datetime(tx["date"]).groupby(tx["customer_id"]).max()
    assert (rfm["recency"] == (pd.Timestamp("2024-12-31") - last).dt.days).all()


def test_segmentation_reexports_rfm_scores():
    from crmlab import rfm, segmentation

    assert segmentation.rfm_scores is rfm.rfm_scores


# --- property tests: SQL = pandas, and the shape of the scores ------------------------------------------------

transactions_strategy = st.lists(
    st.tuples(st.sampled_from([f"C{i}" for i in range(1, 9)]), st.integers(0, 59), st.integers(1, 2000)),
    min_size=1, max_size=60)


def frame_of(rows) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [r[0] for r in rows],
                         "date": pd.Timestamp("2024-01-01") + pd.to_timedelta([r[1] for r in rows], unit="D"),
                         "amount": [r[2] / 100 for r in rows]})                  # whole 分: many ties


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=transactions_strategy, offset=st.integers(0, 70), method=st.sampled_from(TIE_METHODS),
       monetary=st.sampled_from(["sum", "mean"]), q=st.integers(2, 6),
       window=st.one_of(st.none(), st.integers(1, 90)))
def test_sql_equals_pandas_on_generated_data(rows, offset, method, monetary, q, window):
    tx = frame_of(rows)
    as_of = tx["date"].min() + pd.Timedelta(days=offset)
    try:
        expected = rfm_scores(rfm_table(tx, as_of, monetary=monetary, window_days=window), q=q, method=method)
    except InputError as exc:                       # empty window: both paths must refuse
        assert "没有交易" in str(exc)
        with pytest.raises(InputError, match="没有交易"):
            rfm_scores_sql(sqlite_of(tx), as_of, monetary=monetary, window_days=window, q=q, method=method)
        return
    got = rfm_scores_sql(sqlite_of(tx), as_of, monetary=monetary, window_days=window, q=q, method=method)
    pd.testing.assert_frame_equal(expected, got)
    for col in ("r_score", "f_score", "m_score"):
        assert expected[col].between(1, q).all()
    # a strictly more recent customer never has a lower R score, more purchases never a lower F score; equal
    # values share one score except with "first", which splits ties by customer id
    for value, score, better in (("recency", "r_score", -1), ("frequency", "f_score", 1)):
        groups = expected.groupby(value)[score].agg(["min", "max"]).sort_index(ascending=better > 0)
        assert (groups["max"].to_numpy()[:-1] <= groups["min"].to_numpy()[1:]).all()
        if method != "first":
            assert (groups["min"] == groups["max"]).all()


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(0, 5), min_size=1, max_size=50), q=st.integers(2, 7))
def test_first_gives_equal_sized_scores(values, q):
    n = len(values)
    rfm = pd.DataFrame({"recency": values, "frequency": values, "monetary": values},
                       index=[f"C{i:03d}" for i in range(n)])
    counts = rfm_scores(rfm, q=q, method="first")["f_score"].value_counts().reindex(range(1, q + 1), fill_value=0)
    expected = [-(-k * n // q) - (-(-(k - 1) * n // q)) for k in range(1, q + 1)]   # ⌈kn/q⌉ − ⌈(k−1)n/q⌉
    assert counts.tolist() == expected


@settings(max_examples=60, deadline=None)
@given(rows=transactions_strategy, data=st.data())
def test_a_negative_amount_is_named_by_row_and_column(rows, data):
    tx = frame_of(rows)
    i = data.draw(st.integers(0, len(tx) - 1))
    tx.loc[i, "amount"] = -data.draw(st.floats(0.01, 1e6))
    with pytest.raises(InputError, match=rf"第 {i + 1} 行.*列 amount.*不能为负数"):
        rfm_table(tx, "2024-12-31")
    with pytest.raises(InputError, match="负的金额 amount"):
        rfm_table_sql(sqlite_of(tx), "2024-12-31")


@settings(max_examples=40, deadline=None)
@given(rows=transactions_strategy, column=st.sampled_from(["customer_id", "date", "amount"]))
def test_a_missing_column_is_named(rows, column):
    tx = frame_of(rows).drop(columns=[column])
    with pytest.raises(InputError, match=rf"缺少列 missing columns \['{column}'\]"):
        rfm_table(tx, "2024-12-31")
    with pytest.raises(InputError, match=rf"缺少列 missing columns \['{column}'\]"):
        rfm_table_sql(sqlite_of(tx), "2024-12-31")


@settings(max_examples=40, deadline=None)
@given(rows=transactions_strategy, days_before=st.integers(1, 400))
def test_as_of_before_the_first_purchase_is_refused(rows, days_before):
    tx = frame_of(rows)
    as_of = tx["date"].min() - pd.Timedelta(days=days_before)
    with pytest.raises(InputError, match="早于第一笔交易"):
        rfm_table(tx, as_of)
    with pytest.raises(InputError, match="早于第一笔交易"):
        rfm_table_sql(sqlite_of(tx), as_of)


@settings(max_examples=40, deadline=None)
@given(bad=st.sampled_from(["yesterday", "2024-13-01", "2024-02-30", ""]), data=st.data(), rows=transactions_strategy)
def test_bad_dates_are_named(bad, data, rows):
    tx = frame_of(rows)
    tx["date"] = tx["date"].dt.strftime("%Y-%m-%d").astype(object)
    i = data.draw(st.integers(0, len(tx) - 1))
    tx.loc[i, "date"] = bad
    with pytest.raises(InputError, match=rf"第 {i + 1} 行.*列 date.*不是有效日期"):
        rfm_table(tx, "2024-12-31")
    with pytest.raises(InputError, match="截止日期 as_of"):
        rfm_table(frame_of(rows), bad)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"method": "dense"}, "并列处理方式 method"),
    ({"q": 1}, "分档数 q"),
    ({"q": 2.5}, "分档数 q"),
    ({"weights": (1, 1)}, "权重 weights"),
    ({"weights": (0, 0, 0)}, "权重 weights 之和"),
    ({"weights": (1, -1, 1)}, "F 权重"),
])
def test_bad_score_settings(kwargs, message):
    with pytest.raises(InputError, match=message):
        rfm_scores(rfm_table(HAND, AS_OF), **kwargs)
    with pytest.raises(InputError, match=message):
        rfm_scores_sql(sqlite_of(HAND), AS_OF, **kwargs)


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.iloc[:0], "是空的"),
    (lambda t: t.assign(amount=[np.nan] + [1.0] * (len(t) - 1)), r"第 1 行.*列 amount.*有限的数字"),
    (lambda t: t.assign(amount="x"), r"第 1 行.*列 amount"),
    (lambda t: t.assign(customer_id=[None] + ["A"] * (len(t) - 1)), r"第 1 行.*列 customer_id.*为空"),
    (lambda t: t.values, "必须是 pandas DataFrame"),
])
def test_bad_tables(change, message):
    with pytest.raises(InputError, match=message):
        rfm_table(change(HAND), AS_OF)


def test_bad_table_options():
    with pytest.raises(InputError, match="金额口径 monetary"):
        rfm_table(HAND, AS_OF, monetary="median")
    with pytest.raises(InputError, match="统计窗口天数 window_days"):
        rfm_table(HAND, AS_OF, window_days=0)
    with pytest.raises(InputError, match="没有交易"):
        rfm_table(HAND.iloc[:1], "2024-03-31", window_days=30)      # A's only purchase is 60 days earlier
    conn = sqlite_of(HAND)
    with pytest.raises(InputError, match="没有表 table 'sales'"):
        rfm_table_sql(conn, AS_OF, table="sales")
    with pytest.raises(InputError, match="sqlite3.Connection"):
        rfm_table_sql("shop.db", AS_OF)
    conn.execute("INSERT INTO transactions VALUES ('F', '2024-1-5', 3.0), ('G', '2024-02-30', 1.0)")
    with pytest.raises(InputError, match="客户 'F' 有无效的日期"):
        rfm_table_sql(conn, "2024-12-31")
    conn.execute("DELETE FROM transactions WHERE customer_id = 'F'")
    with pytest.raises(InputError, match="客户 'G' 有无效的日期"):          # 2024-02-30 is not a calendar day
        rfm_scores_sql(conn, "2024-12-31")


def test_bad_score_tables():
    with pytest.raises(InputError, match="缺少列"):
        rfm_scores(pd.DataFrame({"recency": [1]}))
    with pytest.raises(InputError, match="客户编号重复"):
        rfm_scores(pd.DataFrame({"recency": [1, 2], "frequency": [1, 1], "monetary": [1, 1]}, index=["a", "a"]))
    with pytest.raises(InputError, match="客户 'b' 的 monetary"):
        rfm_scores(pd.DataFrame({"recency": [1, 2], "frequency": [1, 1], "monetary": [1, -1]}, index=["a", "b"]))
    with pytest.raises(InputError, match="高低分界 cut"):
        rfm_segments(rfm_scores(rfm_table(HAND, AS_OF)), cut="median")


def test_response_by_segment_by_hand():
    segments = rfm_segments(rfm_scores(rfm_table(HAND, AS_OF)))   # A 重要发展, B 重要价值, C 一般发展 …
    responses = pd.DataFrame({"customer_id": ["A", "B", "C", "Z", "Y"], "responded": [1, 0, 1, 1, 0],
                              "order_amount": [80.0, 0.0, 20.0, 50.0, 0.0]})
    table = response_by_segment(segments, responses)
    assert list(table.index) == ["重要价值客户", "重要发展客户", "一般发展客户", "无购买记录"]
    assert table["contacted"].tolist() == [1, 1, 1, 2]
    assert table["response_rate"].tolist() == [0.0, 1.0, 1.0, 0.5]
    assert table.loc["无购买记录", "amount_per_contact"] == 25.0              # 50 元 over two contacts
    with pytest.raises(InputError, match="responded 只能是 0 或 1"):
        response_by_segment(segments, responses.assign(responded=[2, 0, 0, 0, 0]))
    with pytest.raises(InputError, match="order_amount"):
        response_by_segment(segments, responses.assign(order_amount=[-1.0, 0, 0, 0, 0]))


def test_segment_migration_by_hand():
    before = pd.Series(pd.Categorical(["x", "y", "y"], categories=["x", "y"]), index=["a", "b", "c"])
    after = pd.Series(pd.Categorical(["y", "y", "x"], categories=["x", "y"]), index=["a", "b", "d"])
    table = segment_migration(before, after)
    # a: x → y, b: y → y, c: y → 无记录, d: 无记录 → x
    assert table.loc["x", "y"] == 1 and table.loc["y", "y"] == 1
    assert table.loc["y", "无记录"] == 1 and table.loc["无记录", "x"] == 1
    assert table.to_numpy().sum() == 4


def test_plot_draws_two_bars_per_segment():
    summary = rfm_segment_summary(rfm_scores(rfm_table(HAND, AS_OF)))
    fig, ax = plot_rfm_segments(summary)
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert len(ax.patches) == 16
    assert widths[-1] == pytest.approx(max(summary["customer_share"].max(), summary["monetary_share"].max()) * 100)
    matplotlib.pyplot.close(fig)
