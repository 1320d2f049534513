"""数据库营销 campaign-response modelling (chapter 2, 数据挖掘与数据库营销).

A direct-marketing campaign (a mailing, an SMS or an app coupon) reaches only part of the customer list. Data mining
scores every customer by the chance of responding, so the best prospects are contacted first:

* :func:`simulate_campaign` — a seeded teaching data set of one past campaign, with the true model documented in
  :data:`TRUE_COEFFICIENTS` (模拟数据);
* :func:`fit_response_model` — a response model fitted with scikit-learn: logistic regression (回归) or a shallow
  decision tree (决策树, the data-mining comparison); :func:`holdout_split` and :func:`auc` to judge it fairly;
* :func:`gains_table` — deciles of the ranked list: responders, response rate, cumulative gains (累计捕获率) and lift
  (提升度); :func:`campaign_profit` and :func:`mailing_depth` — how deep into the ranked list to mail for the most
  profit (最优投放深度).

Charts are in :mod:`crmlab.campaign_charts`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError, require_fraction, require_int, require_positive

__all__ = [
    "CHANNELS",
    "TRUE_COEFFICIENTS",
    "CampaignProfit",
    "MailingDepth",
    "ResponseModel",
    "auc",
    "campaign_profit",
    "fit_response_model",
    "gains_table",
    "holdout_split",
    "mailing_depth",
    "simulate_campaign",
    "tree_segments",
]

CHANNELS = ("门店", "网站", "App")
"""Purchase channels of the simulated customers; 门店 (store) is the reference level of the true model."""

TRUE_COEFFICIENTS: dict[str, float] = {
    "intercept": -1.4,
    "recency": -0.012,       # per day since the last purchase: recent buyers respond more
    "frequency": 0.18,       # per purchase in the last 12 months
    "monetary": 0.0008,      # per 元 spent in the last 12 months
    "age": -0.01,            # per year of age
    "channel_网站": 0.3,      # versus 门店
    "channel_App": 0.6,      # versus 门店
}
"""真实系数 the log-odds model :func:`simulate_campaign` draws responses from (模拟数据, chosen for teaching):
logit P(respond) = intercept + Σ coefficient × feature; channel effects are relative to 门店."""


def simulate_campaign(n: int = 5000, seed: int = 2024) -> pd.DataFrame:
    """模拟营销活动数据 one past campaign sent to ``n`` customers (模拟数据), reproducible from ``seed``.

    Columns: ``customer_id``; ``recency`` (days since the last purchase, 1–365); ``frequency`` (purchases in the
    last 12 months, ≥ 1); ``monetary`` (元 spent in the last 12 months); ``age`` (years, 18–75); ``channel``
    (门店/网站/App); ``p_true`` (the true response probability) and ``responded`` (1 = bought from the campaign).

    Distributions: recency uniform on 1–365 days; frequency 1 + Poisson(3); monetary = frequency × a lognormal
    basket (median 120 元); age uniform on 18–75; channel 门店 45 %, 网站 30 %, App 25 %. Responses are Bernoulli
    draws from the logistic model in :data:`TRUE_COEFFICIENTS`; about one customer in ten responds.
    """
    size = require_int(n, "客户数", "n", minimum=10)
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    recency = rng.integers(1, 366, size)
    frequency = 1 + rng.poisson(3.0, size)
    monetary = np.round(frequency * rng.lognormal(math.log(120.0), 0.5, size), 2)
    age = rng.integers(18, 76, size)
    channel = rng.choice(np.array(CHANNELS, dtype=object), size=size, p=[0.45, 0.30, 0.25])
    k = TRUE_COEFFICIENTS
    logit = (k["intercept"] + k["recency"] * recency + k["frequency"] * frequency + k["monetary"] * monetary
             + k["age"] * age + k["channel_网站"] * (channel == "网站") + k["channel_App"] * (channel == "App"))
    p = 1.0 / (1.0 + np.exp(-logit))
    responded = (rng.random(size) < p).astype(int)
    return pd.DataFrame({
        "customer_id": [f"C{i:06d}" for i in range(1, size + 1)],
        "recency": recency, "frequency": frequency, "monetary": monetary, "age": age,
        "channel": pd.Categorical(channel, categories=list(CHANNELS)), "p_true": p, "responded": responded,
    })


def _binary(values: object, zh: str, en: str) -> np.ndarray:
    try:
        y = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"{zh} {en} 必须是 0/1 数值，收到 {values!r:.80}") from None
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{zh} {en} 必须只含 0 和 1 (binary)，第 {i + 1} 个值是 {float(y[i])!r}")
    return y


def _scores(values: object, n: int | None = None, zh: str = "得分", en: str = "scores") -> np.ndarray:
    try:
        s = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"{zh} {en} 必须是数字，收到 {values!r:.80}") from None
    if s.size == 0:
        raise InputError(f"{zh} {en} 不能为空 (empty)")
    if not np.isfinite(s).all():
        i = int(np.flatnonzero(~np.isfinite(s))[0])
        raise InputError(f"{zh} {en} 第 {i + 1} 个值不是有限数字，收到 {float(s[i])!r}")
    if n is not None and s.size != n:
        raise InputError(f"{zh} {en} 的个数 ({s.size}) 必须与客户数 ({n}) 相同")
    return s


def _ranking(scores: np.ndarray) -> np.ndarray:
    """Order of customers from the highest score down; ties keep the list order."""
    return np.argsort(-scores, kind="stable")


# --- response model ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResponseModel:
    """响应模型 a fitted campaign-response model.

    ``estimator`` is the fitted scikit-learn pipeline; ``coefficients`` (logistic only) the log-odds change per
    unit of each feature on its original scale (one-hot channel levels relative to the first level);
    ``importances`` (tree only) the decision tree's feature importances; ``rules`` (tree only) the tree as text.
    """

    kind: str
    features: tuple[str, ...]
    target: str
    estimator: object = field(repr=False)
    coefficients: pd.Series | None = None
    importances: pd.Series | None = None
    rules: str | None = field(default=None, repr=False)
    categorical: tuple[str, ...] = ()

    def predict_proba(self, df: pd.DataFrame) -> np.ndarray:
        """预测响应概率 the response probability (0–1) of each row of ``df`` (needs the model's feature columns)."""
        x = _feature_frame(df, self.features)
        for c in self.categorical:
            x[c] = x[c].astype(str)
        return self.estimator.predict_proba(x)[:, 1]

    def __repr__(self) -> str:
        name = {"logistic": "逻辑回归 logistic regression", "tree": "决策树 decision tree"}[self.kind]
        return f"ResponseModel({name}, target={self.target!r}, features={list(self.features)})"


def _feature_frame(df: object, features: Sequence[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"数据 df 必须是 pandas DataFrame，收到 {type(df).__name__}")
    missing = [c for c in features if c not in df.columns]
    if missing:
        raise InputError(f"数据 df 缺少列 missing columns {missing}，现有列 columns: {list(df.columns)}")
    x = df[list(features)].copy()
    for col in features:
        s = x[col]
        if _is_categorical(s):
            if s.isna().any():
                row = int(np.flatnonzero(s.isna().to_numpy())[0])
                raise InputError(f"特征 {col} 第 {row + 1} 行缺失 (missing value)")
        else:
            v = pd.to_numeric(s, errors="coerce").astype(float)
            bad = ~np.isfinite(v.to_numpy())
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                value = s.iloc[row]
                shown = value.item() if isinstance(value, np.generic) else value
                raise InputError(f"特征 {col} 第 {row + 1} 行不是有限数字，收到 {shown!r}")
            x[col] = v
    return x


def _is_categorical(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or pd.api.types.is_string_dtype(s)


def fit_response_model(df: pd.DataFrame, features: Sequence[str], target: str = "responded", kind: str = "logistic",
                       *, max_depth: int = 3, min_samples_leaf: int = 50, random_state: int = 0) -> ResponseModel:
    """拟合响应模型 fit a campaign-response model on past campaign data with scikit-learn.

    ``features`` — numeric columns (standardised inside the model) and text/categorical columns (one-hot, first
    level dropped); ``target`` — a 0/1 column (1 = responded) with both values present. ``kind="logistic"``:
    ``LogisticRegression`` (L2, C = 1 on standardised features, i.e. almost unpenalised for thousands of rows);
    ``kind="tree"``: a ``DecisionTreeClassifier`` with ``max_depth`` levels and at least ``min_samples_leaf``
    customers per leaf, the classic segmentation tree of data mining.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from sklearn.tree import DecisionTreeClassifier, export_text

    if kind not in ("logistic", "tree"):
        raise InputError(f"模型类型 kind 只能是 'logistic' 或 'tree'，收到 {kind!r}")
    if isinstance(features, str) or not isinstance(features, Sequence) or not features:
        raise InputError(f"特征 features 必须是非空的列名列表，收到 {features!r}")
    features = tuple(features)
    if len(set(features)) != len(features):
        raise InputError(f"特征 features 有重复的列名，收到 {list(features)}")
    x = _feature_frame(df, features)
    if target not in df.columns:
        raise InputError(f"目标列 target {target!r} 不在数据中，现有列 columns: {list(df.columns)}")
    if target in features:
        raise InputError(f"目标列 target {target!r} 不能同时作为特征 (feature)")
    y = _binary(df[target].to_numpy(dtype=float, na_value=np.nan), f"目标列 {target}", "target")
    if y.min() == y.max():
        raise InputError(f"目标列 {target} target 必须同时有响应 (1) 和未响应 (0) 的客户，收到全部为 {int(y[0])}")
    depth = require_int(max_depth, "树深度", "max_depth", minimum=1)
    leaf = require_int(min_samples_leaf, "叶节点最少客户数", "min_samples_leaf", minimum=1)
    categorical = [c for c in features if _is_categorical(x[c])]
    numeric = [c for c in features if c not in categorical]
    # category levels in their declared order (a pandas Categorical) or sorted; the first level is the reference
    levels = [[str(v) for v in x[c].cat.categories] if isinstance(x[c].dtype, pd.CategoricalDtype)
              else sorted(x[c].astype(str).unique()) for c in categorical]
    for c in categorical:
        x[c] = x[c].astype(str)
    if kind == "logistic":
        encoder = OneHotEncoder(categories=levels, drop="first", handle_unknown="ignore")
        prep = ColumnTransformer([("num", StandardScaler(), numeric), ("cat", encoder, categorical)],
                                 verbose_feature_names_out=False)
        model = LogisticRegression(C=1.0, max_iter=2000)
    else:
        prep = ColumnTransformer([("num", "passthrough", numeric),
                                  ("cat", OneHotEncoder(categories=levels, handle_unknown="ignore"), categorical)],
                                 verbose_feature_names_out=False)
        model = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=random_state)
    pipe = Pipeline([("prep", prep), ("model", model)]).fit(x, y.astype(int))
    names = [str(n) for n in pipe.named_steps["prep"].get_feature_names_out()]
    if kind == "logistic":
        coef = pipe.named_steps["model"].coef_[0].copy()
        scaler = pipe.named_steps["prep"].named_transformers_["num"] if numeric else None
        intercept = float(pipe.named_steps["model"].intercept_[0])
        if scaler is not None:  # back to the original units: β_raw = β_std / σ, intercept −= Σ β_std·μ/σ
            k = len(numeric)
            intercept -= float(np.sum(coef[:k] * scaler.mean_ / scaler.scale_))
            coef[:k] = coef[:k] / scaler.scale_
        coefficients = pd.Series([intercept, *coef], index=["intercept", *names], name="coefficient")
        return ResponseModel("logistic", features, target, pipe, coefficients=coefficients,
                             categorical=tuple(categorical))
    tree = pipe.named_steps["model"]
    importances = pd.Series(tree.feature_importances_, index=names, name="importance").sort_values(ascending=False)
    return ResponseModel("tree", features, target, pipe, importances=importances,
                         rules=export_text(tree, feature_names=names, decimals=1), categorical=tuple(categorical))


def tree_segments(model: ResponseModel, df: pd.DataFrame) -> pd.DataFrame:
    """决策树细分 the leaves of a ``kind="tree"`` model as customer segments, applied to ``df``.

    One row per leaf, best segment first: ``rule`` (the conditions on the path from the root, joined by “且”),
    ``customers`` (rows of ``df`` in the leaf), ``predicted_rate`` (the leaf's response rate in the training data)
    and, when ``df`` has the target column, ``responders`` and ``response_rate`` observed in ``df``.
    """
    if not isinstance(model, ResponseModel) or model.kind != "tree":
        raise InputError("tree_segments 需要决策树模型 (a ResponseModel fitted with kind='tree')")
    x = _feature_frame(df, model.features)
    for c in model.categorical:
        x[c] = x[c].astype(str)
    pipe = model.estimator
    tree = pipe.named_steps["model"].tree_
    names = [str(n) for n in pipe.named_steps["prep"].get_feature_names_out()]
    rules: dict[int, str] = {}
    onehot = tuple(f"{c}_" for c in model.categorical)

    def describe(bounds: dict[str, list]) -> str:
        parts = []
        for name, (low, high, text) in bounds.items():
            if text is not None:
                parts.extend(text)
            elif low is not None and high is not None:
                parts.append(f"{low:,.1f} < {name} ≤ {high:,.1f}")
            elif low is not None:
                parts.append(f"{name} > {low:,.1f}")
            else:
                parts.append(f"{name} ≤ {high:,.1f}")
        return " 且 ".join(parts) if parts else "全部客户"

    def walk(node: int, bounds: dict[str, list]) -> None:
        left, right = tree.children_left[node], tree.children_right[node]
        if left == right:  # a leaf
            rules[node] = describe(bounds)
            return
        name, cut = names[tree.feature[node]], float(tree.threshold[node])
        if name.startswith(onehot):   # a one-hot column: 0 (left) or 1 (right)
            for child, sign in ((left, " ≠ "), (right, " = ")):
                b = {k: list(v) for k, v in bounds.items()}
                entry = b.setdefault(name, [None, None, []])
                entry[2] = [*(entry[2] or []), name.replace("_", sign, 1)]
                walk(child, b)
            return
        for child, side in ((left, 1), (right, 0)):
            b = {k: list(v) for k, v in bounds.items()}
            entry = b.setdefault(name, [None, None, None])
            if side == 1:
                entry[1] = cut if entry[1] is None else min(entry[1], cut)
            else:
                entry[0] = cut if entry[0] is None else max(entry[0], cut)
            walk(child, b)

    walk(0, {})
    leaves = pipe.named_steps["model"].apply(pipe.named_steps["prep"].transform(x))
    value = tree.value[:, 0, :]
    frame = pd.DataFrame({"leaf": leaves})
    if model.target in df.columns:
        frame["y"] = _binary(df[model.target].to_numpy(dtype=float, na_value=np.nan), f"目标列 {model.target}",
                             "target")
    out = pd.DataFrame({"leaf": list(rules)})
    out["rule"] = [rules[i] for i in out["leaf"]]
    out["customers"] = out["leaf"].map(frame["leaf"].value_counts()).fillna(0).astype(int)
    out["predicted_rate"] = [float(value[i, 1] / value[i].sum()) for i in out["leaf"]]
    if "y" in frame:
        responders = frame.groupby("leaf")["y"].sum()
        out["responders"] = out["leaf"].map(responders).fillna(0).astype(int)
        out["response_rate"] = out["responders"] / out["customers"].clip(lower=1)   # 0 for an empty leaf
    return out.sort_values("predicted_rate", ascending=False).drop(columns="leaf").reset_index(drop=True)


def holdout_split(df: pd.DataFrame, test_share: float = 0.3, seed: int = 0, stratify: str | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """留出验证 split ``df`` into a training part and a test part (share ``test_share``, 0–1) at random.

    ``stratify`` names a column (e.g. the target) whose proportions both parts keep. Uses scikit-learn's
    ``train_test_split``; judge a response model on the test part only.
    """
    from sklearn.model_selection import train_test_split

    if not isinstance(df, pd.DataFrame) or len(df) < 2:
        raise InputError("数据 df 必须是至少两行的 pandas DataFrame")
    share = require_fraction(test_share, "测试集比例", "test_share", closed_low=False, closed_high=False)
    strat = None
    if stratify is not None:
        if stratify not in df.columns:
            raise InputError(f"分层列 stratify {stratify!r} 不在数据中")
        strat = df[stratify]
    train, test = train_test_split(df, test_size=share, random_state=require_int(seed, "随机种子", "seed", minimum=0),
                                   stratify=strat)
    return train, test


def auc(y_true: object, scores: object) -> float:
    """曲线下面积 AUC (area under the ROC curve, 0–1): the chance that a random responder is scored above a random
    non-responder (0.5 = no better than chance). Uses scikit-learn's ``roc_auc_score``."""
    from sklearn.metrics import roc_auc_score

    y = _binary(y_true, "实际响应", "y_true")
    s = _scores(scores, y.size)
    if y.min() == y.max():
        raise InputError("实际响应 y_true 必须同时含有 0 和 1")
    return float(roc_auc_score(y, s))


# --- gains, lift and mailing depth ------------------------------------------------------------------------------
def gains_table(y_true: object, scores: object, bins: int = 10) -> pd.DataFrame:
    """增益表 gains table: the list ranked by ``scores`` (highest first) cut into ``bins`` groups (deciles by default).

    Groups are as equal as possible (sizes differ by at most one; group k ends at customer round(k·n/bins)); tied
    scores keep their list order. One row per group: ``customers``, ``responders``, ``response_rate``,
    ``cum_customers``, ``cum_responders``, ``depth`` (share of the list contacted so far), ``cum_response_rate``,
    ``cum_gains`` (share of all responders captured so far), ``lift`` (the group's response rate ÷ the overall rate)
    and ``cum_lift`` (cumulative rate ÷ overall rate). ``y_true`` 0/1 with at least one responder.
    """
    y = _binary(y_true, "实际响应", "y_true")
    s = _scores(scores, y.size)
    k = require_int(bins, "分组数", "bins", minimum=1)
    n = y.size
    if k > n:
        raise InputError(f"分组数 bins ({k}) 不能多于客户数 ({n})")
    total = y.sum()
    if total == 0:
        raise InputError("实际响应 y_true 中没有响应者 (no responders)：无法计算捕获率和提升度")
    ranked = y[_ranking(s)]
    edges = np.rint(np.arange(k + 1) * n / k).astype(int)
    customers = np.diff(edges)
    cum_resp = np.concatenate([[0.0], np.cumsum(ranked)])[edges]
    responders = np.diff(cum_resp)
    overall = total / n
    cum_customers = edges[1:]
    table = pd.DataFrame({
        "customers": customers,
        "responders": responders.astype(int),
        "response_rate": responders / customers,
        "cum_customers": cum_customers,
        "cum_responders": cum_resp[1:].astype(int),
        "depth": cum_customers / n,
        "cum_response_rate": cum_resp[1:] / cum_customers,
        "cum_gains": cum_resp[1:] / total,
    }, index=pd.RangeIndex(1, k + 1, name="group"))
    table["lift"] = table["response_rate"] / overall
    table["cum_lift"] = table["cum_response_rate"] / overall
    return table


def _economics(outcomes: object, scores: object, contact_cost: object, margin_per_response: object
               ) -> tuple[np.ndarray, float, float]:
    o = _scores(outcomes, None, "响应结果或概率", "outcomes")
    if ((o < 0) | (o > 1)).any():
        i = int(np.flatnonzero((o < 0) | (o > 1))[0])
        raise InputError(f"响应结果或概率 outcomes 必须在 0 和 1 之间，第 {i + 1} 个值是 {float(o[i])!r}")
    s = _scores(scores, o.size)
    cost = require_positive(contact_cost, "单位接触成本", "contact_cost")
    margin = require_positive(margin_per_response, "每个响应的毛利", "margin_per_response")
    ranked = np.concatenate([[0.0], np.cumsum(o[_ranking(s)])])
    return ranked, cost, margin


@dataclass(frozen=True)
class CampaignProfit:
    """活动利润 the result of mailing the top ``contacts`` customers of a ranked list (money in 元)."""

    contacts: int
    depth: float
    responders: float
    revenue: float
    cost: float
    profit: float

    def __repr__(self) -> str:
        return (f"投放前 {self.depth:.1%}（{self.contacts:,} 人）：预计响应 {self.responders:,.1f} 人，"
                f"毛利 {self.revenue:,.0f} 元 − 成本 {self.cost:,.0f} 元 = 利润 {self.profit:,.0f} 元")


def campaign_profit(outcomes: object, scores: object, depth: float, contact_cost: object,
                    margin_per_response: object) -> CampaignProfit:
    """投放利润 profit of contacting the top ``depth`` (0–1) of the list ranked by ``scores``.

    ``outcomes`` per customer: actual responses (0/1, e.g. a test mailing) or predicted response probabilities
    (expected responders). Contacts = round(depth × n); profit = margin_per_response × responders −
    contact_cost × contacts, in 元.
    """
    ranked, cost, margin = _economics(outcomes, scores, contact_cost, margin_per_response)
    d = require_fraction(depth, "投放深度", "depth")
    n = ranked.size - 1
    k = round(d * n)
    r = float(ranked[k])
    return CampaignProfit(k, k / n, r, margin * r, cost * k, margin * r - cost * k)


@dataclass(frozen=True)
class MailingDepth:
    """最优投放深度 the most profitable number of customers to contact, with the whole profit curve.

    ``curve`` has one row per number of contacts 0…n: ``contacts``, ``depth``, ``responders``, ``revenue``,
    ``cost``, ``profit``. ``breakeven_rate`` = contact_cost ÷ margin_per_response is the response rate a customer
    must exceed to be worth contacting. ``best`` is the optimum; ``mail_all`` the result of contacting everyone.
    """

    best: CampaignProfit
    mail_all: CampaignProfit
    breakeven_rate: float
    curve: pd.DataFrame = field(repr=False)

    @property
    def depth(self) -> float:
        return self.best.depth

    @property
    def profit(self) -> float:
        return self.best.profit

    def __repr__(self) -> str:
        return (f"MailingDepth(最优：{self.best!r}；全部投放：利润 {self.mail_all.profit:,.0f} 元；"
                f"盈亏平衡响应率 {self.breakeven_rate:.2%})")


def mailing_depth(outcomes: object, scores: object, contact_cost: object, margin_per_response: object
                  ) -> MailingDepth:
    """最优投放深度 the profit-maximising share of the ranked list to contact.

    ``outcomes`` are actual responses (0/1) or predicted response probabilities, ``scores`` rank the customers
    (highest first, ties in list order), ``contact_cost`` (元 per customer contacted, > 0) and
    ``margin_per_response`` (元 per responder, > 0). Profit(k) = margin × responders in the top k − cost × k; the
    smallest k with the largest profit is returned (k = 0, mail nobody, when no one is worth the cost).
    """
    ranked, cost, margin = _economics(outcomes, scores, contact_cost, margin_per_response)
    n = ranked.size - 1
    contacts = np.arange(n + 1)
    revenue = margin * ranked
    costs = cost * contacts
    profit = revenue - costs
    curve = pd.DataFrame({"contacts": contacts, "depth": contacts / n, "responders": ranked, "revenue": revenue,
                          "cost": costs, "profit": profit})
    k = int(np.argmax(profit))

    def row(i: int) -> CampaignProfit:
        return CampaignProfit(i, i / n, float(ranked[i]), float(revenue[i]), float(costs[i]), float(profit[i]))

    return MailingDepth(row(k), row(n), cost / margin, curve)
