"""数据仓库 the workbook's data warehouse: 鲜果园's sales as a star schema (星型模型) in an embedded DuckDB database.

梁燕冰 模块七 单元一 (数据仓库与客户关系管理): the operational customer database (:mod:`crmlab.customer_db`, one row
per event, built for recording) is reorganised for analysis. One **fact table** holds the measures of each sale;
small **dimension tables** describe the sale by *when*, *who*, *what* and *where*:

* ``fact_sales`` — one row per transaction line: ``date_key``, ``customer_key``, ``product_key``, ``channel_key``,
  ``quantity`` and ``amount`` (元);
* ``dim_date`` — every calendar day of the years covered: year, quarter, month, ISO week, weekday, weekend and
  holiday flags (:data:`HOLIDAY_RULES`);
* ``dim_customer`` — segment (个人/企业客户), city, registration channel, registration date, target flags;
* ``dim_product`` — the product catalogue :data:`PRODUCTS` (5 categories × 4 products, list prices in 元);
* ``dim_channel`` — App, 小程序 (both 线上 online) and 门店 (线下 offline).

Sources: the committed green-food tables (:func:`crmlab.datasets.load_green_food`). Those record only the customer,
the date and the amount of each purchase, so the product and the purchase channel of each transaction are assigned
here, from a seed, by :func:`assign_products` (模拟数据; the amounts are kept exactly):

* category — 个人客户: 水果 40 %, 蔬菜 25 %, 肉禽蛋 15 %, 乳品 12 %, 粮油 8 %; 企业客户 (restaurants, shops):
  水果 15 %, 蔬菜 35 %, 肉禽蛋 30 %, 乳品 5 %, 粮油 15 % (:data:`CATEGORY_MIX`); the product is then one of the
  category's four products with equal probability;
* channel — the customer's registration channel with probability 0.7, otherwise one of the other two channels
  with probability 0.15 each;
* quantity — amount ÷ the product's list price, rounded to 0.01 unit (fresh food is weighed; the difference to
  the list price stands for promotions and weight).

OLAP (联机分析处理) on the cube: :func:`rollup` (上卷, SQL ``GROUP BY ROLLUP``: subtotals up a hierarchy),
:func:`drilldown` (下钻, to a finer level), :func:`slice_` (切片, one dimension fixed to one value) and :func:`dice`
(切块, several dimensions restricted to sets of values). Each returns an :class:`OlapResult` holding the SQL it
ran and the table it got, so a learner can copy the SQL into :func:`run_sql` and edit it. :data:`EXAMPLE_QUERIES`
holds hand-written queries for the notebook's SQL playground.

Typical use::

    conn = build_warehouse()                       # in memory; or build_warehouse("work/鲜果园仓库.duckdb")
    rollup(conn, ["year", "quarter"])              # SQL + table
    run_sql(conn, "SELECT COUNT(*) FROM fact_sales")
    conn = open_warehouse("work/鲜果园仓库.duckdb")  # read-only; checks the file first
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .datasets import CHANNELS, GreenFood, load_green_food
from .errors import InputError, require_int
from .fileio import staged_file

__all__ = [
    "ATTRIBUTES",
    "CATEGORIES",
    "CATEGORY_MIX",
    "CHANNEL_TYPES",
    "EXAMPLE_QUERIES",
    "HIERARCHIES",
    "HOLIDAY_RULES",
    "PRODUCTS",
    "SCHEMA_VERSION",
    "SPRING_FESTIVAL",
    "STAR_SCHEMA_SQL",
    "WAREHOUSE_SEED",
    "WAREHOUSE_TABLES",
    "OlapResult",
    "assign_products",
    "build_warehouse",
    "date_dimension",
    "dice",
    "drilldown",
    "olap_sql",
    "open_warehouse",
    "product_table",
    "rollup",
    "run_sql",
    "slice_",
    "warehouse_counts",
]

#: 默认随机种子 the seed of the product/channel assignment in the default warehouse.
WAREHOUSE_SEED = 2024
#: 仓库结构版本 stored in ``warehouse_meta``; :func:`open_warehouse` refuses files of another version.
SCHEMA_VERSION = 1
_APPLICATION = "crmlab-warehouse"

CATEGORIES: tuple[str, ...] = ("水果", "蔬菜", "肉禽蛋", "乳品", "粮油")

#: 商品目录 the product catalogue (模拟数据): (product_id, name, category, unit, list price in 元 per unit).
#: ``product_key`` is the position in this tuple plus one.
PRODUCTS: tuple[tuple[str, str, str, str, float], ...] = (
    ("P01", "苹果", "水果", "斤", 6.8),
    ("P02", "香蕉", "水果", "斤", 3.5),
    ("P03", "草莓", "水果", "盒", 29.9),
    ("P04", "橙子", "水果", "斤", 5.5),
    ("P05", "西红柿", "蔬菜", "斤", 4.2),
    ("P06", "黄瓜", "蔬菜", "斤", 3.0),
    ("P07", "菠菜", "蔬菜", "斤", 5.0),
    ("P08", "有机生菜", "蔬菜", "袋", 8.9),
    ("P09", "猪里脊", "肉禽蛋", "斤", 18.0),
    ("P10", "鸡胸肉", "肉禽蛋", "斤", 12.5),
    ("P11", "土鸡蛋", "肉禽蛋", "盒", 24.0),
    ("P12", "牛腩", "肉禽蛋", "斤", 45.0),
    ("P13", "鲜牛奶", "乳品", "瓶", 9.8),
    ("P14", "酸奶", "乳品", "杯", 5.5),
    ("P15", "奶酪", "乳品", "盒", 32.0),
    ("P16", "有机牛奶", "乳品", "箱", 68.0),
    ("P17", "东北大米", "粮油", "袋", 59.0),
    ("P18", "面粉", "粮油", "袋", 25.0),
    ("P19", "菜籽油", "粮油", "桶", 79.0),
    ("P20", "杂粮礼盒", "粮油", "盒", 99.0),
)

#: 各类客户的品类结构 probability of each category (in :data:`CATEGORIES` order) by customer segment (模拟数据).
CATEGORY_MIX: dict[str, tuple[float, ...]] = {
    "个人客户": (0.40, 0.25, 0.15, 0.12, 0.08),
    "企业客户": (0.15, 0.35, 0.30, 0.05, 0.15),
}

#: 渠道类型 online/offline for each purchase channel; ``channel_key`` follows :data:`crmlab.datasets.CHANNELS`.
CHANNEL_TYPES: dict[str, str] = {"App": "线上", "小程序": "线上", "门店": "线下"}

_SAME_CHANNEL = 0.7

#: 春节（农历正月初一）的公历日期 the Gregorian date of the first day of the lunar new year, 2020–2030 (public
#: calendar facts). Outside these years 春节 is not marked in ``dim_date``.
SPRING_FESTIVAL: dict[int, str] = {
    2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10",
    2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13",
    2030: "2030-02-03",
}

#: 节假日规则 the holidays flagged in ``dim_date``: the statutory days of four holidays under the 2013 rules
#: (《全国年节及纪念日放假办法》 2013 年修订) that the 2022–2024 data fall under — 元旦 1 January, 春节 the first
#: three days of the lunar year (from :data:`SPRING_FESTIVAL`), 劳动节 1 May, 国庆节 1–3 October. Make-up working
#: days (调休) and the lunar holidays 清明/端午/中秋 are not marked.
HOLIDAY_RULES: dict[str, str] = {
    "元旦": "1 月 1 日",
    "春节": "农历正月初一至初三（按 SPRING_FESTIVAL 表）",
    "劳动节": "5 月 1 日",
    "国庆节": "10 月 1 日至 3 日",
}

#: 表名与中文名 the tables of the warehouse.
WAREHOUSE_TABLES: dict[str, str] = {
    "dim_date": "日期维度",
    "dim_customer": "客户维度",
    "dim_product": "商品维度",
    "dim_channel": "渠道维度",
    "fact_sales": "销售事实表",
    "warehouse_meta": "仓库说明",
}

#: 星型模型 DDL the star schema, exactly as :func:`build_warehouse` runs it.
STAR_SCHEMA_SQL = """
-- 日期维度：每个日历日一行；date_key 写成 YYYYMMDD 整数，如 20240210
CREATE TABLE dim_date (
    date_key      INTEGER PRIMARY KEY,
    date          DATE NOT NULL UNIQUE,
    year          SMALLINT NOT NULL,
    quarter       TINYINT NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    month         TINYINT NOT NULL CHECK (month BETWEEN 1 AND 12),
    year_month    VARCHAR NOT NULL,                              -- '2024-02'
    iso_week      TINYINT NOT NULL CHECK (iso_week BETWEEN 1 AND 53),  -- ISO 周次
    weekday       TINYINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),    -- 1 = 周一 … 7 = 周日
    weekday_name  VARCHAR NOT NULL,
    is_weekend    BOOLEAN NOT NULL,
    holiday       VARCHAR,                                       -- 节日名称，非节日为 NULL
    is_holiday    BOOLEAN NOT NULL
);

