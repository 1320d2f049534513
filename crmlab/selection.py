"""客户的选择 choosing customers (chapter 3): a configurable scoring sheet and look-alike scoring.

* :func:`selection_score` — 定位匹配评分表: candidates rated on criteria (e.g. 0–10), weighted into one score,
  with each criterion's contribution shown so the ranking can be explained (the Rolex case uses it).
* :func:`lookalike_scores` — 与忠诚客户相似: how close each prospect is to the current loyal customers, by the
  standardised distance to their average profile, with the gap per feature.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import InputError, require_nonnegative

__all__ = ["lookalike_scores", "selection_score"]


def _numeric_frame(df: object, columns: Sequence[str], zh: str, en: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{zh} {en} 必须是 pandas DataFrame，收到 {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{zh} {en} 缺少列 missing columns {missing}，现有列 columns: {list(df.columns)}")
    sub = df[list(columns)].apply(pd.to_numeric, errors="coerce")
    bad = sub.isna() | ~np.isfinite(sub.astype(float))
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        value = df[columns[col]].iloc[row]
        raise InputError(f"{zh} {en} 第 {row + 1} 行的 {columns[col]} 不是有限数字，收到 {value!r}")
    return sub.astype(float)


def selection_score(
    candidates: pd.DataFrame, weights: Mapping[str, float], *, scale: tuple[float, float] = (0.0, 10.0)
) -> pd.DataFrame:
    """定位匹配评分 weighted selection score of each candidate (row) on the criteria in ``weights``.

    Ratings lie within ``scale`` (default 0–10); ``weights`` (≥ 0, not all 0) are normalised to sum to 1.
    Returns one column per criterion with its weighted contribution (in rating points), ``score`` (their sum,
    on the rating scale) and ``rank`` (1 = best), sorted by score.
    """
    if not isinstance(weights, Mapping) or not weights:
        raise InputError(f"权重 weights 必须是非空的字典 {{criterion: weight}}，收到 {weights!r}")
    w = pd.Series({k: require_nonnegative(v, f"权重 {k}", "weight") for k, v in weights.items()}, dtype=float)
    if w.sum() <= 0:
        raise InputError("权重 weights 不能全为 0 (all zero)")
    ratings = _numeric_frame(candidates, list(w.index), "候选客户评分表", "candidates")
    lo, hi = scale
    outside = (ratings < lo) | (ratings > hi)
    if outside.to_numpy().any():
        row, col = np.argwhere(outside.to_numpy())[0]
        raise InputError(f"评分 rating 第 {row + 1} 行的 {w.index[col]} 必须在 {lo:g} 和 {hi:g} 之间，"
                         f"收到 {ratings.iat[row, col]:g}")
    contrib = ratings * (w / w.sum())
    out = contrib.copy()
    out["score"] = contrib.sum(axis=1)
    out["rank"] = out["score"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("score", ascending=False, kind="stable")


def lookalike_scores(prospects: pd.DataFrame, loyal: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
    """与忠诚客户的相似度 similarity of each prospect to the average loyal customer, in (0, 1].

    Each feature is standardised with the loyal customers' mean and standard deviation (a feature with no
    spread among them uses 1), the prospect's gaps ``z_k = (x_k − mean_k) / sd_k`` are reported per feature,
    and ``similarity = exp(−Σ z_k² / (2K))`` for K features: 1 for a prospect exactly like the average loyal
    customer, smaller the further away. Sorted from most to least similar.
    """
    feats = list(features)
    if not feats:
        raise InputError("特征 features 不能为空 (empty)")
    ref = _numeric_frame(loyal, feats, "忠诚客户表", "loyal")
    if len(ref) < 2:
        raise InputError(f"忠诚客户表 loyal 至少需要 2 行才能估计差异 (need ≥ 2 rows)，收到 {len(ref)} 行")
    cand = _numeric_frame(prospects, feats, "潜在客户表", "prospects")
    mean, sd = ref.mean(), ref.std(ddof=1).replace(0.0, 1.0)
    z = (cand - mean) / sd
    out = z.add_suffix("_gap")
    out["distance"] = np.sqrt((z**2).sum(axis=1))
    out["similarity"] = np.exp(-(z**2).sum(axis=1) / (2 * len(feats)))
    return out.sort_values("similarity", ascending=False, kind="stable")
