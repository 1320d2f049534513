"""客户满意 measuring customer satisfaction (chapter 8).

* :func:`csi` — a weighted customer satisfaction index (客户满意度指数) on 0–100 from Likert items, with
  :func:`importance_weights` (weights from importance ratings) and :func:`satisfaction_level` (不满意/一般/满意);
* :func:`disconfirmation` — perceived performance against expectation per item (期望与感知);
* :func:`servqual_gaps` and :func:`servqual_plot` — SERVQUAL gaps P − E per item, per dimension and overall
  (Parasuraman, Zeithaml & Berry 1988), optionally weighted by the importance of the dimensions;
* :func:`kano_category`, :func:`kano_classify` and :func:`kano_plot` — the Kano evaluation table, category
  counts, the mode category and the Better/Worse coefficients (Berger et al. 1993);
* :func:`ipa_quadrants` and :func:`ipa_plot` — importance–performance analysis (Martilla & James 1977);
* :func:`nps`, :func:`nps_interval`, :func:`nps_from_counts` — the Net Promoter Score (Reichheld 2003) with a
  normal-approximation confidence interval;
* :func:`satisfaction_scorecard` — the textbook's indirect measures of satisfaction (美誉度, 指名度, 回头率,
  投诉率, 购买额, 对价格变化的敏感度) computed from a survey, transactions and complaints.

Answers are validated at the boundary: an answer outside its scale names the row and the item, an empty sample
or weights that do not add up raise :class:`~crmlab.errors.InputError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError, require_finite, require_fraction, require_int, require_nonnegative

__all__ = [
    "IPA_QUADRANTS",
    "KANO_ANSWERS",
    "KANO_CATEGORIES",
    "KANO_TABLE",
    "SCORECARD_MEASURES",
    "SERVQUAL_DIMENSIONS",
    "SERVQUAL_ITEMS",
    "CSIResult",
    "IPAResult",
    "NPSResult",
    "ServqualResult",
    "csi",
    "disconfirmation",
    "importance_weights",
    "ipa_plot",
    "ipa_quadrants",
    "kano_category",
    "kano_classify",
    "kano_plot",
    "nps",
    "nps_from_counts",
    "nps_interval",
    "satisfaction_level",
    "satisfaction_scorecard",
    "scorecard_definitions",
    "servqual_gaps",
    "servqual_plot",
]


# --- shared checks ---------------------------------------------------------------------------------------------

def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _scale(scale: object) -> tuple[float, float]:
    """A Likert scale ``(lowest, highest)`` as two finite floats with lowest < highest."""
    try:
        lo, hi = scale  # type: ignore[misc]
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise InputError(f"量表 scale 必须是 (最低分, 最高分) 两个数，收到 {scale!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise InputError(f"量表 scale 的最低分必须小于最高分 (lowest < highest)，收到 {scale!r}")
    return lo, hi


def _row_label(frame: pd.DataFrame, i: int) -> str:
    label = frame.index[i]
    if isinstance(frame.index, pd.RangeIndex):
        return f"第 {i + 1} 行"
    return f"第 {i + 1} 行（{_plain(label)!r}）"


def _answers(scores: object, zh: str, en: str, scale: tuple[float, float] | None) -> pd.DataFrame:
    """Respondents × items as floats. NaN means "no answer"; anything else must be a number within ``scale``.

    Accepts a DataFrame, a mapping item → answers, or a 2-D array (items named item1, item2, …). Errors name the
    row (respondent) and the item.
    """
    if isinstance(scores, pd.DataFrame):
        frame = scores
    elif isinstance(scores, Mapping):
        try:
            frame = pd.DataFrame({k: pd.Series(v) for k, v in scores.items()})
        except (TypeError, ValueError):
            raise InputError(f"{zh} {en} 必须是每个题项一列答案 (one column per item)，收到 {scores!r:.80}") from None
    else:
        arr = np.asarray(scores, dtype=object)
        if arr.ndim != 2:
            raise InputError(f"{zh} {en} 必须是 受访者 × 题项 的表格 (respondents × items)，收到 {scores!r:.80}")
        frame = pd.DataFrame(arr, columns=[f"item{j + 1}" for j in range(arr.shape[1])])
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise InputError(f"{zh} {en} 不能为空 (empty sample)：收到 {frame.shape[0]} 行 × {frame.shape[1]} 个题项")
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()][0]
        raise InputError(f"{zh} {en} 的题项 {dup!r} 重复 (duplicate item)")
    out = {}
    for col in frame.columns:
        raw = frame[col]
        if raw.dtype == bool:
            raise InputError(f"{zh} {en} 题项 {col!r} 必须是数字答案，收到布尔值 (booleans)")
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = values.isna() & raw.notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{zh} {en} {_row_label(frame, i)}、题项 {col!r} 必须是数字，收到 {_plain(raw.iloc[i])!r}")
        arr = values.to_numpy()
        if np.isinf(arr).any():
            i = int(np.flatnonzero(np.isinf(arr))[0])
            raise InputError(f"{zh} {en} {_row_label(frame, i)}、题项 {col!r} 必须是有限数字，收到 {arr[i]!r}")
        if scale is not None:
            lo, hi = scale
            out_of_range = (arr < lo) | (arr > hi)
            if out_of_range.any():
                i = int(np.flatnonzero(out_of_range)[0])
                raise InputError(f"{zh} {en} {_row_label(frame, i)}、题项 {col!r} 的答案必须在 {lo:g} 到 {hi:g} 之间"
                                 f" (scale {lo:g}–{hi:g})，收到 {arr[i]:g}")
        if np.isnan(arr).all():
            raise InputError(f"{zh} {en} 题项 {col!r} 没有任何有效答案 (no answers)")
        out[col] = arr
    return pd.DataFrame(out, index=frame.index)


def _per_item(values: object, zh: str, en: str, scale: tuple[float, float] | None) -> pd.Series:
    """One number per item: a DataFrame of answers gives its column means; a mapping / Series is taken as is."""
    if isinstance(values, pd.DataFrame):
        return _answers(values, zh, en, scale).mean()
    if isinstance(values, Mapping) or isinstance(values, pd.Series):
        s = pd.Series(values, dtype=object)
    else:
        raise InputError(f"{zh} {en} 必须是 题项→数值 的映射/Series，或 受访者 × 题项 的 DataFrame，"
                         f"收到 {type(values).__name__}")
    if s.empty:
        raise InputError(f"{zh} {en} 不能为空 (empty)")
    frame = s.to_frame().T
    frame.index = pd.Index(["均值"])
    return _answers(frame, zh, en, scale).iloc[0]


def _weights(weights: object, items: pd.Index, zh: str, en: str) -> pd.Series:
    """Non-negative finite weights, one per item (mapping keyed by item, or a sequence in item order)."""
    if isinstance(weights, Mapping | pd.Series):
        w = pd.Series(weights, dtype=object)
        missing = [i for i in items if i not in w.index]
        extra = [i for i in w.index if i not in items]
        if missing or extra:
            raise InputError(f"{zh} {en} 的题项必须与答案的题项一致：缺少 missing {missing}，多出 extra {extra}")
        w = w.reindex(items)
    else:
        try:
            w = pd.Series(list(weights), dtype=object)  # type: ignore[call-overload]
        except TypeError:
            raise InputError(f"{zh} {en} 必须是 题项→权重 的映射或一列数字，收到 {weights!r:.80}") from None
        if len(w) != len(items):
            raise InputError(f"{zh} {en} 的个数必须等于题项数 {len(items)}，收到 {len(w)}")
        w.index = items
    out = pd.Series([require_nonnegative(_plain(v), f"{zh}（{k}）", en) for k, v in w.items()],
                    index=items, dtype=float)
    return out


# --- 客户满意度指数 CSI ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CSIResult:
    """客户满意度指数 the CSI (0–100) and its per-item breakdown.

    ``items`` has, per item: ``mean`` (mean answer on the Likert scale), ``score`` (the mean rescaled to 0–100),
    ``weight`` (sums to 1) and ``contribution`` (= weight × score; the contributions add up to ``index``).
    """

    index: float
    items: pd.DataFrame
    n_respondents: int
    scale: tuple[float, float]

    def __repr__(self) -> str:
        return (f"CSIResult(index={self.index:.2f}, items={len(self.items)}, n_respondents={self.n_respondents}, "
                f"scale={self.scale[0]:g}–{self.scale[1]:g})")

    def _repr_html_(self) -> str:
        shown = self.items.rename(columns={"mean": "平均分 mean", "score": "得分 score (0–100)",
                                           "weight": "权重 weight", "contribution": "贡献 contribution"})
        return shown.to_html(float_format=lambda x: f"{x:,.3f}") + (
            f"<p><b>客户满意度指数 CSI = {self.index:.2f}</b>（0–100；{self.n_respondents} 位受访者，"
            f"量表 {self.scale[0]:g}–{self.scale[1]:g}）</p>")


def csi(scores: object, weights: object = None, scale: tuple[float, float] = (1, 5), *,
        normalize: bool = False) -> CSIResult:
    """客户满意度指数 Customer Satisfaction Index: a weighted mean of item scores, on 0–100.

    ``scores``: answers, respondents × items (DataFrame, mapping item → answers, or 2-D array) on the Likert
    ``scale`` ``(lowest, highest)``; NaN = no answer. Each item's mean answer m is rescaled linearly,
    score = 100 × (m − lowest) / (highest − lowest), so the lowest answer is 0 and the highest 100, and
    CSI = Σ weight_i × score_i.

    ``weights``: one non-negative weight per item (mapping keyed by item, or a sequence in column order);
    ``None`` gives every item the same weight. The weights must add up to 1 (within 1e-6): otherwise an
    :class:`InputError` is raised, unless ``normalize=True``, which divides them by their sum (so 3, 2 and 5 mean
    30 %, 20 % and 50 %).
    """
    lo, hi = _scale(scale)
    answers = _answers(scores, "满意度得分", "scores", (lo, hi))
    items = answers.columns
    if weights is None:
        w = pd.Series(1.0 / len(items), index=items)
    else:
        w = _weights(weights, items, "权重", "weights")
        total = float(w.sum())
        if normalize:
            if total <= 0:
                raise InputError(f"权重 weights 之和必须大于 0 才能按比例缩放 (normalize)，收到 {total:g}")
            w = w / total
        elif abs(total - 1.0) > 1e-6:
            raise InputError(f"权重 weights 之和必须等于 1，收到 {total:g}（若要按比例缩放，请设 normalize=True）")
    means = answers.mean()
    score = 100.0 * (means - lo) / (hi - lo)
    table = pd.DataFrame({"mean": means, "score": score, "weight": w, "contribution": w * score})
    table.index.name = "item"
    return CSIResult(float(table["contribution"].sum()), table, len(answers), (lo, hi))


def importance_weights(importance: object, scale: tuple[float, float] = (1, 7)) -> pd.Series:
    """重要性权重 weights proportional to each item's mean importance rating; they add up to 1.

    ``importance``: ratings, respondents × items, on ``scale``. An item rated twice as important on average gets
    twice the weight (the ratings are used as they are, not shifted to start at 0).
    """
    means = _answers(importance, "重要性评分", "importance", _scale(scale)).mean()
    if means.sum() <= 0:
        raise InputError(f"重要性评分 importance 的均值之和必须大于 0，收到 {means.sum():g}")
    return (means / means.sum()).rename("weight")


def satisfaction_level(scores: object, scale: tuple[float, float] = (1, 5)) -> pd.Series:
    """满意程度分组 one label per answer: 不满意 below the scale's midpoint, 一般 at it, 满意 above it.

    On 1–5: 1–2 → 不满意, 3 → 一般, 4–5 → 满意. Returns an ordered categorical Series (index kept).
    """
    lo, hi = _scale(scale)
    s = scores if isinstance(scores, pd.Series) else pd.Series(np.asarray(scores, dtype=object).reshape(-1))
    values = _answers(s.to_frame("overall"), "总体满意度", "scores", (lo, hi))["overall"]
    if values.isna().any():
        i = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise InputError(f"总体满意度 scores 第 {i + 1} 个答案缺失 (missing)")
    mid = (lo + hi) / 2
    codes = np.where(values < mid, 0, np.where(values > mid, 2, 1))
    return pd.Series(pd.Categorical.from_codes(codes, categories=["不满意", "一般", "满意"], ordered=True),
                     index=s.index, name="level")


# --- 期望与感知 disconfirmation -----------------------------------------------------------------------------------

def disconfirmation(expected: object, perceived: object, *, tolerance: float = 0.0,
                    scale: tuple[float, float] | None = None) -> pd.DataFrame:
    """期望与感知 expectation vs perceived performance (expectancy disconfirmation), item by item.

    ``expected`` and ``perceived``: one number per item (mapping or Series), or answers respondents × items
    (DataFrame; the item means are compared). Both on the same scale; pass ``scale`` to check the range.
    Returns per item ``expected``, ``perceived``, ``gap`` = perceived − expected and ``verdict``:
    满意 when the gap exceeds ``tolerance`` (performance beats expectation), 不满意 when it is below −tolerance,
    基本满意 otherwise (performance about equal to expectation).
    """
    tol = require_nonnegative(tolerance, "容差", "tolerance")
    sc = _scale(scale) if scale is not None else None
    e = _per_item(expected, "期望", "expected", sc)
    p = _per_item(perceived, "感知", "perceived", sc)
    if set(e.index) != set(p.index):
        only_e = [i for i in e.index if i not in p.index]
        only_p = [i for i in p.index if i not in e.index]
        raise InputError(f"期望 expected 与感知 perceived 的题项必须相同：只在期望中 {only_e}，只在感知中 {only_p}")
    p = p.reindex(e.index)
    gap = p - e
    eps = 1e-9
    verdict = np.where(gap > tol + eps, "满意", np.where(gap < -tol - eps, "不满意", "基本满意"))
    table = pd.DataFrame({"expected": e, "perceived": p, "gap": gap, "verdict": verdict})
    table.index.name = "item"
    return table


# --- SERVQUAL -----------------------------------------------------------------------------------------------

#: The five SERVQUAL dimensions in the order of the 22 statements, Chinese name → English name.
SERVQUAL_DIMENSIONS: dict[str, str] = {
    "有形性": "tangibles",
    "可靠性": "reliability",
    "响应性": "responsiveness",
    "保证性": "assurance",
    "移情性": "empathy",
}

#: Statement number (1–22) → dimension, as in Parasuraman, Zeithaml & Berry (1988), Journal of Retailing 64(1):
#: tangibles 1–4, reliability 5–9, responsiveness 10–13, assurance 14–17, empathy 18–22.
SERVQUAL_ITEMS: dict[int, str] = {
    **dict.fromkeys(range(1, 5), "有形性"),
    **dict.fromkeys(range(5, 10), "可靠性"),
    **dict.fromkeys(range(10, 14), "响应性"),
    **dict.fromkeys(range(14, 18), "保证性"),
    **dict.fromkeys(range(18, 23), "移情性"),
}


@dataclass(frozen=True)
class ServqualResult:
    """SERVQUAL 差距分析 the gaps (perception − expectation) per item, per dimension and overall.

    ``items``: per item its ``dimension``, mean ``expectation``, mean ``perception`` and ``gap``.
    ``dimensions``: per dimension the mean of its items' expectations, perceptions and gaps, and the ``weight``
    (normalised importance, NaN-free; equal weights when no importance was given).
    ``overall``: the unweighted SERVQUAL score, the mean of the dimension gaps.
    ``weighted``: Σ weight × dimension gap when ``importance`` was given, else ``None``.
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: float
    weighted: float | None

    def __repr__(self) -> str:
        w = "" if self.weighted is None else f", weighted={self.weighted:+.3f}"
        return (f"ServqualResult(overall={self.overall:+.3f}{w}, dimensions={len(self.dimensions)}, "
                f"items={len(self.items)})")

    def _repr_html_(self) -> str:
        labels = {"expectation": "期望 E", "perception": "感知 P", "gap": "差距 P−E", "weight": "权重 weight",
                  "dimension": "维度 dimension"}
        text = f"<p><b>SERVQUAL 总差距（各维度平均）= {self.overall:+.3f}</b>"
        if self.weighted is not None:
            text += f"；按重要性加权 = {self.weighted:+.3f}"
        return self.dimensions.rename(columns=labels).to_html(float_format=lambda x: f"{x:+.3f}") + text + "</p>"


