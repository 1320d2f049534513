"""生命周期图表 charts for :mod:`crmlab.lifecycle`: the state diagram of 图1-1 and transition heatmaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path

from .errors import InputError
from .lifecycle import BOOK_STATES, NEW_REGISTRATION, StateRules
from .plotting import new_figure

__all__ = ["draw_state_diagram", "transition_heatmap"]

_RAD = 0.12  # curvature of the arrows, so that two opposite flows do not overlap
_HALF_BOX = (0.85, 0.5)  # half width and height kept clear around a box centre, in data units


def _curve(start: tuple[float, float], end: tuple[float, float], n: int = 41) -> np.ndarray:
    """Points of a quadratic Bézier from box to box, bent to the right of the direction of travel,
    trimmed where it enters each box; the middle point is where the count label goes."""
    p0, p2 = np.asarray(start), np.asarray(end)
    d = p2 - p0
    c = (p0 + p2) / 2 + _RAD * np.array([d[1], -d[0]])
    t = np.linspace(0, 1, 401)[:, None]
    pts = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * c + t**2 * p2
    outside = (np.abs(pts - p0) > _HALF_BOX).any(axis=1) & (np.abs(pts - p2) > _HALF_BOX).any(axis=1)
    idx = np.flatnonzero(outside)
    lo, hi = (idx[0], idx[-1]) if idx.size else (0, len(pts) - 1)
    # keep the label at the curve's true middle by trimming symmetrically in t
    k = min(lo, len(pts) - 1 - hi)
    ts = np.linspace(t[max(lo, k), 0], t[min(hi, len(pts) - 1 - k), 0], n)[:, None]
    return (1 - ts) ** 2 * p0 + 2 * (1 - ts) * ts * c + ts**2 * p2

# Box centres, laid out like 图1-1: prospects on the left, current customers in the middle,
# lost customers and non-customers on the right.
_POSITIONS: dict[str, tuple[float, float]] = {
    "new": (-2.6, 0.0),
    "potential": (0.0, 1.1),
    "target": (0.0, -1.1),
    "first": (2.6, 0.0),
    "repeat": (5.2, 1.1),
    "loyal": (5.2, -1.1),
    "lost": (7.8, 0.0),
    "non": (10.2, 0.0),
}


def draw_state_diagram(flows: pd.DataFrame, rules: StateRules = BOOK_STATES, title: str | None = None):
    """客户状态流转图 draw the states as boxes and each non-zero flow as an arrow labelled with its count.

    ``flows`` is the table from :func:`crmlab.lifecycle.state_flows` (rows: state at the start,
    columns: state at the end). Each box shows the number of customers in that state at the
    end and how many stayed. Returns the matplotlib figure.
    """
    if not isinstance(flows, pd.DataFrame):
        raise InputError(f"流转表 flows 必须是 pandas DataFrame，收到 {type(flows).__name__}")
    key = {label: rules.key_of(label) for label in flows.columns}
    key.update({label: rules.key_of(label) for label in flows.index if label != NEW_REGISTRATION})
    key[NEW_REGISTRATION] = "new"
    fig, ax = new_figure(title or f"客户状态流转（{flows.index.name} → {flows.columns.name}）", figsize=(11, 4.6))
    ax.grid(False)
    ax.set_axis_off()
    end_counts = flows.sum(axis=0)
    boxes = [*([NEW_REGISTRATION] if NEW_REGISTRATION in flows.index else []), *flows.columns]
    for label in boxes:
        x, y = _POSITIONS[key[label]]
        if label == NEW_REGISTRATION:
            text = f"{label}\n{int(flows.loc[label].sum())} 人"
        else:
            stayed = int(flows.loc[label, label]) if label in flows.index else 0
            text = f"{label}\n期末 {int(end_counts[label])} 人\n留在原状态 {stayed}"
        colour = "#fde2e2" if key[label] in ("lost", "non") else "#e3f0fb"
        ax.text(x, y, text, ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round,pad=0.5", "fc": colour, "ec": "#555"}, zorder=3)
    for src in flows.index:
        for dst in flows.columns:
            n = int(flows.loc[src, dst])
            if n == 0 or src == dst:
                continue
            curve = _curve(_POSITIONS[key[src]], _POSITIONS[key[dst]])
            ax.add_patch(FancyArrowPatch(path=Path(curve), arrowstyle="-|>", mutation_scale=14,
                                         color="#444", lw=1 + np.log1p(n) / 2, zorder=2))
            # the count sits just outside the curve's middle, on the side it bends to, so that the two
            # labels of a back-and-forth pair do not overlap
            (sx, sy), (ex, ey) = _POSITIONS[key[src]], _POSITIONS[key[dst]]
            side = np.array([ey - sy, sx - ex]) / max(np.hypot(ex - sx, ey - sy), 1e-9)
            mx, my = curve[len(curve) // 2] + 0.22 * side
            ax.text(mx, my, str(n), ha="center", va="center", fontsize=9, color="#b22",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}, zorder=4)
    xs = [_POSITIONS[key[b]][0] for b in boxes]
    ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
    ax.set_ylim(-2.0, 2.0)
    return fig


def transition_heatmap(P: pd.DataFrame, title: str = "客户状态转移矩阵"):
    """转移矩阵热力图 heatmap of a transition matrix (rows: this period, columns: next period), in %."""
    if not isinstance(P, pd.DataFrame):
        raise InputError(f"转移矩阵 P 必须是 pandas DataFrame，收到 {type(P).__name__}")
    n = len(P)
    fig, ax = new_figure(title, "下期状态", "本期状态", figsize=(1.2 * n + 2.5, 1.0 * n + 1.5))
    ax.grid(False)
    im = ax.imshow(P.to_numpy(), cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(n), [str(c) for c in P.columns], rotation=30, ha="right")
    ax.set_yticks(range(n), [str(i) for i in P.index])
    for i in range(n):
        for j in range(n):
            v = P.iat[i, j]
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", color="white" if v > 0.6 else "black", fontsize=9)
    fig.colorbar(im, ax=ax, format=lambda x, _p: f"{x:.0%}", shrink=0.8)
    return fig
