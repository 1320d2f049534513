"""Chapter 8 calculators: the published Kano table, hand-worked CSI, SERVQUAL, NPS, IPA and scorecard examples,
and property tests for the input checks."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.satisfaction import (
    KANO_CATEGORIES,
    SERVQUAL_ITEMS,
    csi,
    disconfirmation,
    importance_weights,
    ipa_plot,
    ipa_quadrants,
    kano_category,
    kano_classify,
    kano_plot,
    nps,
    nps_from_counts,
    nps_interval,
    satisfaction_level,
    satisfaction_scorecard,
    scorecard_definitions,
    servqual_gaps,
    servqual_plot,
)

matplotlib.use("Agg")

# --- Kano ---------------------------------------------------------------------------------------------------------

# The Kano evaluation table as published in Berger, C. et al. (1993), "Kano's methods for understanding
# customer-defined quality", Center for Quality Management Journal 2(4), 3–36 (also reproduced in Matzler &
# Hinterhuber 1998, Technovation 18(1)). Rows: functional answer, columns: dysfunctional answer, both in the order
# like, must-be, neutral, live with, dislike. Written out here cell by cell, independently of crmlab.KANO_TABLE.
PUBLISHED_KANO = {
    (1, 1): "Q", (1, 2): "A", (1, 3): "A", (1, 4): "A", (1, 5): "O",
    (2, 1): "R", (2, 2): "I", (2, 3): "I", (2, 4): "I", (2, 5): "M",
    (3, 1): "R", (3, 2): "I", (3, 3): "I", (3, 4): "I", (3, 5): "M",
    (4, 1): "R", (4, 2): "I", (4, 3): "I", (4, 4): "I", (4, 5): "M",
    (5, 1): "R", (5, 2): "R", (5, 3): "R", (5, 4): "R", (5, 5): "Q",
}


@pytest.mark.parametrize(("functional", "dysfunctional"), sorted(PUBLISHED_KANO))
def test_every_cell_of_the_published_kano_table(functional, dysfunctional):
    assert kano_category(functional, dysfunctional) == PUBLISHED_KANO[(functional, dysfunctional)]


def test_kano_table_has_all_25_cells_and_every_category_has_a_meaning():
    assert len(PUBLISHED_KANO) == 25
    assert set(PUBLISHED_KANO.values()) == set(KANO_CATEGORIES)
    # numpy integers (as read from a CSV) are accepted too
    assert kano_category(np.int64(2), np.int64(5)) == "M"


def test_better_worse_on_a_hand_count():
    # one feature: A×3, O×2, M×4, I×1, R×1, Q×1 → A+O+M+I = 10
    # Better = (3 + 2)/10 = 0.5, Worse = −(2 + 4)/10 = −0.6, mode M (4 answers)
    pairs = [(1, 3)] * 3 + [(1, 5)] * 2 + [(2, 5)] * 4 + [(3, 3)] + [(5, 1)] + [(1, 1)]
    df = pd.DataFrame(pairs, columns=["functional", "dysfunctional"]).assign(feature="冷链保温")
    row = kano_classify(df).loc["冷链保温"]
    assert [row[c] for c in "AOMIRQ"] == [3, 2, 4, 1, 1, 1]
    assert row["n"] == 12
    assert row["better"] == pytest.approx(0.5)
    assert row["worse"] == pytest.approx(-0.6)
    assert row["category"] == "M" and row["category_zh"] == "必备属性"


def test_kano_mode_ties_follow_m_o_a_i():
    # M and O two each → M; A and I two each → A (evaluation rule M > O > A > I)
    df = pd.DataFrame({"feature": ["x"] * 4 + ["y"] * 4,
                       "functional": [1, 1, 2, 2, 1, 1, 3, 3], "dysfunctional": [5, 5, 5, 5, 2, 2, 3, 3]})
    table = kano_classify(df)
    assert table.loc["x", "category"] == "M"
    assert table.loc["y", "category"] == "A"
    assert list(table.index) == ["x", "y"]


def test_kano_better_worse_undefined_when_only_reverse_answers():
    df = pd.DataFrame({"feature": ["push"] * 2, "functional": [5, 5], "dysfunctional": [1, 3]})
    row = kano_classify(df).loc["push"]
    assert row["category"] == "R"
    assert math.isnan(row["better"]) and math.isnan(row["worse"])


@pytest.mark.parametrize(("f", "d", "field"), [
    (0, 3, "functional"), (6, 3, "functional"), (1, 7, "dysfunctional"), (2.5, 3, "functional"),
    ("喜欢", 3, "functional"), (True, 3, "functional"),
])
def test_kano_answers_out_of_range_are_named(f, d, field):
    with pytest.raises(InputError, match=field):
        kano_category(f, d)


def test_kano_classify_names_the_row_and_checks_columns():
    df = pd.DataFrame({"feature": ["a", "a", "a"], "functional": [1, 2, 9], "dysfunctional": [5, 5, 5]})
    with pytest.raises(InputError, match=r"第 3 行.*functional.*收到 9"):
        kano_classify(df)
    with pytest.raises(InputError, match="missing columns"):
        kano_classify(df.drop(columns="dysfunctional"))
    with pytest.raises(InputError, match="empty"):
        kano_classify(df.iloc[:0])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=40))
def test_kano_coefficients_stay_in_their_ranges(pairs):
    df = pd.DataFrame(pairs, columns=["functional", "dysfunctional"]).assign(feature="f")
    row = kano_classify(df).loc["f"]
    assert row[list("AOMIRQ")].sum() == row["n"] == len(pairs)
    if not math.isnan(row["better"]):
        assert 0 <= row["better"] <= 1 and -1 <= row["worse"] <= 0
    assert row[row["category"]] == row[list("AOMIRQ")].max()


def test_kano_plot_puts_each_feature_at_its_coefficients():
    # x: A (1,3) → Better 1, Worse 0; y: M (2,5) → Better 0, Worse −1; z: only R → undefined, left out
    df = pd.DataFrame({"feature": ["x", "y", "z"], "functional": [1, 2, 5], "dysfunctional": [3, 5, 1]})
    fig, ax = kano_plot(kano_classify(df))
    points = ax.collections[0].get_offsets().tolist()
    assert points == [[0.0, 1.0], [1.0, 0.0]]
    assert "未画出：z" in ax.get_title()
    matplotlib.pyplot.close(fig)
    with pytest.raises(InputError, match="kano_classify"):
        kano_plot(df)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("xyz"), st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=60))
def test_kano_classify_counts_agree_with_the_cell_lookup(rows):
    df = pd.DataFrame(rows, columns=["feature", "functional", "dysfunctional"])
    table = kano_classify(df)
    for feature, f, d in rows[:5]:
        expected = sum(1 for g, ff, dd in rows if g == feature and PUBLISHED_KANO[(ff, dd)] == PUBLISHED_KANO[(f, d)])
        assert table.loc[feature, PUBLISHED_KANO[(f, d)]] == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=20), st.data())
def test_kano_classify_names_the_row_of_any_bad_answer(pairs, data):
    i = data.draw(st.integers(0, len(pairs) - 1))
    column = data.draw(st.sampled_from(["functional", "dysfunctional"]))
    bad = data.draw(st.one_of(st.integers(6, 99), st.integers(-99, 0), st.floats(1.1, 4.9).filter(lambda x: x % 1)))
    df = pd.DataFrame(pairs, columns=["functional", "dysfunctional"]).assign(feature="f").astype({column: object})
    df.loc[i, column] = bad
    with pytest.raises(InputError, match=f"第 {i + 1} 行：.*{column} 必须是 1–5 的整数"):
        kano_classify(df)


# --- NPS -----------------------------------------------------------------------------------------------------------

HAND_SAMPLE = [10, 10, 9, 9, 9, 8, 7, 7, 3, 0]


def test_nps_and_its_interval_on_a_hand_made_sample():
    # 5 promoters (9–10), 3 passives (7–8), 2 detractors (0–6) of n = 10:
    # NPS = 100 × (0.5 − 0.2) = 30
    # Var = p_P + p_D − (p_P − p_D)² = 0.5 + 0.2 − 0.09 = 0.61; SE = 100 × √(0.61/10) = 24.6982
    # 95 %: z = 1.959964, half-width = 24.69818 × 1.959964 = 48.4075 → [−18.4075, 78.4075]
    assert nps(HAND_SAMPLE) == pytest.approx(30.0)
    r = nps_interval(HAND_SAMPLE)
    assert (r.promoters, r.passives, r.detractors, r.n) == (5, 3, 2, 10)
    assert r.standard_error == pytest.approx(24.6982, abs=1e-4)
    assert r.lower == pytest.approx(-18.4075, abs=1e-4)
    assert r.upper == pytest.approx(78.4075, abs=1e-4)
    # 90 %: z = 1.644854, half-width = 24.69818 × 1.644854 = 40.6249 → [−10.6249, 70.6249]
    r90 = nps_interval(HAND_SAMPLE, confidence=0.90)
    assert (r90.lower, r90.upper) == (pytest.approx(-10.6249, abs=1e-4), pytest.approx(70.6249, abs=1e-4))
    assert nps_from_counts(5, 3, 2) == r


def test_nps_extremes_and_clipping():
    assert nps([10] * 4) == 100.0 and nps([0, 6]) == -100.0 and nps([7, 8]) == 0.0
    r = nps_from_counts(10, 0, 0)
    assert (r.nps, r.lower, r.upper, r.standard_error) == (100.0, 100.0, 100.0, 0.0)
    # 2 promoters, 1 detractor: NPS 33.3, Var = 1 − 1/9 = 8/9, SE = 100 √(8/27) = 54.43 → upper clipped at 100
    small = nps_from_counts(2, 0, 1)
    assert small.standard_error == pytest.approx(100 * math.sqrt(8 / 27))
    assert small.upper == 100.0 and small.lower == pytest.approx(100 / 3 - 1.959964 * 54.4331, abs=1e-3)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=200), st.floats(0.5, 0.999))
def test_nps_interval_brackets_the_nps(scores, confidence):
    r = nps_interval(scores, confidence)
    assert -100 <= r.lower <= r.nps <= r.upper <= 100
    assert r.nps == pytest.approx(nps(scores))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=0, max_size=20), st.one_of(st.integers(11, 100), st.integers(-100, -1),
                                                                     st.floats(0.1, 9.9).filter(lambda x: x % 1)))
def test_nps_rejects_answers_off_the_0_to_10_scale(scores, bad):
    position = len(scores) // 2
    answers = [*scores[:position], bad, *scores[position:]]
    with pytest.raises(InputError, match=f"第 {position + 1} 个答案必须是 0–10 的整数"):
        nps(answers)


@pytest.mark.parametrize("call", [lambda: nps([]), lambda: nps_interval([]), lambda: nps_from_counts(0, 0, 0),
                                  lambda: nps_from_counts(-1, 2, 3), lambda: nps_interval([9], confidence=1.0)])
def test_nps_bad_input(call):
    with pytest.raises(InputError):
        call()


# --- CSI -----------------------------------------------------------------------------------------------------------

def test_csi_hand_example():
    # 配送: answers 5, 4, 3 → mean 4 → (4 − 1)/(5 − 1) × 100 = 75
    # 价格: answers 2, 3, 4 → mean 3 → 50
    # weights 0.6 / 0.4 → CSI = 0.6 × 75 + 0.4 × 50 = 65
    r = csi({"配送": [5, 4, 3], "价格": [2, 3, 4]}, {"配送": 0.6, "价格": 0.4})
    assert r.index == pytest.approx(65.0)
    assert r.items.loc["配送", "score"] == pytest.approx(75.0)
    assert r.items.loc["价格", "contribution"] == pytest.approx(20.0)
    assert r.n_respondents == 3
    # equal weights when none are given: (75 + 50)/2
    assert csi({"配送": [5, 4, 3], "价格": [2, 3, 4]}, None).index == pytest.approx(62.5)
    # a 1–7 scale: mean 4 is the midpoint → 50; a missing answer is skipped (mean of 7 and 1)
    assert csi(pd.DataFrame({"q": [7, 1, np.nan]}), [1.0], scale=(1, 7)).index == pytest.approx(50.0)
    assert "65.00" in r._repr_html_() and "CSI" in repr(r)


def test_csi_weights_must_sum_to_one_unless_normalized():
    scores = {"配送": [5, 4, 3], "价格": [2, 3, 4]}
    with pytest.raises(InputError, match=r"权重 weights 之和必须等于 1，收到 5.*normalize=True"):
        csi(scores, {"配送": 3, "价格": 2})
    # normalize: 3 and 2 → 0.6 and 0.4 → the hand example's 65
    r = csi(scores, {"配送": 3, "价格": 2}, normalize=True)
    assert r.index == pytest.approx(65.0)
    assert r.items["weight"].tolist() == pytest.approx([0.6, 0.4])
    with pytest.raises(InputError, match="之和必须大于 0"):
        csi(scores, [0, 0], normalize=True)


def test_csi_names_the_row_and_item_of_an_out_of_range_answer():
    df = pd.DataFrame({"配送": [5, 4, 3], "价格": [2, 7, 4]}, index=["R1", "R2", "R3"])
    with pytest.raises(InputError, match=r"第 2 行（'R2'）、题项 '价格' 的答案必须在 1 到 5 之间.*收到 7"):
        csi(df, [0.5, 0.5])
    with pytest.raises(InputError, match="题项 '价格' 必须是数字，收到 '好'"):
        csi(pd.DataFrame({"价格": [2, "好"]}), [1.0])
    valid = df.clip(upper=5)
    with pytest.raises(InputError, match="缺少 missing \\['价格'\\]"):
        csi(valid, {"配送": 1.0})
    with pytest.raises(InputError, match="量表 scale"):
        csi(valid, [0.5, 0.5], scale=(5, 1))
    with pytest.raises(InputError, match="没有任何有效答案"):
        csi(pd.DataFrame({"q": [np.nan, np.nan]}), [1.0])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.integers(1, 6), st.data())
def test_csi_rejects_any_answer_off_the_scale(n_rows, n_items, data):
    values = data.draw(st.lists(st.lists(st.integers(1, 5), min_size=n_items, max_size=n_items),
                                min_size=n_rows, max_size=n_rows))
    i, j = data.draw(st.integers(0, n_rows - 1)), data.draw(st.integers(0, n_items - 1))
    bad = data.draw(st.one_of(st.integers(6, 50), st.integers(-50, 0), st.floats(5.01, 100), st.floats(-100, 0.99)))
    values[i][j] = bad
    df = pd.DataFrame(values, columns=[f"item{k}" for k in range(n_items)])
    with pytest.raises(InputError, match=f"第 {i + 1} 行、题项 'item{j}' 的答案必须在 1 到 5 之间"):
        csi(df, None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 10), min_size=2, max_size=6).filter(lambda w: abs(sum(w) - 1) > 1e-3), st.data())
def test_weights_not_summing_to_one_are_rejected_or_normalized(weights, data):
    n = len(weights)
    values = data.draw(st.lists(st.lists(st.integers(1, 5), min_size=n, max_size=n), min_size=1, max_size=10))
    df = pd.DataFrame(values, columns=[f"q{k}" for k in range(n)])
    with pytest.raises(InputError, match="之和必须等于 1"):
        csi(df, weights)
    r = csi(df, weights, normalize=True)
    assert r.items["weight"].sum() == pytest.approx(1.0)
    assert r.items["score"].min() - 1e-9 <= r.index <= r.items["score"].max() + 1e-9
    assert 0 <= r.index <= 100


@pytest.mark.parametrize("scores", [pd.DataFrame(), pd.DataFrame({"q": []}), {}, [[]]])
def test_csi_empty_samples(scores):
    with pytest.raises(InputError, match="empty"):
        csi(scores, None)


def test_negative_weight_is_named():
    with pytest.raises(InputError, match=r"权重（b） weights 不能为负数"):
        csi({"a": [3], "b": [4]}, {"a": 1.5, "b": -0.5})


def test_importance_weights_and_satisfaction_level():
    # mean importance 6 and 3 (1–7) → weights 6/9 and 3/9
    w = importance_weights(pd.DataFrame({"a": [7, 5], "b": [2, 4]}))
    assert w.tolist() == pytest.approx([2 / 3, 1 / 3])
    levels = satisfaction_level(pd.Series([1, 2, 3, 4, 5], index=list("vwxyz")))
    assert levels.astype(str).tolist() == ["不满意", "不满意", "一般", "满意", "满意"]
    assert list(levels.index) == list("vwxyz")
    assert satisfaction_level([4, 7], scale=(1, 7)).astype(str).tolist() == ["一般", "满意"]
    with pytest.raises(InputError, match="收到 6"):
        satisfaction_level([6])


# --- expectation vs perception -----------------------------------------------------------------------------------

def test_disconfirmation_by_hand():
    # 新鲜度: 4.5 − 4 = +0.5 → 满意; 价格: 3 − 3 = 0 → 基本满意; 配送: 3.5 − 4.5 = −1 → 不满意
    t = disconfirmation({"新鲜度": 4, "价格": 3, "配送": 4.5}, {"新鲜度": 4.5, "价格": 3, "配送": 3.5})
    assert t["gap"].tolist() == pytest.approx([0.5, 0.0, -1.0])
    assert t["verdict"].tolist() == ["满意", "基本满意", "不满意"]
    # with a tolerance of 0.5 the +0.5 counts as "about equal"
    assert disconfirmation({"a": 4}, {"a": 4.5}, tolerance=0.5)["verdict"].tolist() == ["基本满意"]
    # answer tables: item means 4 (expected) and (5 + 4)/2 = 4.5 (perceived)
    t2 = disconfirmation(pd.DataFrame({"a": [4, 4]}), pd.DataFrame({"a": [5, 4]}), scale=(1, 5))
    assert t2.loc["a", "gap"] == pytest.approx(0.5)
    # floating-point noise is not a gap: 0.1 + 0.2 vs 0.3
    assert disconfirmation({"a": 0.1 + 0.2}, {"a": 0.3})["verdict"].tolist() == ["基本满意"]


def test_disconfirmation_bad_input():
    with pytest.raises(InputError, match="题项必须相同"):
        disconfirmation({"a": 4}, {"b": 4})
    with pytest.raises(InputError, match="收到 9"):
        disconfirmation({"a": 9}, {"a": 4}, scale=(1, 5))
    with pytest.raises(InputError, match="empty"):
        disconfirmation({}, {})


# --- SERVQUAL ------------------------------------------------------------------------------------------------------

def test_servqual_gaps_on_a_hand_made_three_respondent_survey():
    P = pd.DataFrame({"q1": [6, 5, 7], "q2": [5, 5, 5], "q3": [4, 3, 5]})
    E = pd.DataFrame({"q1": [7, 6, 7], "q2": [6, 6, 6], "q3": [5, 6, 4]})
    # item means: P = 6, 5, 4; E = 20/3, 6, 5 → gaps −2/3, −1, −1
    # 可靠性 (q1, q2): (−2/3 − 1)/2 = −5/6; 响应性 (q3): −1; overall = (−5/6 − 1)/2 = −11/12
    # importance 60/40 → 0.6 × (−5/6) + 0.4 × (−1) = −0.9
    r = servqual_gaps(P, E, {"可靠性": ["q1", "q2"], "响应性": ["q3"]}, importance={"可靠性": 60, "响应性": 40})
    assert r.items["gap"].tolist() == pytest.approx([-2 / 3, -1, -1])
    assert r.dimensions.loc["可靠性", "gap"] == pytest.approx(-5 / 6)
    assert r.dimensions.loc["响应性", "perception"] == pytest.approx(4.0)
    assert r.overall == pytest.approx(-11 / 12)
    assert r.weighted == pytest.approx(-0.9)
    assert r.dimensions["weight"].tolist() == pytest.approx([0.6, 0.4])
    # the same mapping given item → dimension, and no importance
    r2 = servqual_gaps(P, E, {"q1": "可靠性", "q2": "可靠性", "q3": "响应性"})
    assert r2.overall == pytest.approx(-11 / 12) and r2.weighted is None
    assert "overall=-0.917" in repr(r2)


def test_servqual_default_uses_the_22_statement_mapping():
    # PZB (1988): tangibles 1–4, reliability 5–9, responsiveness 10–13, assurance 14–17, empathy 18–22.
    # Perception 5 everywhere; expectation 4, 5, 6, 7, 3 by dimension → gaps +1, 0, −1, −2, +2.
    expected_by_dim = {"有形性": 4, "可靠性": 5, "响应性": 6, "保证性": 7, "移情性": 3}
    cols = [f"s{k:02d}" for k in range(1, 23)]
    row_e = [expected_by_dim[SERVQUAL_ITEMS[k]] for k in range(1, 23)]
    P = pd.DataFrame([[5] * 22, [5] * 22], columns=cols)
    E = pd.DataFrame([row_e, row_e], columns=cols)
    r = servqual_gaps(P, E)
    assert r.dimensions["gap"].to_dict() == {"有形性": 1.0, "可靠性": 0.0, "响应性": -1.0, "保证性": -2.0,
                                             "移情性": 2.0}
    assert [SERVQUAL_ITEMS[k] for k in (1, 4, 5, 9, 10, 13, 14, 17, 18, 22)] == [
        "有形性", "有形性", "可靠性", "可靠性", "响应性", "响应性", "保证性", "保证性", "移情性", "移情性"]
    assert r.overall == pytest.approx(0.0)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.data())
def test_servqual_names_the_row_and_item_of_an_answer_off_the_1_to_7_scale(n, data):
    cols = [f"s{k:02d}" for k in range(1, 23)]
    E = pd.DataFrame(data.draw(st.lists(st.lists(st.integers(1, 7), min_size=22, max_size=22), min_size=n,
                                        max_size=n)), columns=cols)
    i, j = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, 21))
    E.iloc[i, j] = data.draw(st.sampled_from([0, 8, 10, -3]))
    with pytest.raises(InputError, match=f"期望 expectations 第 {i + 1} 行、题项 '{cols[j]}' 的答案必须在 1 到 7 之间"):
        servqual_gaps(E.clip(1, 7), E)


def test_servqual_bad_input():
    P = pd.DataFrame({"q1": [6, 5], "q2": [5, 8]})
    E = pd.DataFrame({"q1": [7, 6], "q2": [6, 6]})
    with pytest.raises(InputError, match=r"感知 perceptions 第 2 行、题项 'q2' 的答案必须在 1 到 7 之间.*收到 8"):
        servqual_gaps(P, E, {"q1": "a", "q2": "b"})
    P.loc[1, "q2"] = 5
    with pytest.raises(InputError, match="22 个题项"):
        servqual_gaps(P, E)
    with pytest.raises(InputError, match=r"未分配 unassigned \['q2'\]"):
        servqual_gaps(P, E, {"q1": "a"})
    with pytest.raises(InputError, match="题项必须相同"):
        servqual_gaps(P, E.rename(columns={"q2": "q3"}), {"q1": "a", "q2": "b"})
    with pytest.raises(InputError, match="empty"):
        servqual_gaps(P.iloc[:0], E, {"q1": "a", "q2": "b"})
    with pytest.raises(InputError, match="缺少 missing"):
        servqual_gaps(P, E, {"q1": "a", "q2": "b"}, importance={"a": 1})


def test_servqual_plot_draws_one_bar_per_item_at_its_gap():
    P = pd.DataFrame({"q1": [6, 5, 7], "q2": [5, 5, 5], "q3": [4, 3, 5]})
    E = pd.DataFrame({"q1": [7, 6, 7], "q2": [6, 6, 6], "q3": [5, 6, 4]})
    fig, ax = servqual_plot(servqual_gaps(P, E, {"可靠性": ["q1", "q2"], "响应性": ["q3"]}))
    assert [p.get_height() for p in ax.patches] == pytest.approx([-2 / 3, -1, -1])   # the hand-worked gaps above
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["可靠性", "响应性"]
    matplotlib.pyplot.close(fig)
    with pytest.raises(InputError, match="ServqualResult"):
        servqual_plot(P)


# --- IPA -----------------------------------------------------------------------------------------------------------

def test_ipa_quadrants_by_hand():
    imp = {"送达准时": 6.5, "包装美观": 3.5, "客服响应": 6.0, "个性推荐": 4.0}
    perf = {"送达准时": 4.0, "包装美观": 6.0, "客服响应": 6.5, "个性推荐": 3.5}
    # mean importance (6.5 + 3.5 + 6 + 4)/4 = 5; mean performance (4 + 6 + 6.5 + 3.5)/4 = 5
    r = ipa_quadrants(imp, perf)
    assert (r.importance_cut, r.performance_cut) == (5.0, 5.0)
    assert r.table["quadrant"].to_dict() == {"送达准时": "重点改进", "包装美观": "过度投入", "客服响应": "继续保持",
                                             "个性推荐": "低优先"}
    assert r.table.loc["送达准时", "quadrant_en"] == "concentrate here"
    # explicit cuts (the scale midpoint 4 on 1–7); a value equal to the cut counts as high:
    # 个性推荐 importance 4.0 ≥ 4 (high), performance 3.5 < 4 (low) → 重点改进
    r2 = ipa_quadrants(imp, perf, cut=(4, 4))
    assert r2.table.loc["个性推荐", "quadrant"] == "重点改进"
    assert r2.table.loc["送达准时", "quadrant"] == "继续保持"
    # median of 6.5, 3.5, 6, 4 is 5 as well; the medians can differ from the means:
    r3 = ipa_quadrants({"a": 1, "b": 2, "c": 9}, {"a": 1, "b": 2, "c": 9}, cut="median")
    assert (r3.importance_cut, r3.table.loc["b", "quadrant"]) == (2.0, "继续保持")


def test_ipa_from_rating_tables_and_errors():
    imp = pd.DataFrame({"x": [7, 5], "y": [2, 2]})
    perf = pd.DataFrame({"x": [3, 3], "y": [6, 4]})
    r = ipa_quadrants(imp, perf)   # means: imp x 6, y 2 (cut 4); perf x 3, y 5 (cut 4)
    assert r.table["quadrant"].tolist() == ["重点改进", "过度投入"]
    with pytest.raises(InputError, match="属性必须相同"):
        ipa_quadrants({"x": 1}, {"y": 1})
    with pytest.raises(InputError, match="分界 cut"):
        ipa_quadrants({"x": 1}, {"x": 1}, cut="mode")
    with pytest.raises(InputError, match="重要性分界 importance_cut"):
        ipa_quadrants({"x": 1}, {"x": 1}, cut=(float("nan"), 3))


def test_ipa_plot_draws_every_attribute_and_the_cut_lines():
    imp = {"送达准时": 6.5, "包装美观": 3.5, "客服响应": 6.0, "个性推荐": 4.0}
    perf = {"送达准时": 4.0, "包装美观": 6.0, "客服响应": 6.5, "个性推荐": 3.5}
    fig, ax, result = ipa_plot(imp, perf, labels={"送达准时": "准时"})
    points = np.vstack([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    assert sorted(map(tuple, points.tolist())) == sorted((perf[k], imp[k]) for k in imp)
    assert any(t.get_text() == "准时" for t in ax.texts)
    lines = {tuple(line.get_xdata()) for line in ax.lines} | {tuple(line.get_ydata()) for line in ax.lines}
    assert (5.0, 5.0) in lines
    assert result.table.shape[0] == 4
    matplotlib.pyplot.close(fig)


# --- scorecard -------------------------------------------------------------------------------------------------------

def test_scorecard_by_hand():
    survey = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4"],
        "praise": [True, True, False, False],
        "first_choice": [True, False, False, False],
        "price_sensitive": [False, False, True, True],
        "group": ["满意", "满意", "不满意", "不满意"],
    })
    tx = pd.DataFrame({"customer_id": ["c1", "c1", "c2", "c3", "c3", "c3", "x9", "c4"],
                       "date": ["2024-01-05", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01",
                                "2024-06-01", "2023-12-31"],
                       "amount": [100, 50, 30, 10, 10, 10, 999, 500]})
    complaints = pd.DataFrame({"customer_id": ["c3", "c3", "c2"], "date": ["2024-02-01", "2024-03-01", "2023-06-01"]})
    t = satisfaction_scorecard(survey, tx, complaints, start="2024-01-01", end="2024-12-31", by="group")
    # 2024: c1 2 purchases (150 元), c2 1 (30), c3 3 (30), c4 none (its purchase is in 2023); x9 is not surveyed
    # 美誉度 2/4; 指名度 1/4; 回头率: buyers c1, c2, c3, of whom c1 and c3 bought twice or more → 2/3
    # 投诉率: only c3 complained in 2024 → 1/4; 购买额 (150 + 30 + 30 + 0)/4 = 52.5; 价格敏感度 2/4
    assert t["全部"].to_dict() == pytest.approx({"美誉度": 0.5, "指名度": 0.25, "回头率": 2 / 3, "投诉率": 0.25,
                                                "购买额": 52.5, "对价格变化的敏感度": 0.5})
    # group 满意 = c1, c2: 回头率 1/2, 购买额 90, 投诉率 0; group 不满意 = c3, c4: 回头率 1/1, 购买额 15, 投诉率 1/2
    assert t.loc[["回头率", "购买额", "投诉率"], "满意"].tolist() == pytest.approx([0.5, 90.0, 0.0])
    assert t.loc[["回头率", "购买额", "投诉率"], "不满意"].tolist() == pytest.approx([1.0, 15.0, 0.5])
    assert list(t.columns) == ["全部", "满意", "不满意"]
    # complaints stamped with a time of day, in a column of another name: received on 2024-12-31 at 18:05 counts
    late = pd.DataFrame({"customer_id": ["c4"], "received": ["2024-12-31 18:05"]})
    t2 = satisfaction_scorecard(survey, tx, late, start="2024-01-01", end="2024-12-31", complaint_date="received")
    assert t2.loc["投诉率", "全部"] == pytest.approx(0.25)
    with pytest.raises(InputError, match="缺少列 date"):
        satisfaction_scorecard(survey, tx, late, start="2024-01-01")
    # without a complaints table the survey's own flag is used; without transactions those rows are left out
    only_survey = satisfaction_scorecard(survey.assign(complained=[0, 1, 1, 1]))
    assert list(only_survey.index) == ["美誉度", "指名度", "投诉率", "对价格变化的敏感度"]
    assert only_survey.loc["投诉率", "全部"] == pytest.approx(0.75)
    assert list(scorecard_definitions()["指标"]) == ["美誉度", "指名度", "回头率", "投诉率", "购买额",
                                                     "对价格变化的敏感度"]


def test_scorecard_bad_input():
    survey = pd.DataFrame({"customer_id": ["c1", "c1"], "praise": [True, "maybe"]})
    with pytest.raises(InputError, match="customer_id 重复"):
        satisfaction_scorecard(survey, pd.DataFrame({"customer_id": [], "amount": []}))
    with pytest.raises(InputError, match=r"第 2 行、列 praise 必须是 True/False.*收到 'maybe'"):
        satisfaction_scorecard(survey)
    with pytest.raises(InputError, match="empty"):
        satisfaction_scorecard(survey.iloc[:0])
    ok = pd.DataFrame({"customer_id": ["c1"], "praise": [True]})
    with pytest.raises(InputError, match=r"第 1 行、列 amount"):
        satisfaction_scorecard(ok, pd.DataFrame({"customer_id": ["c1"], "amount": [-5]}))
    with pytest.raises(InputError, match="no buyers"):
        satisfaction_scorecard(ok, pd.DataFrame({"customer_id": ["c9"], "amount": [5]}))
    with pytest.raises(InputError, match="分组列 by"):
        satisfaction_scorecard(ok, by="segment")