def _dimension_map(items: pd.Index, dimensions: object) -> dict[object, str]:
    if dimensions is None:
        if len(items) != 22:
            raise InputError(f"维度 dimensions 未给出时必须正好有 22 个题项（SERVQUAL 标准问卷），"
                             f"收到 {len(items)} 个；请用 dimensions 指定每个题项所属的维度")
        return {item: SERVQUAL_ITEMS[k + 1] for k, item in enumerate(items)}
    if not isinstance(dimensions, Mapping):
        raise InputError(f"维度 dimensions 必须是 题项→维度 或 维度→题项列表 的映射，收到 {type(dimensions).__name__}")
    mapping: dict[object, str] = {}
    for key, value in dimensions.items():
        if isinstance(value, str) or not isinstance(value, Sequence | pd.Index | np.ndarray):
            mapping[key] = str(value)
        else:
            for item in value:
                if item in mapping:
                    raise InputError(f"维度 dimensions：题项 {item!r} 被分到了两个维度 (in two dimensions)")
                mapping[item] = str(key)
    missing = [i for i in items if i not in mapping]
    extra = [i for i in mapping if i not in items]
    if missing or extra:
        raise InputError(f"维度 dimensions 必须覆盖全部题项：未分配 unassigned {missing}，未知题项 unknown {extra}")
    return mapping


