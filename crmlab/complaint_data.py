"""鲜果园投诉记录 the running case's complaint log (chapter 7): a seeded generator, a writer and a loader.

Every number is 模拟数据 (simulated). The log is built on the green-food transactions
(:func:`crmlab.datasets.load_green_food`), so each complaint belongs to a real order of a real customer:

* each order leads to a complaint with probability ``complaint_rate`` (default 4 %);
* received 0, 1 or 2 days after the order (probability 0.5 / 0.3 / 0.2), at a uniform minute between
  08:00 and 22:00;
* category 配送延迟 30 %, 商品质量 25 %, 缺货 15 %, 价格 10 %, 服务态度 10 %, App 故障 10 %;
  channel 客服电话 30 %, App 在线客服 35 %, 小程序留言 15 %, 微信公众号 12 %, 门店 8 %;
* resolved with probability 0.93 if the customer bought again within 90 days after the complaint, else 0.70 —
  an assumption that builds in the link between good complaint handling and repurchase reported in the
  literature (the generator looks at the customer's later orders to decide);
* hours to resolve lognormal (σ = 0.9) with a median by category (配送延迟 6, 商品质量 24, 缺货 12, 价格 8,
  服务态度 16, App 故障 30 hours) times a channel factor (客服电话 0.7, App 在线客服 0.8, 小程序留言 1.2,
  微信公众号 1.3, 门店 1.0), rounded to the minute;
* compensation (元, resolved complaints only): 商品质量 30–100 % of the order amount; 配送延迟 a 10 or 20 元
  coupon; 缺货 5 or 10 元; 价格 0–10 % of the order amount; 服务态度 10 元 half of the time; App 故障 5 元 half
  of the time; rounded to 1 元.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .complaints import CHANNELS, COMPLAINT_CATEGORIES, COMPLAINT_COLUMNS, validate_complaint_log
from .errors import InputError, require_fraction, require_int
from .paths import dataset_path, datasets_dir

__all__ = ["COMPLAINTS_DEFAULT", "generate_complaints", "load_complaints", "write_complaints"]

#: The size committed to ``datasets/complaints/``: regenerate it with :func:`write_complaints`.
COMPLAINTS_DEFAULT = {"complaint_rate": 0.04, "seed": 2024}

_CATEGORY_P = (0.30, 0.25, 0.15, 0.10, 0.10, 0.10)
_CHANNEL_P = (0.30, 0.35, 0.15, 0.12, 0.08)
_MEDIAN_HOURS = dict(zip(COMPLAINT_CATEGORIES, (6.0, 24.0, 12.0, 8.0, 16.0, 30.0), strict=True))
_CHANNEL_FACTOR = dict(zip(CHANNELS, (0.7, 0.8, 1.2, 1.3, 1.0), strict=True))


def generate_complaints(transactions: pd.DataFrame | None = None, complaint_rate: float = 0.04,
                        seed: int = 2024) -> pd.DataFrame:
    """生成投诉记录 simulate 鲜果园's complaint log from its transactions (default: the committed green-food data).

    Deterministic for a given ``seed``; ``complaint_rate`` is the probability (0–1) that an order leads to a
    complaint. Columns as in :data:`crmlab.complaints.COMPLAINT_COLUMNS`; times are pandas timestamps, rows in the
    order received. See the module docstring for the distributions.
    """
    rate = require_fraction(complaint_rate, "投诉概率", "complaint_rate")
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    if transactions is None:
        from .datasets import load_green_food

        transactions = load_green_food().transactions
    need = {"customer_id", "date", "amount"}
    if not isinstance(transactions, pd.DataFrame) or not need <= set(transactions.columns):
        raise InputError(f"交易表 transactions 必须是含列 {sorted(need)} 的 pandas DataFrame")
    tx = transactions.assign(date=pd.to_datetime(transactions["date"]).dt.normalize()).reset_index(drop=True)
    picked = tx[rng.random(len(tx)) < rate].reset_index(drop=True)
    n = len(picked)
    delay = rng.choice([0, 1, 2], size=n, p=[0.5, 0.3, 0.2])
    minute = rng.integers(8 * 60, 22 * 60, size=n)
    received = picked["date"] + pd.to_timedelta(delay, unit="D") + pd.to_timedelta(minute, unit="min")
    category = rng.choice(COMPLAINT_CATEGORIES, size=n, p=_CATEGORY_P)
    channel = rng.choice(CHANNELS, size=n, p=_CHANNEL_P)

    # did the customer buy again within 90 days of the complaint? (decides the chance of "resolved")
    day = received.dt.normalize()
    later = picked[["customer_id"]].assign(day=day, row=np.arange(n)).merge(
        tx[["customer_id", "date"]], on="customer_id")
    hit = (later["date"] > later["day"]) & (later["date"] <= later["day"] + pd.Timedelta(days=90))
    came_back = np.zeros(n, dtype=bool)
    came_back[later.loc[hit, "row"].unique()] = True
    resolved = rng.random(n) < np.where(came_back, 0.93, 0.70)

    median = np.array([_MEDIAN_HOURS[c] for c in category]) * np.array([_CHANNEL_FACTOR[c] for c in channel])
    hours = median * rng.lognormal(0.0, 0.9, size=n)
    minutes = np.maximum(1, np.round(hours * 60)).astype(int)
    resolved_at = (received + pd.to_timedelta(minutes, unit="min")).where(resolved)

    amount = picked["amount"].to_numpy(dtype=float)
    u, coin = rng.random(n), rng.random(n) < 0.5
    comp = np.select(
        [category == "商品质量", category == "配送延迟", category == "缺货", category == "价格",
         category == "服务态度", category == "App 故障"],
        [amount * (0.3 + 0.7 * u), np.where(coin, 10.0, 20.0), np.where(coin, 5.0, 10.0), amount * 0.1 * u,
         np.where(coin, 10.0, 0.0), np.where(coin, 5.0, 0.0)], 0.0)
    log = pd.DataFrame({
        "customer_id": picked["customer_id"].to_numpy(),
        "order_date": picked["date"].to_numpy(),
        "received": received.to_numpy(),
        "category": category,
        "channel": channel,
        "resolved": resolved,
        "resolved_at": resolved_at.to_numpy(),
        "compensation": np.where(resolved, np.round(comp), 0.0),
    }).sort_values(["received", "customer_id"], kind="stable").reset_index(drop=True)
    log.insert(0, "complaint_id", [f"K{i:05d}" for i in range(1, len(log) + 1)])
    return log[list(COMPLAINT_COLUMNS)]


def _to_csv(log: pd.DataFrame) -> str:
    out = log.copy()
    out["order_date"] = out["order_date"].dt.strftime("%Y-%m-%d")
    for col in ("received", "resolved_at"):
        out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M").fillna("")
    out["compensation"] = out["compensation"].map(lambda v: f"{v:.0f}")
    return out.to_csv(index=False)


def write_complaints(folder: str | Path | None = None, **params: object) -> Path:
    """Write ``complaints.csv`` (UTF-8) for ``params`` into ``folder`` (default ``datasets/complaints``)."""
    from .fileio import atomic_write_text

    out = Path(folder) if folder is not None else datasets_dir() / "complaints"
    atomic_write_text(out / "complaints.csv", _to_csv(generate_complaints(**{**COMPLAINTS_DEFAULT, **params})))
    return out


def load_complaints() -> pd.DataFrame:
    """读取投诉记录 load ``datasets/complaints/complaints.csv`` with parsed times, checking its schema.

    A missing column, an unparsable time, a resolved complaint without a resolution time, an unknown category
    or channel, a negative compensation or a duplicate id is an :class:`InputError` naming the file, the row
    (as numbered in the file, header = row 1) and the column.
    """
    path = dataset_path("complaints/complaints.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    return validate_complaint_log(raw, source=path.name, header_rows=1)
