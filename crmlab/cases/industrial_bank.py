"""兴业银行家庭理财卡的客户分级: households graded into card tiers by their assets (chapter 6 case).

The book's case is told from public facts only; every number here is 模拟数据 (simulated) or 假设
(assumption): household assets are lognormal, a household's card tier follows fixed asset thresholds,
the bank earns a fixed share of the assets a year and spends a fixed service cost per tier.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, require_fraction, require_int, require_nonnegative
from ..segmentation import customer_profit

__all__ = ["CARD_THRESHOLDS", "SERVICE_COST", "card_tiers", "household_profit", "simulate_household_assets"]

#: 卡级门槛（元，假设）: the lowest assets for each card, from the bottom tier up.
CARD_THRESHOLDS: dict[str, float] = {"普通卡": 0.0, "金卡": 50_000.0, "白金卡": 500_000.0}
#: 每户每年服务成本（元，假设）.
SERVICE_COST: dict[str, float] = {"普通卡": 30.0, "金卡": 300.0, "白金卡": 2_500.0}


def simulate_household_assets(n: int = 5000, seed: int = 2024) -> np.ndarray:
    """模拟家庭资产 assets of ``n`` households in 元: lognormal (μ = 10.3, σ = 1.4), rounded to 100 元."""
    size = require_int(n, "家庭数", "n", minimum=1)
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    return np.round(rng.lognormal(mean=10.3, sigma=1.4, size=size), -2)


def card_tiers(assets: object, thresholds: dict[str, float] = CARD_THRESHOLDS) -> pd.Categorical:
    """卡级 the card tier of each household: the highest tier whose threshold (元) its assets reach.

    Returned as an ordered categorical from the top tier down (白金卡, 金卡, 普通卡 by default).
    """
    a = np.asarray(assets, dtype=float).reshape(-1)
    if not np.all(np.isfinite(a)) or (a < 0).any():
        i = int(np.flatnonzero(~np.isfinite(a) | (a < 0))[0])
        raise InputError(f"家庭资产 assets 第 {i + 1} 个值必须是 ≥ 0 的数字，收到 {float(a[i])!r}")
    names = list(thresholds)
    cuts = np.array([require_nonnegative(thresholds[k], f"{k} 门槛", "threshold") for k in names])
    if cuts[0] != 0 or np.any(np.diff(cuts) <= 0):
        raise InputError(f"卡级门槛 thresholds 必须从 0 开始严格递增，收到 {thresholds}")
    idx = np.searchsorted(cuts, a, side="right") - 1
    return pd.Categorical.from_codes(len(names) - 1 - idx, categories=names[::-1], ordered=True)


def household_profit(assets: object, tiers: pd.Categorical, income_rate: float = 0.01,
                     service_cost: dict[str, float] = SERVICE_COST) -> np.ndarray:
    """每户利润 yearly profit per household (元): ``income_rate`` × assets − the tier's service cost."""
    rate = require_fraction(income_rate, "年净收入率", "income_rate")
    a = np.asarray(assets, dtype=float).reshape(-1)
    missing = [t for t in pd.Categorical(tiers).categories if t not in service_cost]
    if missing:
        raise InputError(f"服务成本 service_cost 缺少卡级 missing tiers {missing}")
    cost = pd.Series(np.asarray(tiers)).map(service_cost).astype(float).to_numpy()
    return customer_profit(a * rate, service=cost)