def servqual_gaps(perceptions: object, expectations: object, dimensions: object = None, *,
                  importance: object = None, scale: tuple[float, float] = (1, 7)) -> ServqualResult:
    """SERVQUAL 服务质量差距 gaps between perceived and expected service, Q = P − E.

    ``perceptions`` and ``expectations``: answers, respondents × items (DataFrames with the same item columns),
    on ``scale`` (the original instrument uses 1–7). Per item, gap = mean P − mean E (negative: the service falls
    short of what customers expect). Per dimension, the mean of its items; overall, the mean of the dimensions
    (the unweighted SERVQUAL score of Parasuraman, Zeithaml & Berry 1988).

    ``dimensions``: item → dimension, or dimension → list of items. Default (``None``): exactly 22 items, the k-th
    column being statement k of the standard questionnaire — 有形性 tangibles 1–4, 可靠性 reliability 5–9,
    响应性 responsiveness 10–13, 保证性 assurance 14–17, 移情性 empathy 18–22.

    ``importance``: optional weight per dimension (e.g. the 100 points customers allocate across the five
    dimensions, Parasuraman, Berry & Zeithaml 1991); non-negative, divided by their sum. Gives ``weighted`` =
    Σ weight × dimension gap.
    """
    sc = _scale(scale)
    p = _answers(perceptions, "感知", "perceptions", sc)
    e = _answers(expectations, "期望", "expectations", sc)
    if list(p.columns) != list(e.columns):
        if set(p.columns) != set(e.columns):
            raise InputError(f"感知 perceptions 与期望 expectations 的题项必须相同：只在感知中 "
                             f"{[c for c in p.columns if c not in e.columns]}，只在期望中 "
                             f"{[c for c in e.columns if c not in p.columns]}")
        e = e[p.columns]
    mapping = _dimension_map(p.columns, dimensions)
    items = pd.DataFrame({"dimension": [mapping[c] for c in p.columns], "expectation": e.mean(),
                          "perception": p.mean()}, index=p.columns)
    items["gap"] = items["perception"] - items["expectation"]
    items.index.name = "item"
    order = list(dict.fromkeys(items["dimension"]))
    dims = items.groupby("dimension", sort=False)[["expectation", "perception", "gap"]].mean().reindex(order)
    weighted = None
    if importance is None:
        dims["weight"] = 1.0 / len(dims)
    else:
        w = _weights(importance, pd.Index(order), "维度重要性", "importance")
        if w.sum() <= 0:
            raise InputError(f"维度重要性 importance 之和必须大于 0，收到 {w.sum():g}")
        dims["weight"] = w / w.sum()
        weighted = float((dims["weight"] * dims["gap"]).sum())
    dims.index.name = "dimension"
    return ServqualResult(items, dims, float(dims["gap"].mean()), weighted)