-- 客户维度：每位注册客户一行；customer_key 是仓库自己的代理键
CREATE TABLE dim_customer (
    customer_key          INTEGER PRIMARY KEY,
    customer_id           VARCHAR NOT NULL UNIQUE,               -- 业务系统中的客户编号 C00001…
    segment               VARCHAR NOT NULL CHECK (segment IN ('个人客户', '企业客户')),
    city                  VARCHAR NOT NULL,
    registration_channel  VARCHAR NOT NULL,                      -- 注册渠道
    registered            DATE NOT NULL,
    is_target             BOOLEAN NOT NULL,
    non_customer          BOOLEAN NOT NULL
);

-- 商品维度：品类 → 商品 两层
CREATE TABLE dim_product (
    product_key   INTEGER PRIMARY KEY,
    product_id    VARCHAR NOT NULL UNIQUE,
    product_name  VARCHAR NOT NULL,
    category      VARCHAR NOT NULL,
    unit          VARCHAR NOT NULL,                              -- 计量单位：斤、盒、袋……
    list_price    DECIMAL(10, 2) NOT NULL CHECK (list_price > 0) -- 元 / 单位
);

-- 渠道维度：渠道类型 → 渠道 两层
CREATE TABLE dim_channel (
    channel_key   INTEGER PRIMARY KEY,
    channel       VARCHAR NOT NULL UNIQUE,
    channel_type  VARCHAR NOT NULL CHECK (channel_type IN ('线上', '线下'))
);

-- 销售事实表：每个交易行一行，四个外键指向四个维度，两个度量
CREATE TABLE fact_sales (
    sale_id       BIGINT PRIMARY KEY,
    date_key      INTEGER NOT NULL REFERENCES dim_date (date_key),
    customer_key  INTEGER NOT NULL REFERENCES dim_customer (customer_key),
    product_key   INTEGER NOT NULL REFERENCES dim_product (product_key),
    channel_key   INTEGER NOT NULL REFERENCES dim_channel (channel_key),
    quantity      DECIMAL(12, 2) NOT NULL CHECK (quantity > 0),  -- 数量（单位见 dim_product.unit）
    amount        DECIMAL(12, 2) NOT NULL CHECK (amount > 0)     -- 金额（元）
);

