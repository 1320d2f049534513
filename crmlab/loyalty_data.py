"""鲜果园忠诚度调查 the running case's loyalty survey (chapter 9): a seeded generator, a writer and a loader.

Every number is 模拟数据 (simulated). The survey is built on the green-food transactions
(:func:`crmlab.datasets.load_green_food`) and asked on ``survey_date`` (default 2024-07-01):

* respondents — every customer who bought in the 180 days before the survey date;
* ``repeat_purchases`` — their actual number of purchases in the 365 days before it (from the transactions);
* ``repurchased`` — whether they actually bought in the 180 days after it (from the transactions);
* ``satisfaction`` (1–5) — drawn given ``repurchased``: for customers who came back with probabilities
  3 / 7 / 20 / 35 / 35 % for scores 1…5, for the others 12 / 18 / 30 / 32 / 8 % (an assumption that builds in
  the steep top end of the satisfaction → loyalty curve reported by Jones & Sasser 1995);
* a latent loyalty z = 0.8 × (satisfaction − 3) + 0.6 × (standardised log(1 + repeat_purchases)) + N(0, 0.7),
  and an independent convenience/habit factor h ~ N(0, 1) (what makes loyalty *spurious*);
* 1–5 ratings rounded and clipped: ``brand_attention`` 3 + 0.8 z + N(0, 0.7); ``competitor_attitude``
  3 − 0.7 z + N(0, 0.8); ``price_sensitivity`` 3.2 − 0.6 z + N(0, 0.8); ``quality_tolerance``
  2.8 + 0.6 z + N(0, 0.8); ``relative_attitude`` (1–7) 4 + 1.1 z + N(0, 0.8);
* ``choice_time`` (minutes, one decimal) lognormal with median 8 × exp(−0.35 z), σ = 0.5;
* ``share_of_wallet`` = logistic(−0.4 + 0.9 z + 0.9 h + N(0, 0.5)), two decimals, at least 0.01.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, require_int
from .paths import dataset_path, datasets_dir

__all__ = ["LOYALTY_SURVEY_COLUMNS", "LOYALTY_SURVEY_DEFAULT", "generate_loyalty_survey", "load_loyalty_survey",
           "write_loyalty_survey"]

#: The survey committed to ``datasets/loyalty/``: regenerate it with :func:`write_loyalty_survey`.
LOYALTY_SURVEY_DEFAULT = {"survey_date": "2024-07-01", "seed": 2024}

#: Columns, their meaning and their allowed range (low, high, whole numbers only?).
LOYALTY_SURVEY_COLUMNS: dict[str, tuple[str, float, float, bool]] = {
    "repeat_purchases": ("过去 12 个月购买次数", 0, np.inf, True),
    "share_of_wallet": ("需求满足率", 0, 1, False),
    "brand_attention": ("对本企业品牌的关注程度 1–5", 1, 5, True),
    "competitor_attitude": ("对竞争品牌的好感 1–5", 1, 5, True),
    "price_sensitivity": ("对价格的敏感程度 1–5", 1, 5, True),
    "quality_tolerance": ("对产品质量事故的承受能力 1–5", 1, 5, True),
    "choice_time": ("购买挑选时间（分钟）", 0, np.inf, False),
    "relative_attitude": ("相对态度 1–7", 1, 7, True),
    "satisfaction": ("总体满意度 1–5", 1, 5, True),
    "repurchased": ("调查后 180 天内是否再次购买 0/1", 0, 1, True),
}


def _likert(rng: np.random.Generator, centre: np.ndarray, sd: float, top: int = 5) -> np.ndarray:
    return np.clip(np.round(centre + rng.normal(0.0, sd, centre.size)), 1, top).astype(int)


def generate_loyalty_survey(transactions: pd.DataFrame | None = None, survey_date: str = "2024-07-01",
                            seed: int = 2024) -> pd.DataFrame:
    """生成忠诚度调查 simulate the loyalty survey of 鲜果园's recent buyers (default: the committed transactions).

    Deterministic for a given ``seed``; ``survey_date`` needs 180 days of transactions after it. One row per
    respondent, ``customer_id`` first, then :data:`LOYALTY_SURVEY_COLUMNS`. See the module docstring.
    """
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    if transactions is None:
        from .datasets import load_green_food

        transactions = load_green_food().transactions
    if not isinstance(transactions, pd.DataFrame) or not {"customer_id", "date"} <= set(transactions.columns):
        raise InputError("交易表 transactions 必须是含列 customer_id 与 date 的 pandas DataFrame")
    try:
        day = pd.Timestamp(survey_date).normalize()
    except (TypeError, ValueError):
        raise InputError(f"调查日期 survey_date 不是有效日期，收到 {survey_date!r}") from None
    dates = pd.to_datetime(transactions["date"]).dt.normalize()
    if dates.max() < day + pd.Timedelta(days=179):
        raise InputError(f"调查日期 survey_date 之后需要 180 天的交易数据（截止 {dates.max().date()}），"
                         f"收到 {day.date()}")
    ids = transactions["customer_id"]
    recent = ids[(dates >= day - pd.Timedelta(days=180)) & (dates < day)].unique()
    if len(recent) == 0:
        raise InputError(f"调查日期 {day.date()} 之前 180 天没有购买的客户")
    respondents = pd.Index(sorted(recent), name="customer_id")
    year = ids[(dates >= day - pd.Timedelta(days=365)) & (dates < day)].value_counts()
    after = set(ids[(dates >= day) & (dates < day + pd.Timedelta(days=180))])
    n = len(respondents)
    repeat = year.reindex(respondents, fill_value=0).to_numpy()
    came_back = np.array([c in after for c in respondents])

    p_back, p_gone = [0.03, 0.07, 0.20, 0.35, 0.35], [0.12, 0.18, 0.30, 0.32, 0.08]
    satisfaction = np.where(came_back, rng.choice(5, size=n, p=p_back), rng.choice(5, size=n, p=p_gone)) + 1
    log_repeat = np.log1p(repeat)
    z = (0.8 * (satisfaction - 3) + 0.6 * (log_repeat - log_repeat.mean()) / max(log_repeat.std(), 1e-9)
         + rng.normal(0.0, 0.7, n))
    habit = rng.normal(0.0, 1.0, n)
    sow = 1.0 / (1.0 + np.exp(-(-0.4 + 0.9 * z + 0.9 * habit + rng.normal(0.0, 0.5, n))))
    return pd.DataFrame({
        "customer_id": respondents.to_numpy(),
        "repeat_purchases": repeat.astype(int),
        "share_of_wallet": np.clip(np.round(sow, 2), 0.01, 1.0),
        "brand_attention": _likert(rng, 3 + 0.8 * z, 0.7),
        "competitor_attitude": _likert(rng, 3 - 0.7 * z, 0.8),
        "price_sensitivity": _likert(rng, 3.2 - 0.6 * z, 0.8),
        "quality_tolerance": _likert(rng, 2.8 + 0.6 * z, 0.8),
        "choice_time": np.round(8.0 * np.exp(-0.35 * z) * rng.lognormal(0.0, 0.5, n), 1),
        "relative_attitude": _likert(rng, 4 + 1.1 * z, 0.8, top=7),
        "satisfaction": satisfaction.astype(int),
        "repurchased": came_back.astype(int),
    })


def write_loyalty_survey(folder: str | Path | None = None, **params: object) -> Path:
    """Write ``survey.csv`` (UTF-8) for ``params`` into ``folder`` (default ``datasets/loyalty``)."""
    from .fileio import atomic_write_text

    out = Path(folder) if folder is not None else datasets_dir() / "loyalty"
    survey = generate_loyalty_survey(**{**LOYALTY_SURVEY_DEFAULT, **params})
    atomic_write_text(out / "survey.csv", survey.to_csv(index=False))
    return out


def load_loyalty_survey() -> pd.DataFrame:
    """读取忠诚度调查 load ``datasets/loyalty/survey.csv``, checking its schema.

    A missing column, a duplicate ``customer_id``, or a value that is not a number in its range (whole numbers
    for ratings and counts) is an :class:`InputError` naming the file, the row (header = row 1) and the column.
    """
    path = dataset_path("loyalty/survey.csv")
    df = pd.read_csv(path, dtype={"customer_id": str})
    missing = [c for c in ("customer_id", *LOYALTY_SURVEY_COLUMNS) if c not in df.columns]
    if missing:
        raise InputError(f"数据文件 {path.name} 缺少列 missing columns {missing}")
    for col, (zh, lo, hi, whole) in LOYALTY_SURVEY_COLUMNS.items():
        x = pd.to_numeric(df[col], errors="coerce")
        bad = x.isna() | (x < lo) | (x > hi) | ((x != np.round(x)) if whole else False)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            kind = "整数" if whole else "数字"
            raise InputError(f"数据文件 {path.name} 第 {i + 2} 行、列 {col}（{zh}）必须是 [{lo:g}, {hi:g}] 之间的"
                             f"{kind}，收到 {df[col].iloc[i]!r}")
        df[col] = x.astype(int) if whole else x.astype(float)
    dup = df["customer_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"数据文件 {path.name} 第 {i + 2} 行、列 customer_id 重复 (duplicate id)，"
                         f"收到 {df['customer_id'].iloc[i]!r}")
    return df