def servqual_plot(result: ServqualResult, *, title: str = "SERVQUAL 差距（感知 − 期望）",
                  ylabel: str = "差距（分）"):
    """SERVQUAL 差距图 one bar per item (coloured by dimension) of a :func:`servqual_gaps` result; bars below 0
    are items where the service falls short of expectations. Returns ``(fig, ax)``; does not call ``plt.show()``."""
    from matplotlib.patches import Patch

    from .plotting import new_figure

    if not isinstance(result, ServqualResult):
        raise InputError(f"结果 result 必须是 servqual_gaps 的结果 ServqualResult，收到 {type(result).__name__}")
    palette = ("tab:blue", "tab:red", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:pink", "tab:olive")
    colors = {d: palette[k % len(palette)] for k, d in enumerate(result.dimensions.index)}
    items = result.items
    fig, ax = new_figure(title, "题项", ylabel, figsize=(max(6.4, 0.38 * len(items) + 1.5), 4.2))
    ax.bar([str(i) for i in items.index], items["gap"], color=[colors[d] for d in items["dimension"]])
    ax.axhline(0, color="black", lw=0.8)
    ax.legend(handles=[Patch(color=c, label=str(d)) for d, c in colors.items()], ncol=len(colors), fontsize=8,
              loc="upper right")
    ax.tick_params(axis="x", labelrotation=90)
    low, high = float(min(items["gap"].min(), 0.0)), float(max(items["gap"].max(), 0.0))
    ax.set_ylim(low - 0.1 * (high - low + 1e-9), high + 0.3 * (high - low + 1e-9))
    return fig, ax


# --- Kano --------------------------------------------------------------------------------------------------------

#: The five answers of a Kano question (the same for the functional and the dysfunctional form).
KANO_ANSWERS: dict[int, str] = {1: "喜欢 like", 2: "理所当然 must-be", 3: "无所谓 neutral",
                                4: "能忍受 live with", 5: "不喜欢 dislike"}

#: The Kano evaluation table: KANO_TABLE[functional − 1][dysfunctional − 1], as published in Berger et al. (1993),
#: "Kano's methods for understanding customer-defined quality", Center for Quality Management Journal 2(4).
KANO_TABLE: tuple[tuple[str, ...], ...] = (
    #  dysfunctional:  like  must-be neutral live-with dislike
    ("Q", "A", "A", "A", "O"),   # functional: like
    ("R", "I", "I", "I", "M"),   # must-be
    ("R", "I", "I", "I", "M"),   # neutral
    ("R", "I", "I", "I", "M"),   # live with
    ("R", "R", "R", "R", "Q"),   # dislike
)

#: Category code → (中文名, English name, what it means for the feature).
KANO_CATEGORIES: dict[str, tuple[str, str, str]] = {
    "A": ("魅力属性", "attractive", "有了会让客户惊喜，没有也不会不满：适合用来制造差异和口碑。"),
    "O": ("期望属性", "one-dimensional", "做得越好客户越满意，做得越差越不满意：要和竞争对手比着做好。"),
    "M": ("必备属性", "must-be", "客户认为理所当然，做好了不加分，做不好就强烈不满：必须先保证。"),
    "I": ("无差异属性", "indifferent", "有没有客户都不在乎：不值得多投入。"),
    "R": ("反向属性", "reverse", "客户其实不想要，提供了反而不满：应当取消或让客户自己选择。"),
    "Q": ("可疑结果", "questionable",
          "两个回答互相矛盾（例如有也喜欢、没有也喜欢），多半是题目没读懂：这份回答不宜采用。"),
}

#: Tie-break order for the mode category: M > O > A > I (the evaluation rule of Berger et al. 1993), then R, Q.
_KANO_PRIORITY = ("M", "O", "A", "I", "R", "Q")


def _kano_answer(value: object, zh: str, en: str) -> int:
    a = require_int(_plain(value), zh, en)
    if not 1 <= a <= 5:
        raise InputError(f"{zh} {en} 必须是 1–5 的整数（1 喜欢 … 5 不喜欢），收到 {_plain(value)!r}")
    return a


def kano_category(functional: int, dysfunctional: int) -> str:
    """Kano 属性分类 the category of one answer pair from the Kano evaluation table (Berger et al. 1993).

    ``functional``: the answer to "how do you feel if the feature is there?", ``dysfunctional``: "… if it is not
    there?"; each 1 = 喜欢 like, 2 = 理所当然 must-be, 3 = 无所谓 neutral, 4 = 能忍受 live with,
    5 = 不喜欢 dislike. Returns 'A' 魅力 attractive, 'O' 期望 one-dimensional, 'M' 必备 must-be,
    'I' 无差异 indifferent, 'R' 反向 reverse or 'Q' 可疑 questionable.
    """
    f = _kano_answer(functional, "功能性问题答案", "functional")
    d = _kano_answer(dysfunctional, "反功能性问题答案", "dysfunctional")
    return KANO_TABLE[f - 1][d - 1]


def kano_classify(answers: pd.DataFrame, *, feature: str = "feature", functional: str = "functional",
                  dysfunctional: str = "dysfunctional") -> pd.DataFrame:
    """Kano 问卷汇总 category counts per feature, the mode category and the Better/Worse coefficients.

    ``answers``: one row per respondent × feature, with the feature name and the two answers (1–5, see
    :func:`kano_category`). Returns, per feature (in order of first appearance): the counts ``A O M I R Q``,
    ``n`` (answers), ``category`` (the most frequent category; ties broken M > O > A > I > R > Q, the evaluation
    rule of Berger et al. 1993), ``category_zh``, and the customer-satisfaction coefficients of Berger et al.
    (1993):

        better = (A + O) / (A + O + M + I)     (0 … 1: how much satisfaction the feature can add)
        worse  = −(O + M) / (A + O + M + I)    (−1 … 0: how much dissatisfaction its absence causes)

    ``better`` and ``worse`` are NaN for a feature whose answers are all R or Q (the coefficients are undefined).
    """
    if not isinstance(answers, pd.DataFrame):
        raise InputError(f"Kano 问卷答案 answers 必须是 pandas DataFrame，收到 {type(answers).__name__}")
    missing = [c for c in (feature, functional, dysfunctional) if c not in answers.columns]
    if missing:
        raise InputError(f"Kano 问卷答案 answers 缺少列 missing columns {missing}")
    if answers.empty:
        raise InputError("Kano 问卷答案 answers 不能为空 (empty sample)")
    codes = []
    for col, zh in ((functional, "功能性问题答案"), (dysfunctional, "反功能性问题答案")):
        raw = answers[col]
        values = pd.to_numeric(raw, errors="coerce") if raw.dtype != bool else pd.Series(np.nan, index=raw.index)
        bad = (values.isna() | (values < 1) | (values > 5) | (values != values.round())).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"Kano 问卷答案 answers {_row_label(answers, i)}：{zh} {col} 必须是 1–5 的整数"
                             f"（1 喜欢 … 5 不喜欢），收到 {_plain(raw.iloc[i])!r}")
        codes.append(values.to_numpy(dtype=int) - 1)
    cats = np.asarray(KANO_TABLE, dtype=object)[codes[0], codes[1]]
    frame = pd.DataFrame({"feature": answers[feature].to_numpy(), "category": cats})
    order = list(dict.fromkeys(frame["feature"]))
    counts = pd.crosstab(frame["feature"], frame["category"]).reindex(index=order, columns=list(_KANO_PRIORITY),
                                                                      fill_value=0)
    table = counts[["A", "O", "M", "I", "R", "Q"]].astype(int)
    table["n"] = table.sum(axis=1)
    ranked = counts[list(_KANO_PRIORITY)]
    table["category"] = [ranked.columns[int(np.argmax(row))] for row in ranked.to_numpy()]
    table["category_zh"] = [KANO_CATEGORIES[c][0] for c in table["category"]]
    base = (table["A"] + table["O"] + table["M"] + table["I"]).astype(float).replace(0.0, np.nan)
    table["better"] = (table["A"] + table["O"]) / base
    table["worse"] = -(table["O"] + table["M"]) / base
    table.index.name = "feature"
    table.columns.name = None
    return table