-- 仓库说明（键值对）
CREATE TABLE warehouse_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
""".strip()

_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

#: OLAP 可用的维度属性 attribute name → (SQL expression on the star join, 中文名). The aliases are ``f`` fact_sales,
#: ``d`` dim_date, ``c`` dim_customer, ``p`` dim_product, ``ch`` dim_channel.
ATTRIBUTES: dict[str, tuple[str, str]] = {
    "year": ("d.year", "年"),
    "quarter": ("d.quarter", "季度"),
    "month": ("d.month", "月"),
    "year_month": ("d.year_month", "年月"),
    "date": ("d.date", "日期"),
    "weekday": ("d.weekday", "星期（1 = 周一）"),
    "is_weekend": ("d.is_weekend", "是否周末"),
    "holiday": ("d.holiday", "节日"),
    "segment": ("c.segment", "客户类型"),
    "city": ("c.city", "城市"),
    "registration_channel": ("c.registration_channel", "注册渠道"),
    "customer_id": ("c.customer_id", "客户编号"),
    "category": ("p.category", "品类"),
    "product": ("p.product_name", "商品"),
    "channel_type": ("ch.channel_type", "渠道类型"),
    "channel": ("ch.channel", "购买渠道"),
}

#: 维度层次 hierarchies from coarse to fine: :func:`drilldown` goes one step down, :func:`rollup` adds subtotals up.
HIERARCHIES: dict[str, tuple[str, ...]] = {
    "时间 time": ("year", "quarter", "month", "date"),
    "商品 product": ("category", "product"),
    "渠道 channel": ("channel_type", "channel"),
    "客户 customer": ("segment", "city", "customer_id"),
}

_ALIAS_TABLE = {"d": "dim_date", "c": "dim_customer", "p": "dim_product", "ch": "dim_channel"}

_KEYS = {"d": "date_key", "c": "customer_key", "p": "product_key", "ch": "channel_key"}

_MEASURES = ("COUNT(*) AS orders", "COUNT(DISTINCT f.customer_key) AS customers",
             "ROUND(SUM(f.amount), 2) AS amount")

#: 示例查询 the notebook's SQL playground: name → (说明, SQL). Tests check each against pandas on the sources.
EXAMPLE_QUERIES: dict[str, tuple[str, str]] = {
    "按月汇总": ("上卷到“年-月”：每月的订单数和销售额（元）", """
SELECT d.year, d.month, COUNT(*) AS orders, ROUND(SUM(f.amount), 2) AS amount
FROM fact_sales AS f
JOIN dim_date AS d USING (date_key)
GROUP BY d.year, d.month
ORDER BY d.year, d.month"""),
    "年-季度小计": ("GROUP BY ROLLUP：每个季度、每年小计（quarter 为空）和总计（都为空）", """
SELECT d.year, d.quarter, COUNT(*) AS orders, ROUND(SUM(f.amount), 2) AS amount
FROM fact_sales AS f
JOIN dim_date AS d USING (date_key)
GROUP BY ROLLUP (d.year, d.quarter)
ORDER BY d.year NULLS LAST, d.quarter NULLS LAST"""),
    "下钻到商品": ("下钻：2024 年各品类之下的每种商品", """
SELECT p.category, p.product_name, COUNT(*) AS orders, ROUND(SUM(f.amount), 2) AS amount
FROM fact_sales AS f
JOIN dim_date AS d USING (date_key)
JOIN dim_product AS p USING (product_key)
WHERE d.year = 2024
GROUP BY p.category, p.product_name
ORDER BY p.category, amount DESC"""),
    "切片：2024 年各城市": ("切片：固定“年 = 2024”，看各城市的客户数和销售额", """
SELECT c.city, COUNT(DISTINCT f.customer_key) AS customers, COUNT(*) AS orders,
       ROUND(SUM(f.amount), 2) AS amount
FROM fact_sales AS f
JOIN dim_date AS d USING (date_key)
JOIN dim_customer AS c USING (customer_key)
WHERE d.year = 2024
GROUP BY c.city
ORDER BY amount DESC"""),
    "切块：沪杭企业客户的果蔬": ("切块：上海和杭州 × 企业客户 × 水果和蔬菜 × 2024 年下半年，按月和品类", """
SELECT d.month, p.category, COUNT(*) AS orders, ROUND(SUM(f.amount), 2) AS amount
FROM fact_sales AS f
JOIN dim_date AS d USING (date_key)
JOIN dim_customer AS c USING (customer_key)
JOIN dim_product AS p USING (product_key)
WHERE c.city IN ('上海', '杭州') AND c.segment = '企业客户'
  AND p.category IN ('水果', '蔬菜') AND d.year = 2024 AND d.quarter IN (3, 4)
GROUP BY d.month, p.category
ORDER BY d.month, p.category"""),
    "周末与工作日": ("每天平均的订单数和销售额：周末与工作日（所有日历日都计入，没有订单的日子算 0）", """
SELECT d.is_weekend, COUNT(DISTINCT d.date_key) AS days,
       ROUND(COUNT(f.sale_id) / COUNT(DISTINCT d.date_key), 3) AS orders_per_day,
       ROUND(COALESCE(SUM(f.amount), 0) / COUNT(DISTINCT d.date_key), 2) AS amount_per_day
FROM dim_date AS d
LEFT JOIN fact_sales AS f USING (date_key)
WHERE d.year BETWEEN 2022 AND 2024
GROUP BY d.is_weekend
ORDER BY d.is_weekend"""),
    "渠道与品类": ("线上/线下渠道 × 品类的销售额（元）", """
