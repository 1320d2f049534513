"""Campaign response: gains/lift and mailing depth worked by hand, the response model on simulated data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.campaign import (
    TRUE_COEFFICIENTS,
    auc,
    campaign_profit,
    fit_response_model,
    gains_table,
    holdout_split,
    mailing_depth,
    simulate_campaign,
    tree_segments,
)

FEATURES = ["recency", "frequency", "monetary", "age", "channel"]

# Ten customers already in score order (10 … 1); customers ranked 1, 2, 4 and 7 responded: 4 of 10, rate 0.4.
Y10 = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0]
S10 = list(range(10, 0, -1))


def test_gains_table_by_hand_five_groups():
    table = gains_table(Y10, S10, bins=5)
    # groups of two: responders 2, 1, 0, 1, 0; cumulative 2, 3, 3, 4, 4 of 4
    assert table["customers"].tolist() == [2, 2, 2, 2, 2]
    assert table["responders"].tolist() == [2, 1, 0, 1, 0]
    assert table["response_rate"].tolist() == pytest.approx([1.0, 0.5, 0.0, 0.5, 0.0])
    assert table["cum_gains"].tolist() == pytest.approx([0.5, 0.75, 0.75, 1.0, 1.0])
    assert table["depth"].tolist() == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    # lift = group rate / 0.4: 2.5, 1.25, 0, 1.25, 0; cumulative lift = (3/4)/0.4 = 1.875 after two groups, etc.
    assert table["lift"].tolist() == pytest.approx([2.5, 1.25, 0.0, 1.25, 0.0])
    assert table["cum_lift"].tolist() == pytest.approx([2.5, 1.875, 1.25, 1.25, 1.0])


def test_gains_table_ranks_by_score_not_by_list_order():
    order = [3, 0, 9, 5, 1, 7, 2, 8, 6, 4]                     # the same customers, shuffled
    table = gains_table([Y10[i] for i in order], [S10[i] for i in order], bins=10)
    assert table["responders"].tolist() == Y10                 # one customer per group, best score first
    assert table["cum_responders"].tolist() == [1, 2, 2, 3, 3, 3, 4, 4, 4, 4]


def test_uneven_groups_and_ties():
    # 7 customers in 3 groups end at round(7/3) = 2, round(14/3) = 5 and 7: sizes 2, 3, 2
    assert gains_table([1, 0, 0, 0, 0, 0, 1], [7, 6, 5, 4, 3, 2, 1], bins=3)["customers"].tolist() == [2, 3, 2]
    # tied scores keep their list order: the responder listed first is ranked first
    assert gains_table([1, 0, 0, 0], [5, 5, 5, 5], bins=4)["responders"].tolist() == [1, 0, 0, 0]


def test_mailing_depth_by_hand():
    outcomes = [1, 0, 1, 0, 0, 1, 0, 0, 0, 0]                 # ranked list, highest score first
    scores = list(range(10, 0, -1))
    # contact cost 2 元, margin 10 元 per responder: profit after k contacts = 10·responders − 2k
    # k: 0→0, 1→8, 2→6, 3→14, 4→12, 5→10, 6→18, 7→16, 8→14, 9→12, 10→10
    result = mailing_depth(outcomes, scores, contact_cost=2, margin_per_response=10)
    assert result.best.contacts == 6 and result.depth == pytest.approx(0.6)
    assert result.profit == pytest.approx(18.0) and result.best.responders == 3
    assert result.mail_all.profit == pytest.approx(10.0)
    assert result.breakeven_rate == pytest.approx(0.2)
    assert result.curve["profit"].tolist() == pytest.approx([0, 8, 6, 14, 12, 10, 18, 16, 14, 12, 10])
    at = campaign_profit(outcomes, scores, 0.3, 2, 10)
    assert (at.contacts, at.responders, at.revenue, at.cost, at.profit) == (3, 2.0, 20.0, 6.0, 14.0)


def test_mailing_depth_with_probabilities():
    # expected margin per contact 4·p − 1: +1, +0.2, −0.6, −0.8 → contact the first two, profit 1.2
    probs = [0.5, 0.3, 0.1, 0.05]
    result = mailing_depth(probs, probs, contact_cost=1, margin_per_response=4)
    assert result.best.contacts == 2 and result.profit == pytest.approx(1.2)
    # nobody is worth 1 元 at 5 元 × 10 %: mail no one
    none = mailing_depth([0.1, 0.1], [2, 1], 1, 5)
    assert none.best.contacts == 0 and none.profit == 0.0


def test_auc_counts_correctly_ordered_pairs():
    # responders scored 0.9 and 0.3, non-responders 0.8 and 0.1: pairs (0.9, 0.8) ✓ (0.9, 0.1) ✓ (0.3, 0.8) ✗
    # (0.3, 0.1) ✓ → 3/4
    assert auc([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1]) == pytest.approx(0.75)


@pytest.fixture(scope="module")
def big():
    return simulate_campaign(200_000, seed=7)


def test_simulated_data_is_documented_and_reproducible(big):
    small = simulate_campaign(1000, seed=3)
    assert small.equals(simulate_campaign(1000, seed=3))
    assert list(small.columns) == ["customer_id", "recency", "frequency", "monetary", "age", "channel", "p_true",
                                   "responded"]
    assert small["recency"].between(1, 365).all() and (small["frequency"] >= 1).all()
    assert small["age"].between(18, 75).all() and set(small["channel"]) <= {"门店", "网站", "App"}
    # p_true is the documented logistic model
    k = TRUE_COEFFICIENTS
    logit = (k["intercept"] + k["recency"] * small["recency"] + k["frequency"] * small["frequency"]
             + k["monetary"] * small["monetary"] + k["age"] * small["age"]
             + k["channel_网站"] * (small["channel"] == "网站") + k["channel_App"] * (small["channel"] == "App"))
    assert small["p_true"].to_numpy() == pytest.approx(1 / (1 + np.exp(-logit.to_numpy().astype(float))))
    assert big["responded"].mean() == pytest.approx(big["p_true"].mean(), abs=0.003)


def test_logistic_model_recovers_the_true_coefficients(big):
    model = fit_response_model(big, FEATURES, "responded")
    coef = model.coefficients
    assert list(coef.index) == ["intercept", "recency", "frequency", "monetary", "age", "channel_网站", "channel_App"]
    for name, true in TRUE_COEFFICIENTS.items():
        assert np.sign(coef[name]) == np.sign(true), name
        assert coef[name] == pytest.approx(true, rel=0.2), name
    p = model.predict_proba(big.head(2000))
    assert np.abs(p - big["p_true"].head(2000)).mean() < 0.005


def test_models_on_a_holdout(big):
    data = big.head(30_000)
    train, test = holdout_split(data, 0.3, seed=1, stratify="responded")
    assert len(test) == 9000 and len(train) == 21_000
    assert train["responded"].mean() == pytest.approx(test["responded"].mean(), abs=0.002)
    logit = fit_response_model(train, FEATURES)
    tree = fit_response_model(train, FEATURES, kind="tree", max_depth=3)
    best = auc(test["responded"], test["p_true"])                  # the true model's ranking
    assert auc(test["responded"], logit.predict_proba(test)) == pytest.approx(best, abs=0.01)
    tree_auc = auc(test["responded"], tree.predict_proba(test))
    assert 0.6 < tree_auc < best                                    # informative, but coarser than the true model
    assert tree.importances.sum() == pytest.approx(1.0) and tree.importances.index[0] == "recency"
    segments = tree_segments(tree, test)
    assert segments["customers"].sum() == len(test) and segments["responders"].sum() == test["responded"].sum()
    assert len(segments) <= 8 and segments["predicted_rate"].is_monotonic_decreasing


def test_tree_segments_of_a_single_split():
    # x = 0 … 99 and everyone with x < 30 responds: a one-level tree splits at 29.5
    df = pd.DataFrame({"x": np.arange(100.0), "y": (np.arange(100) < 30).astype(int)})
    model = fit_response_model(df, ["x"], "y", kind="tree", max_depth=1, min_samples_leaf=1)
    seg = tree_segments(model, df)
    assert seg["rule"].tolist() == ["x ≤ 29.5", "x > 29.5"]
    assert seg["customers"].tolist() == [30, 70] and seg["response_rate"].tolist() == [1.0, 0.0]
    with pytest.raises(InputError, match="决策树"):
        tree_segments(fit_response_model(df, ["x"], "y"), df)
    # responders exactly 20 ≤ x < 50: two splits (19.5 and 49.5) on the same feature merge into one interval
    band = df.assign(y=((df["x"] >= 20) & (df["x"] < 50)).astype(int))
    seg2 = tree_segments(fit_response_model(band, ["x"], "y", kind="tree", max_depth=2, min_samples_leaf=1), band)
    assert seg2["rule"].iloc[0] == "19.5 < x ≤ 49.5" and seg2["customers"].iloc[0] == 30
    assert sorted(seg2["rule"].iloc[1:]) == ["x > 49.5", "x ≤ 19.5"]


# --- validation -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small():
    return simulate_campaign(300, seed=1)


def test_model_inputs_are_checked(small):
    with pytest.raises(InputError, match=r"缺少列 missing columns \['income'\]"):
        fit_response_model(small, ["recency", "income"], "responded")
    with pytest.raises(InputError, match="目标列 target 'bought'"):
        fit_response_model(small, ["recency"], "bought")
    with pytest.raises(InputError, match=r"目标列 yes target 必须只含 0 和 1.*第 2 个值是 2.0"):
        fit_response_model(pd.DataFrame({"x": [1, 2, 3], "yes": [1, 2, 0]}), ["x"], "yes")
    with pytest.raises(InputError, match="同时有响应"):
        fit_response_model(small.assign(responded=0), ["recency"], "responded")
    with pytest.raises(InputError, match="kind"):
        fit_response_model(small, ["recency"], "responded", kind="forest")
    with pytest.raises(InputError, match="features"):
        fit_response_model(small, "recency", "responded")
    with pytest.raises(InputError, match="不能同时作为特征"):
        fit_response_model(small, ["recency", "responded"], "responded")
    bad = small.copy()
    bad.loc[4, "age"] = np.nan
    with pytest.raises(InputError, match="特征 age 第 5 行"):
        fit_response_model(bad, ["age"], "responded")
    with pytest.raises(InputError, match="DataFrame"):
        fit_response_model(small.to_dict(), ["recency"], "responded")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: gains_table([0, 1, 2], [1, 2, 3]), "第 3 个值是 2.0"),
    (lambda: gains_table([0, 0, 0], [1, 2, 3], bins=3), "没有响应者"),
    (lambda: gains_table([0, 1], [1, 2, 3]), "个数"),
    (lambda: gains_table([0, 1], [1, float("nan")]), "第 2 个值不是有限数字"),
    (lambda: gains_table([0, 1], [1, 2], bins=3), "分组数 bins"),
    (lambda: mailing_depth([1, 0], [2, 1], 0, 10), "单位接触成本 contact_cost"),
    (lambda: mailing_depth([1, 0], [2, 1], 1, -5), "每个响应的毛利 margin_per_response"),
    (lambda: mailing_depth([1.5, 0], [2, 1], 1, 5), "outcomes 必须在 0 和 1 之间"),
    (lambda: campaign_profit([1, 0], [2, 1], 1.2, 1, 5), "投放深度 depth"),
    (lambda: auc([1, 1], [0.2, 0.3]), "同时含有 0 和 1"),
    (lambda: holdout_split(pd.DataFrame({"a": [1, 2, 3]}), 1.0), "测试集比例 test_share"),
])
def test_bad_inputs_name_the_field(call, message):
    with pytest.raises(InputError, match=message):
        call()


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.tuples(st.integers(0, 1), st.floats(-100, 100)), min_size=1, max_size=60),
       bins=st.integers(1, 12))
def test_property_gains_table_invariants(data, bins):
    y = [d[0] for d in data]
    s = [d[1] for d in data]
    if sum(y) == 0 or bins > len(y):
        with pytest.raises(InputError):
            gains_table(y, s, bins)
        return
    table = gains_table(y, s, bins)
    assert table["customers"].sum() == len(y) and table["responders"].sum() == sum(y)
    assert table["cum_gains"].iloc[-1] == pytest.approx(1.0) and table["cum_lift"].iloc[-1] == pytest.approx(1.0)
    assert (np.diff(table["cum_gains"]) >= -1e-12).all()


@settings(max_examples=60, deadline=None)
@given(p=st.lists(st.floats(0, 1), min_size=1, max_size=40), cost=st.floats(0.01, 10), margin=st.floats(0.1, 100))
def test_property_optimal_depth_beats_every_depth(p, cost, margin):
    result = mailing_depth(p, p, cost, margin)
    ranked = np.sort(np.asarray(p))[::-1]
    profits = [margin * ranked[:k].sum() - cost * k for k in range(len(p) + 1)]
    assert result.profit == pytest.approx(max(profits), abs=1e-9)
    # with scores equal to the probabilities, exactly the customers with margin·p > cost are worth contacting
    assert result.profit >= margin * ranked[ranked * margin > cost].sum() - cost * (ranked * margin > cost).sum() - 1e-9


@settings(max_examples=60, deadline=None)
@given(cost=st.one_of(st.floats(max_value=0), st.just(float("nan")), st.just(float("inf"))))
def test_property_non_positive_cost_is_rejected(cost):
    with pytest.raises(InputError, match="contact_cost"):
        mailing_depth([1, 0], [2, 1], cost, 10)


@settings(max_examples=60, deadline=None)
@given(value=st.floats(-5, 5).filter(lambda v: v not in (0.0, 1.0)))
def test_property_non_binary_target_is_rejected(value):
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.0, 1.0, value]})
    with pytest.raises(InputError, match="第 3 个值"):
        fit_response_model(df, ["x"], "y")