def kano_plot(table: pd.DataFrame, cut: float = 0.5, *, title: str = "Kano 满意度系数图（Better–Worse）"):
    """Better–Worse 系数图 one point per feature from a :func:`kano_classify` table: |Worse| across, Better up.

    The lines at ``cut`` (default 0.5) split the plane into the usual regions: high Better and low |Worse| →
    魅力 (A), both high → 期望 (O), low Better and high |Worse| → 必备 (M), both low → 无差异 (I). Features whose
    coefficients are undefined (all answers R or Q) are left out and named in the title. Returns ``(fig, ax)``;
    does not call ``plt.show()``.
    """
    from .plotting import new_figure

    if not isinstance(table, pd.DataFrame) or not {"better", "worse"} <= set(table.columns):
        raise InputError("Kano 汇总表 table 必须是 kano_classify 的结果（含 better、worse 列）")
    c = require_fraction(cut, "分界", "cut")
    shown = table.dropna(subset=["better", "worse"])
    left_out = [str(f) for f in table.index if f not in shown.index]
    fig, ax = new_figure(title + (f"（未画出：{'、'.join(left_out)}）" if left_out else ""),
                         "不满意系数 |Worse|（没有这项功能时不满的程度）", "满意系数 Better（有这项功能时满意的程度）",
                         figsize=(6.8, 5.2))
    ax.scatter(-shown["worse"], shown["better"], color="tab:blue", zorder=3)
    # labels alternately above and below the points (in order of |Worse|), so neighbours do not overlap
    for k, (feature, row) in enumerate(shown.assign(x=-shown["worse"]).sort_values("x").iterrows()):
        ax.annotate(f"{feature}（{row['category']}）", (row["x"], row["better"]), textcoords="offset points",
                    xytext=(5, 5 if k % 2 == 0 else -13), fontsize=9)
    ax.axvline(c, color="black", lw=0.8, ls="--")
    ax.axhline(c, color="black", lw=0.8, ls="--")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for text, (x, y, ha, va) in {"魅力属性 A": (0.02, 0.98, "left", "top"), "期望属性 O": (0.98, 0.98, "right", "top"),
                                 "无差异属性 I": (0.02, 0.02, "left", "bottom"),
                                 "必备属性 M": (0.98, 0.02, "right", "bottom")}.items():
        ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=10, color="grey")
    return fig, ax


# --- 重要性—绩效分析 IPA --------------------------------------------------------------------------------------------

#: Quadrant names (Martilla & James 1977, "Importance-performance analysis", Journal of Marketing 41(1)).
IPA_QUADRANTS: dict[str, str] = {
    "继续保持": "keep up the good work",    # important, performing well
    "重点改进": "concentrate here",         # important, performing poorly
    "低优先": "low priority",               # less important, performing poorly
    "过度投入": "possible overkill",        # less important, performing well
}