SELECT ch.channel_type, ch.channel, p.category, ROUND(SUM(f.amount), 2) AS amount
FROM fact_sales AS f
JOIN dim_channel AS ch USING (channel_key)
JOIN dim_product AS p USING (product_key)
GROUP BY ch.channel_type, ch.channel, p.category
ORDER BY ch.channel_type, ch.channel, p.category"""),
    "客户特征宽表": ("数据挖掘的输入：每位客户截至 2024-12-31 的最近购买天数、购买次数、金额", """
SELECT c.customer_id, c.segment, c.city,
       DATE '2024-12-31' - MAX(d.date) AS recency_days,
       COUNT(*) AS frequency,
       ROUND(SUM(f.amount), 2) AS monetary
FROM fact_sales AS f
JOIN dim_date AS d USING (date_key)
JOIN dim_customer AS c USING (customer_key)
WHERE d.date <= DATE '2024-12-31'
GROUP BY c.customer_id, c.segment, c.city
ORDER BY monetary DESC, c.customer_id"""),
}


# --- the dimension and fact rows (pandas) ---------------------------------------------------------------------

def product_table() -> pd.DataFrame:
    """商品维度 the product dimension built from :data:`PRODUCTS` (``product_key`` 1…20, list price in 元)."""
    frame = pd.DataFrame(PRODUCTS, columns=["product_id", "product_name", "category", "unit", "list_price"])
    frame.insert(0, "product_key", np.arange(1, len(PRODUCTS) + 1))
    return frame


def _channel_table() -> pd.DataFrame:
    return pd.DataFrame({"channel_key": np.arange(1, len(CHANNELS) + 1), "channel": list(CHANNELS),
                         "channel_type": [CHANNEL_TYPES[c] for c in CHANNELS]})


def _holidays(years: Sequence[int]) -> dict[pd.Timestamp, str]:
    out: dict[pd.Timestamp, str] = {}
    for y in years:
        out[pd.Timestamp(y, 1, 1)] = "元旦"
        out[pd.Timestamp(y, 5, 1)] = "劳动节"
        for day in (1, 2, 3):
            out[pd.Timestamp(y, 10, day)] = "国庆节"
        if y in SPRING_FESTIVAL:
            first = pd.Timestamp(SPRING_FESTIVAL[y])
            for k in range(3):
                out[first + pd.Timedelta(days=k)] = "春节"
    return out


def date_dimension(first_year: int, last_year: int) -> pd.DataFrame:
    """日期维度 one row per calendar day from 1 January ``first_year`` to 31 December ``last_year``.

    Columns as in ``dim_date`` of :data:`STAR_SCHEMA_SQL`: ``date_key`` (YYYYMMDD), year, quarter, month,
    ``year_month``, ``iso_week`` (ISO 8601: the week of 1 January may be week 52/53 of the year before),
    ``weekday`` (1 = 周一 … 7 = 周日), ``weekday_name``, ``is_weekend`` (周六、周日), ``holiday``/``is_holiday``
    (:data:`HOLIDAY_RULES`). Years between 1900 and 2100, at most 50 of them.
    """
    y0 = require_int(first_year, "起始年份", "first_year", minimum=1900)
    y1 = require_int(last_year, "结束年份", "last_year", minimum=1900)
    if y1 < y0 or y1 > 2100 or y1 - y0 >= 50:
        raise InputError(f"年份范围 first_year..last_year 必须在 1900–2100 之间、不超过 50 年且不倒置，收到 {y0}..{y1}")
    days = pd.date_range(f"{y0}-01-01", f"{y1}-12-31", freq="D")
    iso = days.isocalendar()
    weekday = days.day_of_week.to_numpy() + 1
    names = _holidays(range(y0, y1 + 1))
    holiday = pd.Series([names.get(d) for d in days], dtype=object)
    return pd.DataFrame({
        "date_key": (days.year * 10000 + days.month * 100 + days.day).to_numpy(),
        "date": days,
        "year": days.year.to_numpy(),
        "quarter": days.quarter.to_numpy(),
        "month": days.month.to_numpy(),
        "year_month": days.strftime("%Y-%m"),
        "iso_week": iso["week"].to_numpy(),
        "weekday": weekday,
        "weekday_name": [_WEEKDAYS[w - 1] for w in weekday],
        "is_weekend": weekday >= 6,
        "holiday": holiday.to_numpy(),
        "is_holiday": holiday.notna().to_numpy(),
    })


def _check_data(data: object) -> GreenFood:
    if not isinstance(data, GreenFood):
        raise InputError(f"数据 data 必须是 GreenFood（load_green_food() 的结果），收到 {type(data).__name__}")
    cust, tx = data.customers, data.transactions
    for frame, name, cols in ((cust, "customers", ("customer_id", "registered", "segment", "city", "channel",
                                                     "target", "non_customer")),
                              (tx, "transactions", ("customer_id", "date", "amount"))):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise InputError(f"数据表 {name} 缺少列 missing columns {missing}")
    bad_segment = ~cust["segment"].isin(list(CATEGORY_MIX))
    if bad_segment.any():
        i = int(np.flatnonzero(bad_segment.to_numpy())[0])
        raise InputError(f"customers 第 {i + 1} 条数据、列 segment 只能是 个人客户/企业客户，"
                         f"收到 {cust['segment'].iloc[i]!r}")
    bad_channel = ~cust["channel"].isin(list(CHANNELS))
    if bad_channel.any():
        i = int(np.flatnonzero(bad_channel.to_numpy())[0])
        raise InputError(f"customers 第 {i + 1} 条数据、列 channel 只能是 {'/'.join(CHANNELS)}，"
                         f"收到 {cust['channel'].iloc[i]!r}")
    dup = cust["customer_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"customers 第 {i + 1} 条数据、列 customer_id 重复 (duplicate id)，"
                         f"收到 {cust['customer_id'].iloc[i]!r}")
    unknown = ~tx["customer_id"].isin(cust["customer_id"])
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(f"transactions 第 {i + 1} 条数据、列 customer_id 在 customers 中不存在 (unknown customer)，"
                         f"收到 {tx['customer_id'].iloc[i]!r}")
    amount = pd.to_numeric(tx["amount"], errors="coerce")
    bad = amount.isna() | ~(amount > 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"transactions 第 {i + 1} 条数据、列 amount 必须是大于 0 的金额（元），"
                         f"收到 {tx['amount'].iloc[i]!r}")
    return data


def assign_products(data: GreenFood, seed: int = WAREHOUSE_SEED) -> pd.DataFrame:
    """分配商品与渠道 give every transaction of ``data`` a product, a purchase channel and a quantity (模拟数据).

    Returns the transactions (same rows, same order, amounts unchanged) with the customer's ``segment`` and
    ``city`` and the added columns ``product_key``, ``product_id``, ``category``, ``channel``, ``quantity``. The
    distributions are in the module docstring (:data:`CATEGORY_MIX`, channel: own registration channel with
    probability 0.7, else 0.15 each for the other two; quantity = amount ÷ list price to 0.01). Deterministic
    for a given ``seed`` (an integer ≥ 0).
    """
    data = _check_data(data)
    s = require_int(seed, "随机种子", "seed", minimum=0)
    rng = np.random.default_rng(s)
    info = data.customers.set_index("customer_id")[["segment", "city", "channel"]]
    tx = data.transactions.reset_index(drop=True)
    who = info.loc[tx["customer_id"]].reset_index(drop=True)
    n = len(tx)
    # category: inverse-CDF draw with the segment's mix
    u = rng.random(n)
    cat = np.zeros(n, dtype=int)
    for segment, mix in CATEGORY_MIX.items():
        rows = (who["segment"] == segment).to_numpy()
        cat[rows] = np.searchsorted(np.cumsum(mix)[:-1], u[rows], side="right")
    per_cat = len(PRODUCTS) // len(CATEGORIES)
    product_pos = cat * per_cat + rng.integers(0, per_cat, size=n)   # PRODUCTS is grouped by category, 4 each
    products = product_table()
    # channel: own registration channel (70 %) or one of the other two (15 % each)
    own = pd.Categorical(who["channel"], categories=list(CHANNELS)).codes.astype(int)
    switch = rng.random(n) >= _SAME_CHANNEL
    step = rng.integers(1, len(CHANNELS), size=n)                   # 1 or 2 positions further round the ring
    chan = np.where(switch, (own + step) % len(CHANNELS), own)
    price = products["list_price"].to_numpy()[product_pos]
    amount = tx["amount"].astype(float).to_numpy()
    quantity = np.maximum(np.round(amount / price, 2), 0.01)
    return tx.assign(
        segment=who["segment"].to_numpy(), city=who["city"].to_numpy(),
        product_key=products["product_key"].to_numpy()[product_pos],
        product_id=products["product_id"].to_numpy()[product_pos],
        category=products["category"].to_numpy()[product_pos],
        channel=np.asarray(CHANNELS, dtype=object)[chan],
        quantity=quantity,
    )


# --- building and opening the file ------------------------------------------------------------------------------

def _target(path: object) -> Path | None:
    if isinstance(path, str) and path == ":memory:":
        return None
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise InputError(f"仓库文件 warehouse file 的路径必须是字符串或 Path（或 ':memory:'），收到 {path!r}")
    return Path(path).expanduser()


def _exists(target: Path) -> str:
    return f"文件已存在 file exists，不会覆盖 (pass overwrite=True to replace it)：{target}"


def _populate(conn: duckdb.DuckDBPyConnection, data: GreenFood, seed: int) -> None:
    lines = assign_products(data, seed)
    cust = data.customers.reset_index(drop=True)
    years = pd.to_datetime(pd.concat([cust["registered"], lines["date"]]))
    dates = date_dimension(int(years.dt.year.min()), int(years.dt.year.max()))
    customers = pd.DataFrame({
        "customer_key": np.arange(1, len(cust) + 1),
        "customer_id": cust["customer_id"].astype(str).to_numpy(),
        "segment": cust["segment"].to_numpy(),
        "city": cust["city"].to_numpy(),
        "registration_channel": cust["channel"].to_numpy(),
        "registered": pd.to_datetime(cust["registered"]).to_numpy(),
        "is_target": cust["target"].astype(bool).to_numpy(),
        "non_customer": cust["non_customer"].astype(bool).to_numpy(),
    })
    key_of = pd.Series(customers["customer_key"].to_numpy(), index=customers["customer_id"])
    day = pd.to_datetime(lines["date"])
    facts = pd.DataFrame({
        "sale_id": np.arange(1, len(lines) + 1),
        "date_key": (day.dt.year * 10000 + day.dt.month * 100 + day.dt.day).to_numpy(),
        "customer_key": key_of.loc[lines["customer_id"]].to_numpy(),
        "product_key": lines["product_key"].to_numpy(),
        "channel_key": pd.Categorical(lines["channel"], categories=list(CHANNELS)).codes + 1,
        "quantity": lines["quantity"].to_numpy(),
        "amount": lines["amount"].astype(float).to_numpy(),
    })
    meta = pd.DataFrame({"key": ["application", "schema_version", "seed", "source", "note"],
                         "value": [_APPLICATION, str(SCHEMA_VERSION), str(seed), "datasets/green_food",
                                   "鲜果园 (模拟数据 simulated data)"]})
    conn.execute(STAR_SCHEMA_SQL)
    for table, frame in (("dim_date", dates), ("dim_customer", customers), ("dim_product", product_table()),
                         ("dim_channel", _channel_table()), ("fact_sales", facts), ("warehouse_meta", meta)):
        conn.register("_src", frame)
        try:
            conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _src")
        finally:
            conn.unregister("_src")


def build_warehouse(path: str | os.PathLike[str] = ":memory:", *, overwrite: bool = False,
                    seed: int = WAREHOUSE_SEED, data: GreenFood | None = None) -> duckdb.DuckDBPyConnection:
    """建立数据仓库 build the 鲜果园 star schema (:data:`STAR_SCHEMA_SQL`) and return an open DuckDB connection.

    ``path`` — ``":memory:"`` (default: nothing written) or a database file. A file is built in a temporary folder
    next to ``path`` and moved into place only when complete (a crash never leaves half a warehouse); an existing
    file is an :class:`InputError` unless ``overwrite=True``. The returned connection is read-write; close it
    with ``conn.close()`` and reopen later with :func:`open_warehouse`.

    ``seed`` drives :func:`assign_products`; ``data`` defaults to :func:`crmlab.datasets.load_green_food`.
    Row counts: ``fact_sales`` = transactions, ``dim_customer`` = customers, ``dim_date`` = every day of the
    years covered by registrations and transactions.
    """
    target = _target(path)
    s = require_int(seed, "随机种子", "seed", minimum=0)
    data = load_green_food() if data is None else data
    if target is None:
        conn = duckdb.connect(":memory:")
        try:
            _populate(conn, data, s)
        except BaseException:
            conn.close()
            raise
        return conn
    if target.is_dir():
        raise InputError(f"仓库文件 warehouse file 的路径是一个文件夹 (is a directory)：{target}")
    if target.exists() and not overwrite:
        raise InputError(_exists(target))
    _check_data(data)
    with staged_file(target, overwrite=overwrite) as tmp:
        conn = duckdb.connect(str(tmp))
        try:
            _populate(conn, data, s)
            conn.execute("CHECKPOINT")
        finally:
            conn.close()
    return open_warehouse(target, readonly=False)


def open_warehouse(path: str | os.PathLike[str], *, readonly: bool = True) -> duckdb.DuckDBPyConnection:
    """打开数据仓库 open a warehouse file made by :func:`build_warehouse` (read-only by default).

    Raises :class:`InputError` naming the file when it is missing, is a folder, is not a DuckDB file, is a DuckDB
    file of something else (no ``warehouse_meta`` saying crmlab), has another :data:`SCHEMA_VERSION`, or is locked
    by another program (DuckDB lets one process write a file at a time).
    """
    target = _target(path)
    if target is None:
        raise InputError("open_warehouse 需要文件路径 (a file path)；"
                         "内存中的仓库 (in-memory warehouse) 请直接使用 build_warehouse() 返回的连接")
    if not target.exists():
        raise InputError(f"仓库文件不存在 warehouse file not found：{target}"
                         "（先用 build_warehouse 建立 / build it first）")
    if not target.is_file():
        raise InputError(f"仓库路径不是文件 warehouse path is not a file：{target}")
    with open(target, "rb") as fh:
        header = fh.read(16)
    if header[8:12] != b"DUCK":
        raise InputError(f"不是 DuckDB 数据库文件 not a DuckDB database file（文件头不对 wrong header）：{target}")
    try:
        conn = duckdb.connect(str(target), read_only=readonly)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise InputError(f"仓库文件被另一个程序占用 file is locked by another process：{target}"
                             f"（关闭那个程序里的连接后再试 / close the other connection）") from None
        raise InputError(f"无法打开仓库文件 cannot open warehouse file：{target}（{_first_line(exc)}）") from None
    except duckdb.ConnectionException as exc:
        raise InputError(f"本程序已用另一种方式打开了这个文件 already open in this process：{target}"
                         f"（先 conn.close() 原来的连接 / close the earlier connection；{_first_line(exc)}）") from None
    except duckdb.Error as exc:
        raise InputError(f"无法打开仓库文件 cannot open warehouse file：{target}（{_first_line(exc)}）") from None
    try:
        try:
            meta = dict(conn.execute("SELECT key, value FROM warehouse_meta").fetchall())
        except duckdb.Error:
            meta = {}
        if meta.get("application") != _APPLICATION:
            raise InputError(f"不是 crmlab 数据仓库 not a crmlab warehouse（缺少 warehouse_meta）：{target}")
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise InputError(f"仓库结构版本 schema version 应为 {SCHEMA_VERSION}，收到 {meta.get('schema_version')!r}："
                             f"{target}（请用 build_warehouse(..., overwrite=True) 重新建立 / rebuild it）")
    except BaseException:
        conn.close()
        raise
    return conn


# --- querying ---------------------------------------------------------------------------------------------

def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _connection(conn: object) -> duckdb.DuckDBPyConnection:
    if not isinstance(conn, duckdb.DuckDBPyConnection):
        raise InputError(f"数据库连接 conn 必须是 DuckDB 连接（build_warehouse / open_warehouse 的结果），"
                         f"收到 {type(conn).__name__}")
    return conn


_KINDS = {
    duckdb.ParserException: "SQL 语法错误 syntax error",
    duckdb.CatalogException: "找不到表或函数 unknown table or function",
    duckdb.BinderException: "列名或表达式有误 unknown column or invalid expression",
    duckdb.ConversionException: "类型转换出错 conversion error",
    duckdb.InvalidInputException: "输入无效 invalid input",
}


def run_sql(conn: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
            ) -> pd.DataFrame:
    """运行 SQL 查询 run one query (``SELECT``, ``WITH … SELECT``, ``DESCRIBE``, ``SUMMARIZE``, ``EXPLAIN`` …) and
    return the rows as a DataFrame.

    ``params`` fill ``?`` / ``$1`` (a sequence) or ``$name`` (a dict) placeholders. Exactly one statement; statements
    that change the database (``CREATE``, ``INSERT``, ``COPY`` …) are refused. A mistake in the SQL is an
    :class:`InputError` quoting DuckDB's own message (e.g. ``Parser Error: syntax error at or near "SELEC"``)
    and the start of the query. ``DECIMAL`` results come back as floats.
    """
    con = _connection(conn)
    if not isinstance(sql, str) or not sql.strip():
        raise InputError(f"SQL 语句 sql 必须是非空字符串，收到 {sql!r}")
    short = " ".join(sql.split())[:160]
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise InputError(f"SQL 语法错误 syntax error：{_message(exc)}；SQL：{short}") from None
    if len(statements) != 1:
        raise InputError(f"一次只能运行一条 SQL 语句 exactly one statement，收到 {len(statements)} 条；SQL：{short}")
    kind = statements[0].type
    if kind not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
        raise InputError(f"run_sql 只运行查询 (SELECT / WITH …)，不修改数据 read-only，"
                         f"收到 {kind.name} 语句；SQL：{short}")
    try:
        frame = con.execute(sql, params).df() if params is not None else con.execute(sql).df()
    except duckdb.Error as exc:
        what = next((label for cls, label in _KINDS.items() if isinstance(exc, cls)), "SQL 查询出错 query failed")
        raise InputError(f"{what}：{_message(exc)}；SQL：{short}") from None
    return frame


def _message(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def warehouse_counts(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """各表行数 rows in each table of the warehouse (index: table; columns ``中文名``, ``rows``)."""
    con = _connection(conn)
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    rows = [(t, zh, con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
            for t, zh in WAREHOUSE_TABLES.items() if t in present]
    return pd.DataFrame(rows, columns=["table", "中文名", "rows"]).set_index("table")


# --- OLAP operations -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OlapResult:
    """OLAP 操作的结果 the SQL an OLAP operation ran and the table it returned."""

    operation: str
    sql: str
    table: pd.DataFrame

    def __repr__(self) -> str:
        return f"{self.operation}\n\n{self.sql}\n\n{self.table.to_string(index=False)}"

    def _repr_html_(self) -> str:
        return (f"<p><b>{html.escape(self.operation)}</b></p><pre>{html.escape(self.sql)}</pre>"
                + self.table.to_html(index=False, na_rep="（合计）"))


def _attributes(by: object, what: str = "分组属性 by") -> list[str]:
    if isinstance(by, str):
        by = [by]
    if not isinstance(by, Sequence) or isinstance(by, str):
        raise InputError(f"{what} 必须是属性名的列表，收到 {by!r}")
    names = list(by)
    for name in names:
        if name not in ATTRIBUTES:
            raise InputError(f"{what} 只能使用这些维度属性 {', '.join(ATTRIBUTES)}，收到 {name!r}")
    if len(set(names)) != len(names):
        raise InputError(f"{what} 不能重复使用同一个属性，收到 {names!r}")
    return names


def _literal(value: object, name: str) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise InputError(f"筛选条件 {name} 的取值必须是文字、整数或 True/False，收到 {value!r}")


def _where_sql(where: Mapping[str, object] | None) -> tuple[list[str], list[tuple[str, list[object]]]]:
    if where is None:
        return [], []
    if not isinstance(where, Mapping):
        raise InputError(f"筛选条件 where 必须是字典 {{属性: 取值或取值列表}}，收到 {where!r}")
    clauses, checks = [], []
    for name, value in where.items():
        _attributes([name], "筛选属性 where")
        expr = ATTRIBUTES[name][0]
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if not values:
            raise InputError(f"筛选条件 {name} 至少要有一个取值，收到 {value!r}")
        literals = [_literal(v, name) for v in values]
        clauses.append(f"{expr} = {literals[0]}" if len(literals) == 1 else f"{expr} IN ({', '.join(literals)})")
        checks.append((name, values))
    return clauses, checks


def olap_sql(by: Sequence[str], *, where: Mapping[str, object] | None = None, rollup: bool = False) -> str:
    """OLAP 查询语句 the SQL that summarises ``fact_sales`` by the attributes ``by`` (names of :data:`ATTRIBUTES`)
    for the rows matching ``where`` ({attribute: value or list of values}).

    Only the dimensions that ``by`` and ``where`` use are joined. Measures: ``orders`` (number of sales),
    ``customers`` (distinct customers), ``amount`` (元, to 0.01). With ``rollup=True`` the grouping is
    ``GROUP BY ROLLUP (…)``: subtotals for every prefix of ``by`` and a grand total, the rolled-up attributes being
    NULL; a column ``level`` tells how many attributes each row is grouped by (0 = grand total).
    """
    names = _attributes(by)
    clauses, _checks = _where_sql(where)
    used = {ATTRIBUTES[n][0].split(".")[0] for n in [*names, *(where or {})]}
    exprs = [ATTRIBUTES[n][0] for n in names]
    select = [f"{e} AS {n}" for e, n in zip(exprs, names, strict=True)]
    parts = [", ".join(select), ", ".join(_MEASURES)]
    if rollup and names:
        parts.append(f"{len(names)} - bit_count(GROUPING({', '.join(exprs)})::INTEGER) AS level")
    lines = ["SELECT " + ",\n       ".join(filter(None, parts)),
             "FROM fact_sales AS f"]
    lines += [f"JOIN {table} AS {alias} USING ({_KEYS[alias]})" for alias, table in _ALIAS_TABLE.items()
              if alias in used]
    if clauses:
        lines.append("WHERE " + "\n  AND ".join(clauses))
    if names:
        lines.append(f"GROUP BY ROLLUP ({', '.join(exprs)})" if rollup else f"GROUP BY {', '.join(exprs)}")
        lines.append("ORDER BY " + ", ".join(f"{n} NULLS LAST" if rollup else n for n in names))
    return "\n".join(lines)


def _check_values(con: duckdb.DuckDBPyConnection, checks: list[tuple[str, list[object]]]) -> None:
    for name, values in checks:
        expr = ATTRIBUTES[name][0]
        alias = expr.split(".")[0]
        table = _ALIAS_TABLE[alias]
        known = [r[0] for r in con.execute(f"SELECT DISTINCT {expr} FROM {table} AS {alias} "
                                           f"WHERE {expr} IS NOT NULL ORDER BY 1").fetchall()]
        known_set = {str(k) for k in known}
        for v in values:
            _literal(v, name)
            if str(v) not in known_set:
                sample = "、".join(str(k) for k in known[:12]) + ("…" if len(known) > 12 else "")
                raise InputError(f"{ATTRIBUTES[name][1]} {name} 没有取值 {v!r}；可选 allowed: {sample}")


def _run_olap(conn: object, operation: str, by: Sequence[str], where: Mapping[str, object] | None,
              rollup: bool = False) -> OlapResult:
    con = _connection(conn)
    sql = olap_sql(by, where=where, rollup=rollup)
    _check_values(con, _where_sql(where)[1])
    return OlapResult(operation, sql, run_sql(con, sql))


def rollup(conn: duckdb.DuckDBPyConnection, by: Sequence[str], *, where: Mapping[str, object] | None = None
           ) -> OlapResult:
    """上卷 roll-up: totals at every level of ``by`` (coarse to fine, e.g. ``["year", "quarter"]``) with SQL
    ``GROUP BY ROLLUP`` — one row per finest group, a subtotal per coarser group (finer attributes NULL) and a
    grand total (all NULL); ``level`` = number of attributes a row is grouped by."""
    names = _attributes(by)
    if not names:
        raise InputError("上卷 rollup 至少需要一个分组属性 by，例如 ['year', 'quarter']")
    return _run_olap(conn, f"上卷 roll-up：{' → '.join(reversed(names))} → 总计", names, where, rollup=True)


def drilldown(conn: duckdb.DuckDBPyConnection, by: Sequence[str], into: str | None = None, *,
              where: Mapping[str, object] | None = None) -> OlapResult:
    """下钻 drill-down: from a summary by ``by`` to the finer level ``by + [into]``. Without ``into`` the next level
    of the last attribute's hierarchy (:data:`HIERARCHIES`) is used, e.g. ``year`` → ``quarter``,
    ``category`` → ``product``."""
    names = _attributes(by)
    if into is None:
        if not names:
            raise InputError("下钻 drilldown 需要 by 或 into，例如 by=['year']")
        last = names[-1]
        chain = next((h for h in HIERARCHIES.values() if last in h), ())
        nxt = chain.index(last) + 1 if chain else 0
        if not chain or nxt >= len(chain):
            raise InputError(f"属性 {last} 没有更细的层次 (no finer level)；"
                             f"请用 into= 指定，可选 {', '.join(ATTRIBUTES)}")
        into = chain[nxt]
    finer = _attributes([*names, into])
    title = f"下钻 drill-down：{' × '.join(names) or '总计'} → {' × '.join(finer)}"
    return _run_olap(conn, title, finer, where)


def slice_(conn: duckdb.DuckDBPyConnection, attribute: str, value: object, by: Sequence[str]) -> OlapResult:
    """切片 slice: fix one dimension attribute to one value (e.g. ``"year", 2024``) and summarise the rest by ``by``.
    A value that does not occur in the dimension is an :class:`InputError` listing the values that do."""
    _attributes([attribute], "切片属性 attribute")
    if isinstance(value, (list, tuple, set, frozenset)):
        raise InputError(f"切片 slice 只固定一个取值；多个取值请用 dice，收到 {value!r}")
    names = _attributes(by)
    return _run_olap(conn, f"切片 slice：{attribute} = {value}，按 {' × '.join(names) or '总计'}",
                     names, {attribute: value})


def dice(conn: duckdb.DuckDBPyConnection, where: Mapping[str, object], by: Sequence[str]) -> OlapResult:
    """切块 dice: restrict two or more dimension attributes to sets of values (``where``: {attribute: value or list})
    — a sub-cube — and summarise it by ``by``."""
    if not isinstance(where, Mapping) or len(where) < 2:
        raise InputError(f"切块 dice 至少限定两个属性 (two or more attributes)；只固定一个请用 slice_，收到 {where!r}")
    names = _attributes(by)
    conditions = "；".join(f"{k} ∈ {list(v) if isinstance(v, (list, tuple, set, frozenset)) else [v]}"
                          for k, v in where.items())
    return _run_olap(conn, f"切块 dice：{conditions}，按 {' × '.join(names) or '总计'}", names, where)
