"""Big data on one machine: chunked Parquet generation (exact row counts, documented distributions, bounded
memory, safe writing) and out-of-core DuckDB queries that give the same answers as pandas."""

from __future__ import annotations

import collections
import json
import tracemalloc

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.bigdata import (
    CHANNEL_MIX,
    MANIFEST,
    PARQUET_QUERIES,
    WEEKEND_WEIGHT,
    generate_transactions_parquet,
    is_business,
    pandas_query,
    query_parquet,
    read_parquet_pandas,
    same_result,
)
from crmlab.warehouse import CATEGORIES, CATEGORY_MIX, PRODUCTS

N = 400_000


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bigdata") / "sales"
    info = generate_transactions_parquet(folder, N, seed=11, row_group_size=60_000, files=3)
    return info, read_parquet_pandas(folder)


def _expected_groups(n: int, files: int, rgs: int) -> int:
    return sum(-(-((f + 1) * n // files - f * n // files) // rgs) for f in range(files))


def test_chunked_generation_writes_exactly_n_rows(data):
    info, df = data
    assert info.rows == len(df) == N
    assert info.files == ("part-00000.parquet", "part-00001.parquet", "part-00002.parquet")
    # 400,000 rows in 3 files of 133,333 / 133,333 / 133,334 rows, row groups of at most 60,000: 3 per file
    assert info.row_groups == _expected_groups(N, 3, 60_000) == 9
    meta = [pq.ParquetFile(info.folder / f).metadata for f in info.files]
    assert [m.num_rows for m in meta] == [133_333, 133_333, 133_334]
    assert all(m.row_group(i).num_rows <= 60_000 for m in meta for i in range(m.num_row_groups))
    manifest = json.loads((info.folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["n_rows"] == N and manifest["seed"] == 11 and manifest["n_customers"] == N // 20
    assert info.bytes == sum((info.folder / f).stat().st_size for f in info.files)


def test_dates_are_in_order_and_weekends_weigh_1_3(data):
    _info, df = data
    d = df["date"]
    assert d.is_monotonic_increasing
    assert d.min() >= pd.Timestamp("2022-01-01") and d.max() <= pd.Timestamp("2024-12-31")
    # 2022-01-01 … 2024-12-31: 314 weekend days and 782 weekdays → weekend share 314·1.3 / (782 + 314·1.3)
    expected = 314 * WEEKEND_WEIGHT / (782 + 314 * WEEKEND_WEIGHT)
    assert expected == pytest.approx(0.34297, abs=1e-5)
    assert (d.dt.day_of_week >= 5).mean() == pytest.approx(expected, abs=0.004)   # 5 binomial s.e.


def test_channels_categories_and_products_follow_the_mix(data):
    _info, df = data
    shares = df["channel_key"].value_counts(normalize=True).sort_index().to_numpy()
    assert shares == pytest.approx(CHANNEL_MIX, abs=0.004)
    category = np.array([p[2] for p in PRODUCTS])[df["product_key"].to_numpy() - 1]
    business = is_business(df["customer_id"].to_numpy())
    for segment, rows in (("个人客户", ~business), ("企业客户", business)):
        got = pd.Series(category[rows]).value_counts(normalize=True).reindex(CATEGORIES).to_numpy()
        assert got == pytest.approx(CATEGORY_MIX[segment], abs=0.006)
    fruit = df.loc[category == "水果", "product_key"].value_counts(normalize=True).sort_index()
    assert fruit.index.tolist() == [1, 2, 3, 4] and fruit.to_numpy() == pytest.approx([0.25] * 4, abs=0.01)


def test_customers_quantities_and_amounts(data):
    _info, df = data
    ids = df["customer_id"].to_numpy()
    assert ids.min() >= 1 and ids.max() <= N // 20
    # business buyers: every 10th customer with 3 × the weight → expected share 0.1·3 / (0.9 + 0.1·3) = 0.25
    assert is_business(ids).mean() == pytest.approx(0.25, abs=0.02)
    unit = np.array([p[3] for p in PRODUCTS])[df["product_key"].to_numpy() - 1]
    price = np.array([p[4] for p in PRODUCTS])[df["product_key"].to_numpy() - 1]
    weighed = unit == "斤"
    business = is_business(ids)
    q = df["quantity"].to_numpy()
    # by weight: 0.5 + Gamma(2, 1) → mean 2.5 斤; packaged: 1 + Poisson(0.5) → mean 1.5; 企业客户 × 5
    assert q[weighed & ~business].mean() == pytest.approx(2.5, abs=0.03)
    assert q[~weighed & ~business].mean() == pytest.approx(1.5, abs=0.02)
    assert q[weighed & business].mean() == pytest.approx(12.5, abs=0.2)
    assert q[~weighed & business].mean() == pytest.approx(7.5, abs=0.15)
    assert np.all(q[~weighed] == np.round(q[~weighed]))                  # packaged goods come in whole units
    assert np.array_equal(df["amount"].to_numpy(), np.round(q * price, 2))


def test_same_parameters_same_files_other_seed_other_data(tmp_path):
    a = generate_transactions_parquet(tmp_path / "a", 5_000, seed=3, row_group_size=1_000)
    b = generate_transactions_parquet(tmp_path / "b", 5_000, seed=3, row_group_size=1_000)
    c = generate_transactions_parquet(tmp_path / "c", 5_000, seed=4, row_group_size=1_000)
    ta, tb, tc = (read_parquet_pandas(x.folder) for x in (a, b, c))
    pd.testing.assert_frame_equal(ta, tb)
    assert not ta["customer_id"].equals(tc["customer_id"])


def test_memory_stays_bounded_while_generating(tmp_path):
    n, rgs = 3_000_000, 50_000
    tracemalloc.start()
    try:
        generate_transactions_parquet(tmp_path / "big", n, n_customers=1_000, row_group_size=rgs)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # holding all rows at once would take at least 3,000,000 × 24 bytes (date 4 + customer 4 + product 2 +
    # channel 1 + quantity 8 + amount 8 = 27 bytes) ≈ 72 MiB; one 50,000-row chunk takes a few MiB
    assert peak < 25 * 2**20


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 3_000), rgs=st.integers(1, 1_200), files=st.integers(1, 4))
def test_any_chunking_gives_exactly_n_rows(tmp_path_factory, n, rgs, files):
    if files > n:
        with pytest.raises(InputError, match="files"):
            generate_transactions_parquet(tmp_path_factory.mktemp("h") / "x", n, row_group_size=rgs, files=files)
        return
    info = generate_transactions_parquet(tmp_path_factory.mktemp("h") / "x", n, row_group_size=rgs, files=files)
    assert info.rows == n and len(info.files) == files
    assert info.row_groups == _expected_groups(n, files, rgs)
    assert sum(pq.ParquetFile(info.folder / f).metadata.num_rows for f in info.files) == n


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.integers(-5, 0), st.floats(0.5, 3.5).filter(lambda x: x != int(x)), st.text(max_size=3),
                 st.none()))
def test_bad_row_counts_are_refused(n):
    with pytest.raises(InputError, match="n_rows"):
        generate_transactions_parquet("/nonexistent/never-written", n)


def test_other_bad_parameters(tmp_path):
    with pytest.raises(InputError, match="compression"):
        generate_transactions_parquet(tmp_path / "x", 10, compression="lz5")
    with pytest.raises(InputError, match="end"):
        generate_transactions_parquet(tmp_path / "x", 10, start="2024-01-02", end="2024-01-01")
    with pytest.raises(InputError, match="start/end"):
        generate_transactions_parquet(tmp_path / "x", 10, start="not a date")
    with pytest.raises(InputError, match="row_group_size"):
        generate_transactions_parquet(tmp_path / "x", 10, row_group_size=0)
    assert not (tmp_path / "x").exists()


def test_not_enough_disk_is_refused_before_writing(tmp_path, monkeypatch):
    import crmlab.bigdata as bigdata

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(bigdata.shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(InputError, match="磁盘空间不足"):
        generate_transactions_parquet(tmp_path / "x", 1_000)
    assert list(tmp_path.iterdir()) == []


def test_existing_folders_are_never_overwritten_unasked(tmp_path):
    target = tmp_path / "sales"
    generate_transactions_parquet(target, 1_000, seed=1)
    first = read_parquet_pandas(target)
    with pytest.raises(InputError, match="不为空"):
        generate_transactions_parquet(target, 1_000, seed=2)
    pd.testing.assert_frame_equal(read_parquet_pandas(target), first)
    generate_transactions_parquet(target, 2_000, seed=2, overwrite=True)
    assert len(read_parquet_pandas(target)) == 2_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales"]          # no temporary folders left behind
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="其他|other files"):
        generate_transactions_parquet(mine, 100, overwrite=True)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert generate_transactions_parquet(empty, 100).rows == 100
    a_file = tmp_path / "file.parquet"
    a_file.write_bytes(b"x")
    with pytest.raises(InputError, match="不是文件夹"):
        generate_transactions_parquet(a_file, 100)


@pytest.mark.parametrize("name", list(PARQUET_QUERIES))
def test_duckdb_out_of_core_equals_pandas(data, name):
    info, df = data
    _what, sql, columns = PARQUET_QUERIES[name]
    got = query_parquet(info.folder, sql, memory_limit="256MB", threads=2)
    want = pandas_query(df[list(columns)], name)
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-12)