@dataclass(frozen=True)
class IPAResult:
    """重要性—绩效分析 the quadrant of each attribute and the cut lines that define the quadrants.

    ``table``: per attribute ``importance``, ``performance``, ``quadrant`` (Chinese) and ``quadrant_en``.
    """

    table: pd.DataFrame
    importance_cut: float
    performance_cut: float

    def __repr__(self) -> str:
        counts = self.table["quadrant"].value_counts().reindex(list(IPA_QUADRANTS), fill_value=0)
        return (f"IPAResult(importance_cut={self.importance_cut:.3f}, performance_cut={self.performance_cut:.3f}, "
                + ", ".join(f"{k}={v}" for k, v in counts.items()) + ")")

    def _repr_html_(self) -> str:
        shown = self.table.rename(columns={"importance": "重要性 importance", "performance": "绩效 performance",
                                           "quadrant": "象限", "quadrant_en": "quadrant"})
        return shown.to_html(float_format=lambda x: f"{x:.3f}") + (
            f"<p>分界线：重要性 {self.importance_cut:.3f}，绩效 {self.performance_cut:.3f}</p>")


def _cut(values: pd.Series, how: object, zh: str, en: str) -> float:
    if isinstance(how, str):
        if how == "mean":
            return float(values.mean())
        if how == "median":
            return float(values.median())
        raise InputError(f"分界 cut 只能是 'mean'、'median' 或 (重要性分界, 绩效分界)，收到 {how!r}")
    return require_finite(_plain(how), f"{zh}分界", en)


def ipa_quadrants(importance: object, performance: object, cut: object = "mean") -> IPAResult:
    """重要性—绩效分析 IPA: put each attribute into one of the four quadrants of Martilla & James (1977).

    ``importance`` and ``performance``: one number per attribute (mapping or Series), or ratings respondents ×
    attributes (DataFrame; column means are used). ``cut``: where the quadrants are split — ``"mean"`` (the mean
    of the attributes' importance and of their performance, the default), ``"median"``, or a pair
    ``(importance_cut, performance_cut)``, e.g. the scale midpoints. A value equal to the cut counts as high.

    Quadrants: 重要性高、绩效高 → 继续保持 (keep up the good work); 重要性高、绩效低 → 重点改进 (concentrate here);
    重要性低、绩效低 → 低优先 (low priority); 重要性低、绩效高 → 过度投入 (possible overkill).
    """
    imp = _per_item(importance, "重要性", "importance", None)
    perf = _per_item(performance, "绩效", "performance", None)
    if set(imp.index) != set(perf.index):
        raise InputError(f"重要性 importance 与绩效 performance 的属性必须相同：只在重要性中 "
                         f"{[i for i in imp.index if i not in perf.index]}，只在绩效中 "
                         f"{[i for i in perf.index if i not in imp.index]}")
    perf = perf.reindex(imp.index)
    for s, zh, en in ((imp, "重要性", "importance"), (perf, "绩效", "performance")):
        if s.isna().any():
            raise InputError(f"{zh} {en} 属性 {s.index[int(np.flatnonzero(s.isna().to_numpy())[0])]!r} 缺少数值")
    if isinstance(cut, str):
        ic, pc = _cut(imp, cut, "重要性", "importance_cut"), _cut(perf, cut, "绩效", "performance_cut")
    else:
        try:
            raw_i, raw_p = cut  # type: ignore[misc]
        except (TypeError, ValueError):
            raise InputError(f"分界 cut 只能是 'mean'、'median' 或 (重要性分界, 绩效分界)，收到 {cut!r}") from None
        ic = _cut(imp, raw_i, "重要性", "importance_cut")
        pc = _cut(perf, raw_p, "绩效", "performance_cut")
    high_i, high_p = imp >= ic, perf >= pc
    quadrant = np.select([high_i & high_p, high_i & ~high_p, ~high_i & ~high_p], ["继续保持", "重点改进", "低优先"],
                         "过度投入")
    table = pd.DataFrame({"importance": imp, "performance": perf, "quadrant": quadrant})
    table["quadrant_en"] = table["quadrant"].map(IPA_QUADRANTS)
    table.index.name = "attribute"
    return IPAResult(table, ic, pc)


def ipa_plot(importance: object, performance: object, cut: object = "mean", *, labels: Mapping | None = None,
             title: str = "重要性—绩效分析（IPA）", xlabel: str = "绩效（平均分）", ylabel: str = "重要性（平均分）"):
    """重要性—绩效矩阵图 IPA grid: performance across, importance up, the cut lines and the quadrant names.

    Same inputs as :func:`ipa_quadrants` (which does the classification); ``labels`` maps an attribute to the text
    written beside its point (default: the attribute name). Returns ``(fig, ax, result)``; does not call
    ``plt.show()``.
    """
    from .plotting import new_figure

    result = ipa_quadrants(importance, performance, cut)
    t = result.table
    colors = {"继续保持": "tab:green", "重点改进": "tab:red", "低优先": "tab:gray", "过度投入": "tab:orange"}
    fig, ax = new_figure(title, xlabel, ylabel, figsize=(7.2, 5.4))
    for q, color in colors.items():
        part = t[t["quadrant"] == q]
        ax.scatter(part["performance"], part["importance"], color=color, label=f"{q}（{len(part)}）", zorder=3)
    for attr, row in t.iterrows():
        text = str(labels.get(attr, attr)) if labels else str(attr)
        ax.annotate(text, (row["performance"], row["importance"]), textcoords="offset points", xytext=(4, 3),
                    fontsize=8)
    ax.axvline(result.performance_cut, color="black", lw=0.8, ls="--")
    ax.axhline(result.importance_cut, color="black", lw=0.8, ls="--")
    span_p = max(float(t["performance"].max() - t["performance"].min()), 0.5)
    span_i = max(float(t["importance"].max() - t["importance"].min()), 0.5)
    ax.set_xlim(min(t["performance"].min(), result.performance_cut) - 0.15 * span_p,
                max(t["performance"].max(), result.performance_cut) + 0.15 * span_p)
    ax.set_ylim(min(t["importance"].min(), result.importance_cut) - 0.15 * span_i,
                max(t["importance"].max(), result.importance_cut) + 0.15 * span_i)
    corners = {"重点改进": (0.02, 0.97, "left", "top"), "继续保持": (0.98, 0.97, "right", "top"),
               "低优先": (0.02, 0.03, "left", "bottom"), "过度投入": (0.98, 0.03, "right", "bottom")}
    for q, (x, y, ha, va) in corners.items():
        ax.text(x, y, q, transform=ax.transAxes, ha=ha, va=va, fontsize=11, color=colors[q], alpha=0.8)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    return fig, ax, result


