"""数据集 the workbook's data: one fictional fresh-food company, generated from a seed, and loaders.

The running case of the workbook is **鲜果园 (Xianguoyuan)**, a fictional green-food app that
sells fruit and vegetables to individual customers (个人客户) and to business buyers (企业客户:
restaurants and shops), in the spirit of the green-food scenario of 梁燕冰 模块一. All its
tables come from :func:`generate_green_food`, whose distributions are documented below and in
``datasets/green_food/README.md``; a small default size is committed to ``datasets/`` and larger
ones are generated on demand. Every number in it is 模拟数据 (simulated).

How a customer is simulated (one draw per customer unless stated):

* registration date — uniform over ``[start, end − 30 days]``;
* segment — 企业客户 with probability 0.1, else 个人客户; city — uniform over six cities;
  channel — App 60 %, 小程序 30 %, 门店 10 %;
* ``target`` (目标客户: chosen by marketing) with probability 0.3;
  ``non_customer`` (非客户: opted out / unreachable) with probability 0.03;
* buys at all with probability 0.85 for targets, 0.65 for others, 0 for non-customers;
  first purchase an exponential delay (mean 20 days) after registering;
* while active, purchases follow a Poisson process with rate λ ~ Gamma(shape 1.2, mean
  1/30 per day), three times higher for 企业客户; after each purchase the customer drops out
  for good with probability p ~ Beta(2, 8) — the story behind the BG/NBD model;
* spend per purchase ~ Gamma(shape 6) around the customer's own mean, which is
  Gamma(shape 4, mean 120 元) for 个人客户 and five times that for 企业客户; rounded to 0.1 元.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, require_int
from .paths import dataset_path, datasets_dir

__all__ = [
    "B2B_COLUMNS",
    "B2B_DEFAULT",
    "GREEN_FOOD_DEFAULT",
    "GreenFood",
    "generate_b2b_accounts",
    "generate_green_food",
    "load_b2b_accounts",
    "load_green_food",
    "write_b2b_accounts",
    "write_green_food",
]

CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都")
CHANNELS = ("App", "小程序", "门店")


@dataclass(frozen=True)
class GreenFood:
    """鲜果园数据 the two tables of the running case: ``customers`` and ``transactions``."""

    customers: pd.DataFrame
    transactions: pd.DataFrame

    def __repr__(self) -> str:
        return f"GreenFood({len(self.customers):,} 位客户 customers, {len(self.transactions):,} 笔交易 transactions)"


#: The size committed to ``datasets/green_food/``: regenerate it with :func:`write_green_food`.
GREEN_FOOD_DEFAULT = {"n_customers": 3000, "start": "2022-01-01", "end": "2024-12-31", "seed": 2024}


def generate_green_food(
    n_customers: int = 3000, start: str = "2022-01-01", end: str = "2024-12-31", seed: int = 2024
) -> GreenFood:
    """生成鲜果园数据 simulate customers and their purchases between ``start`` and ``end`` (dates).

    Deterministic for a given ``seed``. ``n_customers`` ≥ 1; the period must be at least 60 days.
    See the module docstring for the distributions.
    """
    n = require_int(n_customers, "客户数", "n_customers", minimum=1)
    seed = require_int(seed, "随机种子", "seed", minimum=0)
    try:
        t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    except (TypeError, ValueError):
        raise InputError(f"起止日期 start/end 不是有效日期 (invalid date)，收到 start={start!r}, end={end!r}") from None
    days = (t1 - t0).days
    if days < 60:
        raise InputError(f"模拟期 period 至少 60 天，收到 start={t0.date()}, end={t1.date()}（{days} 天）")
    rng = np.random.default_rng(seed)
    reg_offset = rng.integers(0, days - 30 + 1, size=n)
    business = rng.random(n) < 0.10
    target = rng.random(n) < 0.30
    non_customer = rng.random(n) < 0.03
    buys = (rng.random(n) < np.where(target, 0.85, 0.65)) & ~non_customer
    rate = rng.gamma(1.2, (1 / 30) / 1.2, size=n) * np.where(business, 3.0, 1.0)
    dropout = rng.beta(2, 8, size=n)
    mean_spend = rng.gamma(4.0, 120.0 / 4.0, size=n) * np.where(business, 5.0, 1.0)
    first_delay = rng.exponential(20.0, size=n)

    ids = [f"C{i:05d}" for i in range(1, n + 1)]
    customers = pd.DataFrame({
        "customer_id": ids,
        "registered": t0 + pd.to_timedelta(reg_offset, unit="D"),
        "segment": np.where(business, "企业客户", "个人客户"),
        "city": rng.choice(CITIES, size=n),
        "channel": rng.choice(CHANNELS, size=n, p=[0.6, 0.3, 0.1]),
        "target": target,
        "non_customer": non_customer,
    })
    tx_ids, tx_days = [], []
    for i in np.flatnonzero(buys):
        day = reg_offset[i] + first_delay[i]
        while day <= days:
            tx_ids.append(i)
            tx_days.append(int(day))
            if rng.random() < dropout[i]:
                break
            day += rng.exponential(1.0 / rate[i])
    tx_ids_arr = np.asarray(tx_ids, dtype=int)
    amounts = rng.gamma(6.0, mean_spend[tx_ids_arr] / 6.0) if len(tx_ids_arr) else np.array([])
    transactions = pd.DataFrame({
        "customer_id": np.asarray(ids, dtype=object)[tx_ids_arr] if len(tx_ids_arr) else [],
        "date": t0 + pd.to_timedelta(np.asarray(tx_days, dtype=int), unit="D"),
        "amount": np.round(np.maximum(amounts, 0.1), 1),
    }).sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    return GreenFood(customers=customers, transactions=transactions)


def write_green_food(folder: str | Path | None = None, **params: object) -> Path:
    """Write ``customers.csv`` and ``transactions.csv`` (UTF-8) for ``params`` into ``folder``."""
    from .fileio import atomic_write_text

    data = generate_green_food(**{**GREEN_FOOD_DEFAULT, **params})
    out = Path(folder) if folder is not None else datasets_dir() / "green_food"
    atomic_write_text(out / "customers.csv", data.customers.to_csv(index=False, date_format="%Y-%m-%d"))
    atomic_write_text(out / "transactions.csv", data.transactions.to_csv(index=False, date_format="%Y-%m-%d"))
    return out


def _plain(value: object) -> object:
    """A numpy scalar as the plain Python value, so messages show -3.0 rather than np.float64(-3.0)."""
    return value.item() if isinstance(value, np.generic) else value


def _check_table(df: pd.DataFrame, path: Path, *, columns: list[str], dates: tuple[str, ...] = (),
                 nonnegative: tuple[str, ...] = (), unique: str | None = None) -> pd.DataFrame:
    """Check a loaded CSV: required columns, parsable dates, non-negative numbers, a unique id. Errors name the
    file, the row (as numbered in the file, header = row 1) and the column."""
    def where(i: int, col: str) -> str:
        return f"数据文件 {path.name} 第 {i + 2} 行、列 {col}"

    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"数据文件 {path.name} 缺少列 missing columns {missing}")
    for col in dates:
        parsed = pd.to_datetime(df[col], errors="coerce", format="%Y-%m-%d")
        if parsed.isna().any():
            i = int(np.flatnonzero(parsed.isna().to_numpy())[0])
            raise InputError(f"{where(i, col)} 不是有效日期 (YYYY-MM-DD)，收到 {_plain(df[col].iloc[i])!r}")
        df[col] = parsed
    for col in nonnegative:
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{where(i, col)} 必须是 ≥ 0 的数字，收到 {_plain(df[col].iloc[i])!r}")
    if unique is not None:
        dup = df[unique].duplicated()
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(f"{where(i, unique)} 重复 (duplicate id)，收到 {_plain(df[unique].iloc[i])!r}")
    return df


def load_green_food() -> GreenFood:
    """读取鲜果园数据 load the committed green-food tables from ``datasets/green_food/`` with parsed dates.

    A missing column, an unparsable date, a negative amount or a duplicate customer id is an
    :class:`InputError` naming the file, the row and the column.
    """
    cust_path, tx_path = dataset_path("green_food/customers.csv"), dataset_path("green_food/transactions.csv")
    customers = _check_table(pd.read_csv(cust_path, dtype={"customer_id": str, "registered": str}), cust_path,
                             columns=["customer_id", "registered", "segment", "target", "non_customer"],
                             dates=("registered",), unique="customer_id")
    transactions = _check_table(pd.read_csv(tx_path, dtype={"customer_id": str, "date": str}), tx_path,
                                columns=["customer_id", "date", "amount"], dates=("date",), nonnegative=("amount",))
    return GreenFood(customers=customers, transactions=transactions)


# --- 企业客户（B2B）账户：客户盈利性与分级 (chapters 3 and 6) ----------------------------------

INDUSTRIES = ("餐饮", "零售", "酒店", "食堂", "烘焙")
SIZES = ("小型", "中型", "大型")
B2B_DEFAULT = {"n_accounts": 600, "seed": 2024}
B2B_COLUMNS: dict[str, str] = {
    "account_id": "客户编号", "industry": "行业", "size": "规模", "city": "城市", "years": "合作年数",
    "revenue": "年销售额（元）", "gross_margin": "毛利（元）", "orders": "年订单数", "order_cost": "订单处理成本（元）",
    "service_contacts": "年服务次数", "service_cost": "服务成本（元）", "discount": "折扣让利（元）",
    "returns": "退货损失（元）", "payment_days": "平均回款天数", "payment_cost": "账期资金成本（元）",
}


def generate_b2b_accounts(n_accounts: int = 600, seed: int = 2024) -> pd.DataFrame:
    """生成企业客户账户 one year of 鲜果园's business accounts (restaurants, shops, hotels, canteens, bakeries).

    Per account: size 小/中/大 (60/30/10 %); yearly revenue lognormal with a median of 3 万/12 万/60 万 元 by size
    (σ = 0.9, heavy-tailed); gross margin 22 % of revenue less a size-related discount (大型 4–20 %, 中型 1–8 %,
    小型 0–3 %); orders ~ Poisson with about one order per 1,500 元 (at least 4) and 35 元 to handle each; service
    contacts ~ Poisson(20) for 大型 (on-site, 300 元 each) and Poisson(8) otherwise (80 元), ×3 for demanding
    accounts (15 %); returns 0–6 % (大型) or 0–4 % of revenue; payment terms 15–30 / 30–60 / 60–120 days by size,
    financed at 6 % a year. Large accounts get the deepest discounts, the longest terms and the most
    service, so some of them lose money — the point of "大客户不等于好客户". All numbers are 模拟数据.
    """
    n = require_int(n_accounts, "客户数", "n_accounts", minimum=1)
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    size = rng.choice(SIZES, size=n, p=[0.6, 0.3, 0.1])
    median = np.select([size == "小型", size == "中型"], [30_000.0, 120_000.0], 600_000.0)
    revenue = np.round(median * rng.lognormal(0.0, 0.9, n), -1)
    disc_rate = np.select([size == "小型", size == "中型"], [rng.uniform(0, 0.03, n), rng.uniform(0.01, 0.08, n)],
                          rng.uniform(0.04, 0.20, n))
    discount = np.round(revenue * disc_rate, 0)
    gross_margin = np.round(revenue * 0.22, 0) - discount
    orders = np.maximum(4, rng.poisson(revenue / 1_500.0))
    demanding = rng.random(n) < 0.15
    contacts = rng.poisson(np.select([size == "大型"], [20.0], 8.0)) * np.where(demanding, 3, 1)
    contact_cost = np.select([size == "大型"], [300.0], 80.0)   # large accounts get on-site visits
    returns = np.round(revenue * rng.uniform(0.0, np.select([size == "大型"], [0.06], 0.04)), 0)
    payment_days = np.select([size == "小型", size == "中型"], [rng.integers(15, 31, n), rng.integers(30, 61, n)],
                             rng.integers(60, 121, n))
    return pd.DataFrame({
        "account_id": [f"B{i:04d}" for i in range(1, n + 1)],
        "industry": rng.choice(INDUSTRIES, size=n),
        "size": size,
        "city": rng.choice(CITIES, size=n),
        "years": rng.integers(1, 9, n),
        "revenue": revenue,
        "gross_margin": gross_margin,
        "orders": orders,
        "order_cost": orders * 35.0,
        "service_contacts": contacts,
        "service_cost": contacts * contact_cost,
        "discount": discount,
        "returns": returns,
        "payment_days": payment_days,
        "payment_cost": np.round(revenue * 0.06 * payment_days / 365.0, 0),
    })


def write_b2b_accounts(folder: str | Path | None = None, **params: object) -> Path:
    """Write ``accounts.csv`` (UTF-8) for ``params`` into ``folder`` (default ``datasets/b2b_accounts``)."""
    from .fileio import atomic_write_text

    out = Path(folder) if folder is not None else datasets_dir() / "b2b_accounts"
    atomic_write_text(out / "accounts.csv", generate_b2b_accounts(**{**B2B_DEFAULT, **params}).to_csv(index=False))
    return out


def load_b2b_accounts() -> pd.DataFrame:
    """读取企业客户账户 load ``datasets/b2b_accounts/accounts.csv``, checking its schema.

    A missing column, a duplicate id, or a money/count column with a negative or non-numeric value is an
    :class:`InputError` naming the file, the row and the column.
    """
    path = dataset_path("b2b_accounts/accounts.csv")
    numeric = tuple(c for c in B2B_COLUMNS if c not in ("account_id", "industry", "size", "city", "gross_margin"))
    df = _check_table(pd.read_csv(path, dtype={"account_id": str}), path, columns=list(B2B_COLUMNS),
                      nonnegative=numeric, unique="account_id")
    return df