def test_monthly_rollup_adds_up_to_the_whole_file(data):
    info, df = data
    t = query_parquet(info.folder, PARQUET_QUERIES["按月汇总"][1])
    assert len(t) == 36 and t["orders"].sum() == N
    assert t["amount"].sum() == pytest.approx(df["amount"].sum(), rel=1e-12)
    first = df[(df["date"].dt.year == 2022) & (df["date"].dt.month == 1)]
    assert t.iloc[0]["orders"] == len(first)


def test_query_errors_are_clear(tmp_path, data):
    info, _df = data
    with pytest.raises(InputError, match="不存在"):
        query_parquet(tmp_path / "nope", "SELECT COUNT(*) FROM {sales}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="没有 Parquet"):
        query_parquet(tmp_path / "empty", "SELECT COUNT(*) FROM {sales}")
    with pytest.raises(InputError, match=r"\{sales\}"):
        query_parquet(info.folder, "SELECT 1")
    with pytest.raises(InputError, match=r'SQL 语法错误.*syntax error at or near "SELEC"'):
        query_parquet(info.folder, "SELEC COUNT(*) FROM {sales}")
    with pytest.raises(InputError, match="nope"):
        query_parquet(info.folder, "SELECT nope FROM {sales}")
    with pytest.raises(InputError, match="memory_limit"):
        query_parquet(info.folder, "SELECT COUNT(*) FROM {sales}", memory_limit="lots")
    with pytest.raises(InputError, match="threads"):
        query_parquet(info.folder, "SELECT COUNT(*) FROM {sales}", threads=0)
    with pytest.raises(InputError, match="columns"):
        read_parquet_pandas(info.folder, ["date", "weather"])
    with pytest.raises(InputError, match="查询名"):
        pandas_query(pd.DataFrame(), "按星座汇总")
    with pytest.raises(InputError, match="缺少列"):
        pandas_query(pd.DataFrame({"date": []}), "按月汇总")


def test_same_result_compares_by_hand():
    a = pd.DataFrame({"k": ["x", "y"], "v": [1.0, 2.0], "n": np.array([1, 2], dtype=np.int32)})
    b = pd.DataFrame({"k": ["x", "y"], "v": [1.0 + 1e-12, 2.0], "n": np.array([1, 2], dtype=np.int64)})
    assert same_result(a, b)                                   # 1e-12 relative is within 1e-9; int widths ignored
    assert not same_result(a, b.assign(v=[1.001, 2.0]))       # 1e-3 relative is not
    assert not same_result(a, b.assign(k=["x", "z"]))
    assert not same_result(a, b.iloc[:1])
    assert not same_result(a, b.rename(columns={"v": "w"}))
    with pytest.raises(InputError, match="rtol"):
        same_result(a, b, rtol=-1)
    with pytest.raises(InputError, match="DataFrame"):
        same_result(a, [1, 2])