# --- 净推荐值 NPS --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NPSResult:
    """净推荐值及其置信区间 the NPS (−100 … 100), its standard error and confidence interval (points)."""

    nps: float
    lower: float
    upper: float
    standard_error: float
    n: int
    promoters: int
    passives: int
    detractors: int
    confidence: float

    def __repr__(self) -> str:
        return (f"NPSResult(nps={self.nps:.1f}, {self.confidence:.0%} CI [{self.lower:.1f}, {self.upper:.1f}], "
                f"n={self.n}: promoters={self.promoters}, passives={self.passives}, detractors={self.detractors})")

    def _repr_html_(self) -> str:
        return (f"<p><b>净推荐值 NPS = {self.nps:.1f}</b>，{self.confidence:.0%} 置信区间 [{self.lower:.1f}, "
                f"{self.upper:.1f}]（标准误 {self.standard_error:.1f}）；{self.n} 份回答：推荐者 {self.promoters}，"
                f"被动者 {self.passives}，贬损者 {self.detractors}</p>")


def _nps_scores(scores: object) -> np.ndarray:
    try:
        x = np.asarray(scores, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"推荐意愿 scores 必须是 0–10 的整数，收到 {scores!r:.80}") from None
    if x.size == 0:
        raise InputError("推荐意愿 scores 不能为空 (empty sample)")
    bad = ~np.isfinite(x) | (x < 0) | (x > 10) | (x != np.round(x))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"推荐意愿 scores 第 {i + 1} 个答案必须是 0–10 的整数，收到 {x[i]:g}")
    return x


def nps(scores: object) -> float:
    """净推荐值 Net Promoter Score (Reichheld 2003): % promoters (answers 9–10) − % detractors (0–6), −100 … 100.

    ``scores``: answers to "how likely are you to recommend us to a friend?" on 0–10 (whole numbers).
    Passives (7–8) count in the total but on neither side.
    """
    x = _nps_scores(scores)
    return float(100.0 * ((x >= 9).sum() - (x <= 6).sum()) / x.size)


def nps_from_counts(promoters: int, passives: int, detractors: int, confidence: float = 0.95) -> NPSResult:
    """净推荐值的置信区间（按人数） the NPS and its confidence interval from the three counts.

    Each answer is a draw X = +1 (promoter), 0 (passive) or −1 (detractor) of a multinomial, so with shares
    p_P and p_D, NPS/100 = p_P − p_D and Var(X) = p_P + p_D − (p_P − p_D)². The standard error of the NPS is
    100 × √(Var(X)/n) and the interval is NPS ± z × SE with z the normal quantile for ``confidence`` (1.96 for
    95 %) — a normal approximation, reasonable when n is at least a few dozen; the limits are clipped to
    [−100, 100]. With all answers in one group the SE is 0 and the interval collapses to a point.
    """
    from scipy.stats import norm

    P = require_int(_plain(promoters), "推荐者人数", "promoters", minimum=0)
    N = require_int(_plain(passives), "被动者人数", "passives", minimum=0)
    D = require_int(_plain(detractors), "贬损者人数", "detractors", minimum=0)
    c = require_fraction(confidence, "置信水平", "confidence", closed_low=False, closed_high=False)
    n = P + N + D
    if n == 0:
        raise InputError("回答总数 n 必须大于 0 (empty sample)：推荐者、被动者、贬损者人数都是 0")
    pp, pd_ = P / n, D / n
    score = 100.0 * (pp - pd_)
    var = max(pp + pd_ - (pp - pd_) ** 2, 0.0)
    se = 100.0 * math.sqrt(var / n)
    z = float(norm.ppf(0.5 + c / 2))
    return NPSResult(score, max(score - z * se, -100.0), min(score + z * se, 100.0), se, n, P, N, D, c)


def nps_interval(scores: object, confidence: float = 0.95) -> NPSResult:
    """净推荐值及置信区间 the NPS of 0–10 answers with a normal-approximation confidence interval.

    See :func:`nps_from_counts` for the variance p_P + p_D − (p_P − p_D)² of one answer and the interval.
    """
    x = _nps_scores(scores)
    return nps_from_counts(int((x >= 9).sum()), int(((x >= 7) & (x <= 8)).sum()), int((x <= 6).sum()), confidence)


# --- 满意度的间接衡量指标 scorecard ---------------------------------------------------------------------------------

#: code → (指标, unit, definition). The order is the order of the scorecard rows.
SCORECARD_MEASURES: dict[str, tuple[str, str, str]] = {
    "reputation": ("美誉度", "比例", "受访客户中曾向他人称赞本企业的比例（问卷列 praise）；越高说明满意的客户越多"),
    "nomination": ("指名度", "比例", "受访客户中购买同类产品时会首先点名要本企业的比例（问卷列 first_choice）"),
    "repeat_rate": ("回头率", "比例", "期间内有购买的受访客户中，购买 2 次及以上的比例（交易表）"),
    "complaint_rate": ("投诉率", "比例",
                       "受访客户中期间内投诉过至少一次的比例（投诉表；没有投诉表时用问卷列 complained）"),
    "purchase_amount": ("购买额", "元/人", "每位受访客户在期间内的平均购买金额，没有购买的按 0 计（交易表）"),
    "price_sensitivity": ("对价格变化的敏感度", "比例",
                          "受访客户中表示涨价 10% 就会少买或不买的比例（问卷列 price_sensitive）；越低说明越满意"),
}


def scorecard_definitions() -> pd.DataFrame:
    """满意度衡量指标的定义 the scorecard's measures: name, unit and how each is computed."""
    rows = [{"指标": name, "单位": unit, "定义": text} for name, unit, text in SCORECARD_MEASURES.values()]
    return pd.DataFrame(rows, index=pd.Index(list(SCORECARD_MEASURES), name="measure"))


def _flag(v: object) -> float:
    """True/False, 1/0 or the strings "True"/"False" as 1.0/0.0; anything else NaN."""
    if isinstance(v, bool | np.bool_):
        return float(v)
    if isinstance(v, str):
        return {"True": 1.0, "False": 0.0, "true": 1.0, "false": 0.0}.get(v, np.nan)
    if isinstance(v, int | float | np.integer | np.floating) and v in (0, 1):
        return float(v)
    return np.nan


def _flags(frame: pd.DataFrame, col: str) -> np.ndarray:
    raw = frame[col]
    values = raw.map(_flag)
    bad = values.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"问卷 survey {_row_label(frame, i)}、列 {col} 必须是 True/False（或 1/0），"
                         f"收到 {_plain(raw.iloc[i])!r}")
    return values.to_numpy(dtype=float)


