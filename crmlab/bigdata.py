"""大数据 big data on one machine: 10^7–10^8 simulated sales as Parquet files, queried out of core with DuckDB.

梁燕冰 模块七 单元二 (大数据与客户关系管理): when the sales records no longer fit comfortably in memory, the same
roll-up and drill-down questions as in the data warehouse (:mod:`crmlab.warehouse`) are answered by a query
engine that streams the files — DuckDB reads only the columns and row groups a query needs, works with a fixed
``memory_limit`` and spills to disk beyond it — instead of loading everything into a pandas DataFrame.

:func:`generate_transactions_parquet` writes the data in chunks of ``row_group_size`` rows, so memory stays bounded
whatever ``n_rows`` is (the largest arrays held at once are one chunk, the per-customer weights and the per-day
counts). The data are 模拟数据 from these distributions (one draw per row unless stated):

* date — the rows are spread over the days ``start``…``end`` by one multinomial draw, a Saturday or Sunday weighing
  :data:`WEEKEND_WEIGHT` = 1.3 times a weekday; rows are written in date order (so a date filter skips whole row
  groups);
* customer_id — 1…``n_customers``; each customer has a buying weight ~ Gamma(shape 1.2, scale 1), three times higher
  for 企业客户 (customer_id divisible by 10: :func:`is_business`); each row's customer is drawn with probability
  proportional to the weights;
* product_key — category by the customer's segment (:data:`crmlab.warehouse.CATEGORY_MIX`), then one of the
  category's four products of :data:`crmlab.warehouse.PRODUCTS` with equal probability;
* channel_key — 1 App 60 %, 2 小程序 30 %, 3 门店 10 % (:data:`CHANNEL_MIX`);
* quantity — products sold by weight (unit 斤): 0.5 + Gamma(shape 2, scale 1), rounded to 0.1 斤 (mean 2.5);
  packaged products: 1 + Poisson(0.5) units (mean 1.5); 企业客户 buy 5 times as much;
* amount — quantity × list price, rounded to 0.01 元.

Columns (:data:`PARQUET_SCHEMA`): ``date`` date32, ``customer_id`` int32, ``product_key`` int16, ``channel_key``
int8, ``quantity`` float64, ``amount`` float64. Files ``part-00000.parquet`` … plus a manifest
``_crmlab_transactions.json`` (parameters and row count; pyarrow and DuckDB's ``*.parquet`` ignore it).

:func:`query_parquet` runs a SQL template (``{sales}`` stands for ``read_parquet('<folder>/*.parquet')``; the
tables ``dim_product`` and ``dim_channel`` are available) with a memory limit and a thread count;
:data:`PARQUET_QUERIES` holds the standard queries and :func:`pandas_query` the same queries written in pandas,
for comparison (``benchmarks/bigdata_duckdb.py``).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import CHANNELS
from .errors import InputError, require_int
from .warehouse import CATEGORIES, CATEGORY_MIX, CHANNEL_TYPES, PRODUCTS, product_table, run_sql

__all__ = [
    "BIGDATA_SEED",
    "CHANNEL_MIX",
    "MANIFEST",
    "PARQUET_QUERIES",
    "PARQUET_SCHEMA_DOC",
    "WEEKEND_WEIGHT",
    "ParquetDataset",
    "estimate_parquet_bytes",
    "generate_transactions_parquet",
    "is_business",
    "pandas_query",
    "parquet_files",
    "query_parquet",
    "read_parquet_pandas",
    "same_result",
]

BIGDATA_SEED = 2024
#: 周末权重 a Saturday or Sunday gets this many times the rows of a weekday (in expectation).
WEEKEND_WEIGHT = 1.3
#: 购买渠道分布 probability of channel_key 1, 2, 3 (App, 小程序, 门店).
CHANNEL_MIX: tuple[float, float, float] = (0.6, 0.3, 0.1)
_BUSINESS_EVERY = 10
_BUSINESS_RATE = 3.0
_BUSINESS_QUANTITY = 5
_GAMMA_SHAPE = 1.2
#: 清单文件名 the manifest written next to the Parquet files.
MANIFEST = "_crmlab_transactions.json"
#: 列说明 the columns of the Parquet files: name → (Arrow type, 含义).
PARQUET_SCHEMA_DOC: dict[str, tuple[str, str]] = {
    "date": ("date32", "交易日期"),
    "customer_id": ("int32", "客户编号 1…n_customers（能被 10 整除的是企业客户）"),
    "product_key": ("int16", "商品键 → dim_product"),
    "channel_key": ("int8", "渠道键 → dim_channel：1 App，2 小程序，3 门店"),
    "quantity": ("float64", "数量（斤或件）"),
    "amount": ("float64", "金额（元）"),
}
_BYTES_PER_ROW = 12.0   # a generous estimate for the disk-space check; measured ~6 bytes/row with zstd


def _schema():
    import pyarrow as pa

    return pa.schema([("date", pa.date32()), ("customer_id", pa.int32()), ("product_key", pa.int16()),
                      ("channel_key", pa.int8()), ("quantity", pa.float64()), ("amount", pa.float64())])


def is_business(customer_id: object) -> np.ndarray:
    """企业客户 whether each customer id belongs to a business buyer (ids divisible by 10) in the generated data."""
    ids = np.asarray(customer_id)
    return ids % _BUSINESS_EVERY == 0


@dataclass(frozen=True)
class ParquetDataset:
    """Parquet 数据集 what :func:`generate_transactions_parquet` wrote: folder, file names, rows, row groups, bytes
    on disk and the parameters (also in the manifest)."""

    folder: Path
    files: tuple[str, ...]
    rows: int
    row_groups: int
    bytes: int
    params: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"ParquetDataset({self.rows:,} 行 rows, {len(self.files)} 个文件 files, {self.row_groups} 个行组 "
                f"row groups, {self.bytes / 2**20:,.1f} MiB)")


def estimate_parquet_bytes(n_rows: int) -> int:
    """预计文件大小 a generous estimate (12 bytes per row) of the disk space ``n_rows`` rows need, in bytes."""
    return int(require_int(n_rows, "行数", "n_rows", minimum=1) * _BYTES_PER_ROW)


def _period(start: object, end: object) -> pd.DatetimeIndex:
    try:
        t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    except (TypeError, ValueError):
        raise InputError(f"起止日期 start/end 不是有效日期 (invalid date)，收到 start={start!r}, end={end!r}") from None
    if t1 < t0:
        raise InputError(f"结束日期 end 不能早于开始日期 start，收到 start={t0.date()}, end={t1.date()}")
    return pd.date_range(t0, t1, freq="D")


def _prepare_target(target: Path, overwrite: bool) -> None:
    if target.exists() and not target.is_dir():
        raise InputError(f"输出路径 folder 已存在且不是文件夹 (not a folder)：{target}")
    if target.is_dir():
        contents = list(target.iterdir())
        if contents and not overwrite:
            raise InputError(f"文件夹已存在且不为空 folder exists and is not empty，不会覆盖 "
                             f"(pass overwrite=True to replace it)：{target}")
        ours = all(p.is_file() and (p.name == MANIFEST or re.fullmatch(r"part-\d{5}\.parquet", p.name))
                   for p in contents)
        if contents and not ours:
            raise InputError(f"文件夹里有不是本函数生成的文件，不会删除 (folder holds other files)：{target}")


def _chunk(lo: int, hi: int, chunk_index: int, seed: int, cum_days: np.ndarray, day0: int, cum_weights: np.ndarray,
           tables: dict[str, np.ndarray]):
    """Rows lo…hi−1 as an Arrow table (one row group)."""
    import pyarrow as pa

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, chunk_index)))
    m = hi - lo
    day = np.searchsorted(cum_days, np.arange(lo, hi, dtype=np.int64), side="right")
    n_cust = len(cum_weights)
    cust = np.minimum(np.searchsorted(cum_weights, rng.random(m), side="right"), n_cust - 1) + 1
    business = is_business(cust)
    u = rng.random(m)
    cat = np.where(business, np.searchsorted(tables["mix_business"], u, side="right"),
                   np.searchsorted(tables["mix_individual"], u, side="right"))
    per_cat = len(PRODUCTS) // len(CATEGORIES)
    pos = cat * per_cat + rng.integers(0, per_cat, size=m)
    channel = np.searchsorted(tables["channel_cum"], rng.random(m), side="right") + 1
    weighed = tables["weighed"][pos]
    by_weight = np.round(0.5 + rng.gamma(2.0, 1.0, size=m), 1)
    packaged = 1.0 + rng.poisson(0.5, size=m)
    quantity = np.round(np.where(weighed, by_weight, packaged) * np.where(business, _BUSINESS_QUANTITY, 1), 1)
    amount = np.round(quantity * tables["price"][pos], 2)
    return pa.table({
        "date": pa.array((day0 + day).astype(np.int32), type=pa.date32()),
        "customer_id": pa.array(cust.astype(np.int32)),
        "product_key": pa.array((pos + 1).astype(np.int16)),
        "channel_key": pa.array(channel.astype(np.int8)),
        "quantity": pa.array(quantity),
        "amount": pa.array(amount),
    }, schema=_schema())


def generate_transactions_parquet(folder: str | os.PathLike[str], n_rows: int, *, seed: int = BIGDATA_SEED,
                                  n_customers: int | None = None, row_group_size: int = 1_000_000,
                                  files: int | None = None, start: str = "2022-01-01", end: str = "2024-12-31",
                                  compression: str = "zstd", overwrite: bool = False) -> ParquetDataset:
    """生成大数据 write ``n_rows`` simulated sales as Parquet files into ``folder`` (distributions: module docstring).

    * ``n_customers`` — default ``max(1, n_rows // 20)`` (20 purchases per customer on average);
    * ``row_group_size`` — rows generated and written at a time (one Parquet row group); memory stays around
      ``row_group_size × 150`` bytes plus ``n_customers × 8`` bytes, whatever ``n_rows`` is;
    * ``files`` — number of files (rows split evenly, in date order); default one file per 10^7 rows;
    * ``compression`` — Parquet codec: ``"zstd"`` (default), ``"snappy"``, ``"gzip"`` or ``"none"``.

    Deterministic for given parameters. The files are written into a temporary folder next to ``folder`` and moved
    into place when complete. ``folder`` may be new or empty; a non-empty folder is an :class:`InputError` unless
    ``overwrite=True`` — and even then only a folder holding nothing but files of this function is replaced. Not
    enough free disk space (:func:`estimate_parquet_bytes`) is an :class:`InputError` before anything is written.
    """
    import pyarrow.parquet as pq

    n = require_int(n_rows, "行数", "n_rows", minimum=1)
    s = require_int(seed, "随机种子", "seed", minimum=0)
    k = require_int(n_customers if n_customers is not None else max(1, n // 20), "客户数", "n_customers", minimum=1)
    if k > 2**31 - 1:
        raise InputError(f"客户数 n_customers 不能超过 2^31 − 1，收到 {k}")
    rgs = require_int(row_group_size, "行组大小", "row_group_size", minimum=1)
    n_files = require_int(files if files is not None else max(1, math.ceil(n / 10_000_000)), "文件数", "files",
                          minimum=1)
    if n_files > n:
        raise InputError(f"文件数 files 不能多于行数 n_rows ({n})，收到 {n_files}")
    if compression not in ("zstd", "snappy", "gzip", "none"):
        raise InputError(f"压缩方式 compression 只能是 zstd/snappy/gzip/none，收到 {compression!r}")
    days = _period(start, end)
    if not isinstance(folder, (str, os.PathLike)) or not str(folder):
        raise InputError(f"输出文件夹 folder 必须是路径，收到 {folder!r}")
    target = Path(folder).expanduser()
    _prepare_target(target, overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(target.parent).free
    if free < estimate_parquet_bytes(n):
        raise InputError(f"磁盘空间不足 not enough disk space：约需 {estimate_parquet_bytes(n) / 2**30:.1f} GiB，"
                         f"可用 {free / 2**30:.1f} GiB（{target.parent}）")

    rng = np.random.default_rng(np.random.SeedSequence(s, spawn_key=(0,)))
    weekday_weights = np.where(days.day_of_week.to_numpy() >= 5, WEEKEND_WEIGHT, 1.0)
    cum_days = np.cumsum(rng.multinomial(n, weekday_weights / weekday_weights.sum()))
    ids = np.arange(1, k + 1)
    weights = rng.gamma(_GAMMA_SHAPE, 1.0, size=k) * np.where(is_business(ids), _BUSINESS_RATE, 1.0)
    cum_weights = np.cumsum(weights)
    cum_weights /= cum_weights[-1]
    del weights, ids
    catalogue = product_table()
    tables = {
        "mix_individual": np.cumsum(CATEGORY_MIX["个人客户"])[:-1],
        "mix_business": np.cumsum(CATEGORY_MIX["企业客户"])[:-1],
        "channel_cum": np.cumsum(CHANNEL_MIX)[:-1],
        "weighed": (catalogue["unit"] == "斤").to_numpy(),
        "price": catalogue["list_price"].to_numpy(dtype=float),
    }
    day0 = int((days[0] - pd.Timestamp("1970-01-01")).days)
    params = {"generator": "crmlab.bigdata.generate_transactions_parquet", "n_rows": n, "seed": s,
              "n_customers": k, "row_group_size": rgs, "files": n_files, "start": str(days[0].date()),
              "end": str(days[-1].date()), "compression": compression, "data": "模拟数据 simulated data"}

    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    names: list[str] = []
    groups = 0
    try:
        chunk_index = 0
        for f in range(n_files):
            lo, hi = f * n // n_files, (f + 1) * n // n_files
            name = f"part-{f:05d}.parquet"
            with pq.ParquetWriter(work / name, _schema(), compression=compression) as writer:
                for a in range(lo, hi, rgs):
                    b = min(a + rgs, hi)
                    writer.write_table(_chunk(a, b, chunk_index, s, cum_days, day0, cum_weights, tables),
                                       row_group_size=b - a)
                    chunk_index += 1
                    groups += 1
            names.append(name)
        (work / MANIFEST).write_text(json.dumps({**params, "file_names": names}, ensure_ascii=False, indent=1),
                                     encoding="utf-8")
        os.chmod(work, 0o777 & ~_umask())
        if target.is_dir() and any(target.iterdir()):
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.rename(target, old / "data")
            os.rename(work, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                os.rename(work, target)       # replaces an empty folder; fails if one with files appeared meanwhile
            except OSError:
                raise InputError(f"文件夹已存在且不为空 folder exists and is not empty：{target}") from None
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    size = sum((target / name).stat().st_size for name in names)
    return ParquetDataset(target, tuple(names), n, groups, size, params)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def parquet_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Parquet 文件列表 the ``*.parquet`` files in ``folder`` (sorted); an :class:`InputError` if there are none."""
    if not isinstance(folder, (str, os.PathLike)) or not str(folder):
        raise InputError(f"数据文件夹 folder 必须是路径，收到 {folder!r}")
    path = Path(folder).expanduser()
    if not path.exists():
        raise InputError(f"数据文件夹不存在 folder not found：{path}（先用 generate_transactions_parquet 生成）")
    if not path.is_dir():
        raise InputError(f"数据路径不是文件夹 not a folder：{path}")
    found = sorted(path.glob("*.parquet"))
    if not found:
        raise InputError(f"文件夹里没有 Parquet 文件 no *.parquet files：{path}")
    return found


_MEMORY = re.compile(r"\s*\d+(\.\d+)?\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*", re.IGNORECASE)


def query_parquet(folder: str | os.PathLike[str], sql_template: str, *, memory_limit: str = "1GB", threads: int = 2,
                  temp_directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """核外查询 run ``sql_template`` on the Parquet files of ``folder`` with DuckDB, out of core.

    ``{sales}`` in the template is replaced by ``read_parquet('<folder>/*.parquet')``; the tables ``dim_product``
    (:data:`crmlab.warehouse.PRODUCTS`) and ``dim_channel`` can be joined. DuckDB runs with ``memory_limit``
    (e.g. ``"1GB"``, ``"512MB"``) and ``threads`` (≥ 1) and spills what does not fit to ``temp_directory``
    (default: a temporary folder, deleted afterwards). Exactly one query; errors are :class:`InputError` with
    DuckDB's message.
    """
    import duckdb

    files = parquet_files(folder)
    if not isinstance(sql_template, str) or "{sales}" not in sql_template:
        raise InputError(f"SQL 模板 sql_template 必须是含有 {{sales}} 的字符串，收到 {sql_template!r}")
    if not isinstance(memory_limit, str) or not _MEMORY.fullmatch(memory_limit):
        raise InputError(f"内存上限 memory_limit 必须形如 '512MB' 或 '2GB'，收到 {memory_limit!r}")
    t = require_int(threads, "线程数", "threads", minimum=1)
    pattern = str(files[0].parent.resolve() / "*.parquet").replace("'", "''")
    sql = sql_template.replace("{sales}", f"read_parquet('{pattern}')")
    spill = Path(tempfile.mkdtemp(prefix="crmlab_spill_")) if temp_directory is None else Path(temp_directory)
    try:
        conn = duckdb.connect(":memory:", config={"memory_limit": memory_limit.strip(), "threads": t,
                                                  "temp_directory": str(spill),
                                                  "preserve_insertion_order": False})
        try:
            for name, frame in (("dim_product", product_table()), ("dim_channel", _channel_frame())):
                conn.register("_src", frame)
                conn.execute(f"CREATE TABLE {name} AS SELECT * FROM _src")
                conn.unregister("_src")
            return run_sql(conn, sql)
        finally:
            conn.close()
    finally:
        if temp_directory is None:
            shutil.rmtree(spill, ignore_errors=True)


def _channel_frame() -> pd.DataFrame:
    return pd.DataFrame({"channel_key": np.arange(1, len(CHANNELS) + 1, dtype=np.int64), "channel": list(CHANNELS),
                         "channel_type": [CHANNEL_TYPES[c] for c in CHANNELS]})


def read_parquet_pandas(folder: str | os.PathLike[str], columns: list[str] | None = None) -> pd.DataFrame:
    """读入内存 load the Parquet files of ``folder`` into one pandas DataFrame (all of it in memory: the approach that
    stops working when the data outgrow the machine). ``date`` becomes ``datetime64``; ``columns`` picks columns."""
    import pyarrow.dataset as ds

    files = parquet_files(folder)
    dataset = ds.dataset([str(f) for f in files], format="parquet")
    if columns is not None:
        unknown = [c for c in columns if c not in dataset.schema.names]
        if unknown:
            raise InputError(f"列名 columns 不存在 {unknown}；可用的列 {dataset.schema.names}")
    return dataset.to_table(columns=columns).to_pandas(date_as_object=False)


# --- the standard queries, in SQL and in pandas -----------------------------------------------------------------

#: 标准查询 name → (说明, SQL template, columns a pandas version needs). ``{sales}`` = the Parquet files.
PARQUET_QUERIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "按月汇总": ("上卷到“年-月”：每月订单数与销售额（元）", """
SELECT year(date) AS year, month(date) AS month, COUNT(*) AS orders, ROUND(SUM(amount), 2) AS amount
FROM {sales}
GROUP BY year, month
ORDER BY year, month""", ("date", "amount")),
    "品类 × 渠道": ("下钻：品类 × 购买渠道的订单数与销售额（先在大表上按键汇总，再连接小的维度表）", """
WITH by_key AS (
    SELECT product_key, channel_key, COUNT(*) AS orders, SUM(amount) AS amount
    FROM {sales}
    GROUP BY product_key, channel_key
)
SELECT p.category, ch.channel, SUM(k.orders)::BIGINT AS orders, ROUND(SUM(k.amount), 2) AS amount
FROM by_key AS k
JOIN dim_product AS p USING (product_key)
JOIN dim_channel AS ch USING (channel_key)
GROUP BY p.category, ch.channel
ORDER BY p.category, ch.channel""", ("product_key", "channel_key", "amount")),
    "切片：2024 年各商品": ("切片：只看 2024 年，每种商品的订单数、数量和销售额", """
SELECT p.category, p.product_name, COUNT(*) AS orders, ROUND(SUM(s.quantity), 1) AS quantity,
       ROUND(SUM(s.amount), 2) AS amount
FROM {sales} AS s
JOIN dim_product AS p USING (product_key)
WHERE s.date >= DATE '2024-01-01' AND s.date < DATE '2025-01-01'
GROUP BY p.category, p.product_name
ORDER BY p.category, p.product_name""", ("date", "product_key", "quantity", "amount")),
    "客户消费排行": ("按客户汇总（分组数 = 客户数，最耗内存）后取消费额最高的 20 位", """
SELECT customer_id, COUNT(*) AS orders, ROUND(SUM(amount), 2) AS amount
FROM {sales}
GROUP BY customer_id
ORDER BY amount DESC, customer_id
LIMIT 20""", ("customer_id", "amount")),
}


def _monthly(df: pd.DataFrame) -> pd.DataFrame:
    d = df["date"]
    out = (df.groupby([d.dt.year.rename("year"), d.dt.month.rename("month")], sort=True)["amount"]
           .agg(orders="size", amount="sum").reset_index())
    return out.assign(amount=out["amount"].round(2))


def _category_channel(df: pd.DataFrame) -> pd.DataFrame:
    fine = df.groupby(["product_key", "channel_key"], sort=False)["amount"].agg(orders="size", amount="sum")
    fine = fine.reset_index()
    fine["category"] = product_table().set_index("product_key")["category"].reindex(fine["product_key"]).to_numpy()
    fine["channel"] = _channel_frame().set_index("channel_key")["channel"].reindex(fine["channel_key"]).to_numpy()
    out = fine.groupby(["category", "channel"], sort=True)[["orders", "amount"]].sum().reset_index()
    return out.assign(amount=out["amount"].round(2))


def _slice_2024(df: pd.DataFrame) -> pd.DataFrame:
    d = df["date"]
    part = df[(d >= pd.Timestamp("2024-01-01")) & (d < pd.Timestamp("2025-01-01"))]
    g = part.groupby("product_key", sort=False).agg(orders=("amount", "size"), quantity=("quantity", "sum"),
                                                    amount=("amount", "sum")).reset_index()
    names = product_table().set_index("product_key")
    g["category"] = names["category"].reindex(g["product_key"]).to_numpy()
    g["product_name"] = names["product_name"].reindex(g["product_key"]).to_numpy()
    out = g.sort_values(["category", "product_name"])[["category", "product_name", "orders", "quantity", "amount"]]
    return out.assign(quantity=out["quantity"].round(1), amount=out["amount"].round(2)).reset_index(drop=True)


def _top_customers(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby("customer_id", sort=False)["amount"].agg(orders="size", amount="sum").reset_index()
    g["amount"] = g["amount"].round(2)
    return g.sort_values(["amount", "customer_id"], ascending=[False, True]).head(20).reset_index(drop=True)


_PANDAS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "按月汇总": _monthly,
    "品类 × 渠道": _category_channel,
    "切片：2024 年各商品": _slice_2024,
    "客户消费排行": _top_customers,
}


def pandas_query(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """同一查询的 pandas 版本 the query ``name`` of :data:`PARQUET_QUERIES` computed with pandas on ``frame``
    (from :func:`read_parquet_pandas`): same columns, same row order, same rounding as the SQL."""
    if name not in _PANDAS:
        raise InputError(f"查询名 name 只能是 {', '.join(_PANDAS)}，收到 {name!r}")
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"数据 frame 必须是 pandas DataFrame，收到 {type(frame).__name__}")
    missing = [c for c in PARQUET_QUERIES[name][2] if c not in frame.columns]
    if missing:
        raise InputError(f"数据 frame 缺少列 missing columns {missing}"
                         f"（查询 {name} 需要 {list(PARQUET_QUERIES[name][2])}）")
    return _PANDAS[name](frame)


def same_result(a: pd.DataFrame, b: pd.DataFrame, *, rtol: float = 1e-9) -> bool:
    """结果一致 whether two query results agree: same column names, same number of rows, the same values row by row
    (text exactly; numbers to the relative tolerance ``rtol`` — sums of floats may differ in the last digits when
    added in another order). Integer widths may differ (DuckDB returns int64 where pandas keeps int32)."""
    if not isinstance(a, pd.DataFrame) or not isinstance(b, pd.DataFrame):
        raise InputError(f"结果 a、b 必须是 DataFrame，收到 {type(a).__name__}、{type(b).__name__}")
    if not 0 <= rtol < 1:
        raise InputError(f"相对误差 rtol 必须在 [0, 1) 之间，收到 {rtol!r}")
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if pd.api.types.is_numeric_dtype(a[col]) and pd.api.types.is_numeric_dtype(b[col]):
            if not np.allclose(x.astype(float), y.astype(float), rtol=rtol, atol=0.0, equal_nan=True):
                return False
        elif not np.array_equal(x.astype(str), y.astype(str)):
            return False
    return True
