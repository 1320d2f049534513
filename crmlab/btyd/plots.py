"""模型诊断图 the plots people expect from a purchase model: histogram, calibration vs holdout,
P(alive) matrix, cumulative tracking, sBG survival. Each returns the matplotlib figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..errors import InputError, require_int
from ..plotting import new_figure

__all__ = [
    "expected_frequency_counts",
    "plot_calibration_vs_holdout",
    "plot_cumulative_tracking",
    "plot_frequency_histogram",
    "plot_p_alive_matrix",
    "plot_survival",
]


def expected_frequency_counts(model: object, T: object, max_frequency: int = 7) -> np.ndarray:
    """各重复购买次数的期望客户数: Σ_i P(X(T_i) = x) for x = 0 … max_frequency−1, and "≥ max" last."""
    k = require_int(max_frequency, "最大次数", "max_frequency", minimum=1)
    T_ = np.asarray(T, dtype=float).reshape(-1)
    values, counts = np.unique(T_, return_counts=True)
    out = np.zeros(k + 1)
    for t, c in zip(values, counts, strict=True):
        probs = model.probability_of_n_purchases(t, np.arange(k))
        out[:k] += c * probs
        out[k] += c * (1.0 - probs.sum())
    return out


def plot_frequency_histogram(model: object, frequency: object, T: object, max_frequency: int = 7):
    """重复购买次数分布：实际 vs 模型 (calibration period)."""
    k = require_int(max_frequency, "最大次数", "max_frequency", minimum=1)
    x = np.asarray(frequency, dtype=int)
    actual = np.bincount(np.minimum(x, k), minlength=k + 1)
    expected = expected_frequency_counts(model, T, k)
    labels = [str(i) for i in range(k)] + [f"{k}+"]
    fig, ax = new_figure("重复购买次数分布：实际与模型", "重复购买次数", "客户数（人）")
    pos = np.arange(k + 1)
    ax.bar(pos - 0.2, actual, width=0.4, label="实际")
    ax.bar(pos + 0.2, expected, width=0.4, label="模型")
    ax.set_xticks(pos, labels)
    ax.legend()
    return fig


def plot_calibration_vs_holdout(model: object, summary: pd.DataFrame, max_frequency: int = 7,
                                time_unit: str = "周"):
    """校准期 vs 验证期: mean holdout purchases by calibration frequency, actual vs model.

    ``summary`` has ``frequency``, ``recency``, ``T``, ``frequency_holdout`` and ``duration_holdout``
    (as made by :func:`crmlab.btyd.summarize_transactions` with ``calibration_end``).
    """
    need = ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"]
    missing = [c for c in need if c not in summary.columns]
    if missing:
        raise InputError(f"汇总表 summary 缺少列 missing columns {missing}")
    k = require_int(max_frequency, "最大次数", "max_frequency", minimum=1)
    pred = model.conditional_expected_purchases(
        summary["duration_holdout"].to_numpy(), summary["frequency"], summary["recency"], summary["T"])
    frame = pd.DataFrame({"group": np.minimum(summary["frequency"].to_numpy(), k),
                          "actual": summary["frequency_holdout"].to_numpy(), "model": pred})
    means = frame.groupby("group")[["actual", "model"]].mean()
    fig, ax = new_figure("校准期购买次数与验证期平均购买次数", "校准期重复购买次数",
                         f"验证期平均购买次数（次/人，{time_unit}）")
    labels = [str(int(g)) if g < k else f"{k}+" for g in means.index]
    ax.plot(labels, means["actual"], marker="o", label="实际")
    ax.plot(labels, means["model"], marker="s", linestyle="--", label="模型")
    ax.legend()
    return fig


def plot_p_alive_matrix(model: object, T: float, max_frequency: int = 20, max_recency: float | None = None,
                        time_unit: str = "周"):
    """仍活跃概率矩阵: P(alive) for each (frequency, recency) of a customer observed for ``T``."""
    k = require_int(max_frequency, "最大次数", "max_frequency", minimum=1)
    t_max = float(T if max_recency is None else max_recency)
    recency = np.linspace(0, t_max, 40)
    grid = np.zeros((k + 1, len(recency)))
    for x in range(k + 1):
        tx = np.zeros_like(recency) if x == 0 else np.maximum(recency, 1e-9)
        grid[x] = model.probability_alive(np.full(len(recency), x), tx, np.full(len(recency), float(T)))
    fig, ax = new_figure(f"仍活跃概率 P(alive)（观察时长 T = {float(T):g} {time_unit}）",
                         f"最近一次购买时间 recency（{time_unit}）", "重复购买次数 frequency", figsize=(6.4, 4.8))
    ax.grid(False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    im = ax.imshow(grid, origin="lower", aspect="auto", cmap="RdYlGn", vmin=0, vmax=1,
                   extent=(0, t_max, -0.5, k + 0.5))
    fig.colorbar(im, ax=ax, format=lambda v, _p: f"{v:.0%}")
    return fig


def plot_cumulative_tracking(model: object, first_purchase: object, actual_cumulative: object,
                             time_unit: str = "周", calibration_end: float | None = None):
    """累计重复购买跟踪: actual cumulative repeat purchases of a cohort against the model.

    ``first_purchase`` — each customer's first purchase time (time units from the start of the
    cohort's window); ``actual_cumulative`` — the cohort's cumulative repeat purchases at t = 1, 2, …
    """
    births = np.asarray(first_purchase, dtype=float).reshape(-1)
    actual = np.asarray(actual_cumulative, dtype=float).reshape(-1)
    times = np.arange(1, len(actual) + 1, dtype=float)
    uniq, counts = np.unique(births, return_counts=True)
    expected = np.array([
        float(np.dot(counts[uniq < t], model.expected_purchases(t - uniq[uniq < t]))) if (uniq < t).any() else 0.0
        for t in times
    ])
    fig, ax = new_figure("累计重复购买：实际与模型", f"时间（{time_unit}）", "累计重复购买（次）")
    ax.plot(times, actual, label="实际")
    ax.plot(times, expected, linestyle="--", label="模型")
    if calibration_end is not None:
        ax.axvline(calibration_end, color="grey", linestyle=":", label="校准期结束")
    ax.legend()
    return fig


def plot_survival(model: object, survivors: object, periods: int | None = None, time_unit: str = "年"):
    """留存曲线: the sBG survival curve S(t) against the observed share of survivors, projected ahead."""
    obs = np.asarray(survivors, dtype=float).reshape(-1)
    if obs.size < 2 or obs[0] <= 0:
        raise InputError(f"存活人数 survivors 至少两期且首期大于 0，收到 {obs.tolist()[:5]}")
    n = require_int(periods if periods is not None else 2 * (len(obs) - 1), "期数", "periods", minimum=1)
    t = np.arange(0, n + 1)
    fig, ax = new_figure("客户留存曲线：实际与 sBG 模型", f"时间（{time_unit}）", "仍在的客户比例（%）")
    ax.plot(np.arange(len(obs)), obs / obs[0], marker="o", label="实际")
    ax.plot(t, model.survival(t), linestyle="--", label="sBG 模型")
    ax.axvline(len(obs) - 1, color="grey", linestyle=":", label="数据截止")
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    ax.legend()
    return fig