def _period(frame: pd.DataFrame, name: str, start: object, end: object, col: str) -> pd.DataFrame:
    if start is None and end is None:
        return frame
    if col not in frame.columns:
        raise InputError(f"{name} 缺少列 {col}，无法按期间 start/end 筛选")
    dates = pd.to_datetime(frame[col], errors="coerce")
    if dates.isna().any():
        i = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(f"{name} {_row_label(frame, i)}、列 {col} 不是有效日期，收到 {_plain(frame[col].iloc[i])!r}")
    keep = np.ones(len(frame), dtype=bool)
    if start is not None:
        keep &= (dates >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        last = pd.Timestamp(end)
        if last == last.normalize():   # a date without a time of day: the whole day counts
            keep &= (dates < last + pd.Timedelta(days=1)).to_numpy()
        else:
            keep &= (dates <= last).to_numpy()
    return frame[keep]


def satisfaction_scorecard(survey: pd.DataFrame, transactions: pd.DataFrame | None = None,
                           complaints: pd.DataFrame | None = None, *, start: object = None, end: object = None,
                           by: str | None = None, transaction_date: str = "date",
                           complaint_date: str = "date") -> pd.DataFrame:
    """客户满意度的衡量指标 the textbook's indirect measures of satisfaction for the surveyed customers.

    ``survey``: one row per respondent; the columns used when present are ``customer_id`` (needed with
    transactions or complaints; unique), ``praise`` → 美誉度, ``first_choice`` → 指名度, ``price_sensitive`` →
    对价格变化的敏感度 and ``complained`` → 投诉率 (flags True/False or 1/0). ``transactions`` (``customer_id``,
    ``date``, ``amount`` in 元) gives 回头率 and 购买额; ``complaints`` (one row per complaint, ``customer_id`` and,
    to filter by period, a date) gives 投诉率. ``start``/``end`` (dates, inclusive: an end date without a time
    covers that whole day) limit transactions and complaints to a period, using the columns named by
    ``transaction_date`` and ``complaint_date`` (both ``"date"`` by default; e.g. ``complaint_date="received"``).
    ``by``: a survey column; one result column per group after the column 全部.

    Returns one row per measure that the data allows (see :data:`SCORECARD_MEASURES` and
    :func:`scorecard_definitions` for the definitions), index = the Chinese name; shares in 0–1, 购买额 in 元.
    """
    if not isinstance(survey, pd.DataFrame):
        raise InputError(f"问卷 survey 必须是 pandas DataFrame，收到 {type(survey).__name__}")
    if survey.empty:
        raise InputError("问卷 survey 不能为空 (empty sample)")
    need_id = transactions is not None or complaints is not None
    if need_id:
        if "customer_id" not in survey.columns:
            raise InputError("问卷 survey 缺少列 customer_id，无法与交易表或投诉表对应")
        dup = survey["customer_id"].duplicated()
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(f"问卷 survey {_row_label(survey, i)}、列 customer_id 重复 (duplicate)，"
                             f"收到 {_plain(survey['customer_id'].iloc[i])!r}")
    if by is not None and by not in survey.columns:
        raise InputError(f"分组列 by 不在问卷 survey 中，收到 {by!r}")

    per: dict[str, np.ndarray] = {}
    for code, col in (("reputation", "praise"), ("nomination", "first_choice"),
                      ("price_sensitivity", "price_sensitive")):
        if col in survey.columns:
            per[code] = _flags(survey, col)
    purchases = spend = None
    if transactions is not None:
        if not isinstance(transactions, pd.DataFrame):
            raise InputError(f"交易表 transactions 必须是 pandas DataFrame，收到 {type(transactions).__name__}")
        missing = [c for c in ("customer_id", "amount") if c not in transactions.columns]
        if missing:
            raise InputError(f"交易表 transactions 缺少列 missing columns {missing}")
        tx = _period(transactions, "交易表 transactions", start, end, transaction_date)
        amount = pd.to_numeric(tx["amount"], errors="coerce")
        if amount.isna().any() or (amount < 0).any():
            i = int(np.flatnonzero((amount.isna() | (amount < 0)).to_numpy())[0])
            raise InputError(f"交易表 transactions {_row_label(tx, i)}、列 amount 必须是 ≥ 0 的数字，"
                             f"收到 {_plain(tx['amount'].iloc[i])!r}")
        grouped = pd.DataFrame({"customer_id": tx["customer_id"].to_numpy(), "amount": amount.to_numpy()}).groupby(
            "customer_id")["amount"]
        purchases = survey["customer_id"].map(grouped.size()).fillna(0).to_numpy(dtype=float)
        spend = survey["customer_id"].map(grouped.sum()).fillna(0).to_numpy(dtype=float)
    if complaints is not None:
        if not isinstance(complaints, pd.DataFrame) or "customer_id" not in complaints.columns:
            raise InputError("投诉表 complaints 必须是含 customer_id 列的 pandas DataFrame (one row per complaint)")
        comp = _period(complaints, "投诉表 complaints", start, end, complaint_date)
        per["complaint_rate"] = survey["customer_id"].isin(set(comp["customer_id"])).to_numpy(dtype=float)
    elif "complained" in survey.columns:
        per["complaint_rate"] = _flags(survey, "complained")

    groups: list[tuple[str, np.ndarray]] = [("全部", np.ones(len(survey), dtype=bool))]
    if by is not None:
        col = survey[by]
        labels = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else list(dict.fromkeys(col))
        groups += [(str(g), (col == g).to_numpy()) for g in labels]

    result: dict[str, dict[str, float]] = {}
    for name, mask in groups:
        if not mask.any():
            raise InputError(f"分组 {by}={name!r} 没有受访者 (empty group)")
        values: dict[str, float] = {}
        for code in SCORECARD_MEASURES:
            if code == "repeat_rate" and purchases is not None:
                buyers = purchases[mask] >= 1
                if not buyers.any():
                    raise InputError(f"分组 {name} 在期间内没有购买的受访者，无法计算回头率 (no buyers)")
                values[code] = float((purchases[mask][buyers] >= 2).mean())
            elif code == "purchase_amount" and spend is not None:
                values[code] = float(spend[mask].mean())
            elif code in per:
                values[code] = float(per[code][mask].mean())
        result[name] = values
    table = pd.DataFrame(result)
    table = table.reindex([c for c in SCORECARD_MEASURES if c in table.index])
    table.index = pd.Index([SCORECARD_MEASURES[c][0] for c in table.index], name="指标")
    return table
