"""知觉压力量表 PSS-10: Cohen's scoring worked by hand, the commonly used bands, validation naming the item, and the
coping checklist."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.drills import VERDICT_RIGHT
from crmlab.stress_coping import COPING_DRILL, COPING_TECHNIQUES, COPING_TRAPS, score_coping
from crmlab.stress_scale import (
    PSS10_ITEMS,
    PSS_COLUMNS,
    REVERSED_ITEMS,
    pss_band,
    score_pss10,
    score_pss10_table,
    simulate_pss10_answers,
)

# Scoring (Cohen, Kamarck & Mermelstein 1983; Cohen & Williamson 1988): answers 0–4, items 4, 5, 7, 8 reversed
# (4 − answer), total = sum, 0–40.


def test_the_reversed_items_are_4_5_7_8():
    assert REVERSED_ITEMS == (4, 5, 7, 8)
    assert [i.number for i in PSS10_ITEMS if i.reversed] == [4, 5, 7, 8]
    assert [i.number for i in PSS10_ITEMS] == list(range(1, 11))


@pytest.mark.parametrize(("answers", "total", "band"), [
    ([0] * 10, 16, "中等"),                                 # only the four reversed items score: 4 × 4
    ([4] * 10, 24, "中等"),                                 # six items × 4 + four reversed × 0
    ([2] * 10, 20, "中等"),                                 # 2 everywhere, reversed 4 − 2 = 2
    ([4, 4, 4, 0, 0, 4, 0, 0, 4, 4], 40, "较高"),           # the most stressed pattern
    ([0, 0, 0, 4, 4, 0, 4, 4, 0, 0], 0, "低"),              # the least stressed pattern
    # 3+2+3 + (4−1) + (4−2) + 2 + (4−1) + (4−2) + 3+2 = 8 + 3 + 2 + 2 + 3 + 2 + 5 = 25
    ([3, 2, 3, 1, 2, 2, 1, 2, 3, 2], 25, "中等"),
    # 1+0+1 + (4−3) + (4−4) + 1 + (4−3) + (4−3) + 0+1 = 2 + 1 + 0 + 1 + 1 + 1 + 1 = 7
    ([1, 0, 1, 3, 4, 1, 3, 3, 0, 1], 7, "低"),
])
def test_hand_computed_totals(answers, total, band):
    res = score_pss10(answers)
    assert res.total == total and res.band == band
    assert sum(res.item_scores) == total


def test_mapping_input_and_item_scores():
    res = score_pss10({i: 1 for i in range(1, 11)})
    assert res.item_scores == (1, 1, 1, 3, 3, 1, 3, 3, 1, 1) and res.total == 18


@pytest.mark.parametrize(("total", "band"), [(0, "低"), (13, "低"), (14, "中等"), (26, "中等"), (27, "较高"),
                                             (40, "较高")])
def test_band_edges(total, band):
    assert pss_band(total) == band


@pytest.mark.parametrize(("answers", "message"), [
    ([0] * 9, r"必须有 10 个回答 \(10 answers\)，收到 9 个"),
    ([0] * 11, r"收到 11 个"),
    ([0, 0, 5, 0, 0, 0, 0, 0, 0, 0], r"第 3 题的回答 answer to item 3 必须是 0–4 的整数.*收到 5"),
    ([0, 0, 0, 0, 0, 0, -1, 0, 0, 0], r"第 7 题的回答 answer to item 7 必须 ≥ 0，收到 -1"),
    ([0, 0, 0, 0, 0, 0, 0, 0, 2.5, 0], r"第 9 题的回答 answer to item 9 必须是整数.*2\.5"),
    ([0, "3", 0, 0, 0, 0, 0, 0, 0, 0], r"第 2 题的回答 .*'3'"),
    ("0000000000", r"回答 answers 必须是 10 个 0–4 的整数组成的列表"),
    ({i: 0 for i in range(1, 10)}, r"缺少第 10 题"),
    ({**{i: 0 for i in range(1, 11)}, 11: 0}, r"题号 item 必须是 1–10，收到 11"),
])
def test_bad_answers_name_the_item(answers, message):
    with pytest.raises(InputError, match=message):
        score_pss10(answers)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=10, max_size=10))
def test_total_is_in_range_and_reversing_complements(answers):
    res = score_pss10(answers)
    assert 0 <= res.total <= 40
    # answering 4 − a everywhere turns each item score s into 4 − s: totals add up to 40
    assert res.total + score_pss10([4 - a for a in answers]).total == 40


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=10, max_size=10), st.integers(0, 9),
       st.one_of(st.integers(5, 1000), st.integers(-1000, -1), st.floats(0.1, 3.9).filter(lambda x: x != int(x)),
                 st.just(float("nan")), st.text(max_size=2), st.none(), st.booleans()))
def test_any_malformed_answer_names_its_item(answers, position, bad):
    answers = list(answers)
    answers[position] = bad
    with pytest.raises(InputError, match=f"第 {position + 1} 题"):
        score_pss10(answers)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=30).filter(lambda a: len(a) != 10))
def test_wrong_number_of_answers_is_refused(answers):
    with pytest.raises(InputError, match="10 个回答"):
        score_pss10(answers)


def test_table_scoring_agrees_with_single_scoring():
    df = simulate_pss10_answers(50, seed=3)
    table = score_pss10_table(df)
    assert list(table.columns) == ["total", "band"] and table.index.equals(df.index)
    for i in (1, 17, 50):
        one = score_pss10(df.loc[i].tolist())
        assert table.loc[i, "total"] == one.total and table.loc[i, "band"] == one.band


def test_table_errors_name_row_and_column():
    df = pd.DataFrame([[0] * 10, [1] * 10], columns=list(PSS_COLUMNS))
    df.loc[1, "item6"] = 7
    with pytest.raises(InputError, match=r"第 2 行、列 item6 必须是 0–4 的整数，收到 7"):
        score_pss10_table(df)
    with pytest.raises(InputError, match=r"缺少列 missing columns \['item10'\]"):
        score_pss10_table(df.drop(columns="item10"))
    with pytest.raises(InputError, match="不能为空"):
        score_pss10_table(df.iloc[:0])


def test_simulated_answers_are_reproducible_and_in_range():
    a, b = simulate_pss10_answers(200, seed=7), simulate_pss10_answers(200, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert a.shape == (200, 10) and a.isin(range(5)).all().all()
    assert not a.equals(simulate_pss10_answers(200, seed=8))
    # the reversed items are answered in the opposite direction: across people they correlate negatively
    # with the others (each person has one stress level driving both)
    scores = a[["item1", "item2", "item3"]].mean(axis=1)
    positive = a[["item4", "item5", "item7", "item8"]].mean(axis=1)
    assert np.corrcoef(scores, positive)[0, 1] < -0.3
    with pytest.raises(InputError, match="人数 respondents"):
        simulate_pss10_answers(0)


# --- coping checklist ------------------------------------------------------------------------------------------

def test_coping_checklist_scores():
    r = len(COPING_TECHNIQUES)                        # 7 helpful techniques → 100 / 7 points each
    assert set(COPING_DRILL.required) == set(COPING_TECHNIQUES) and set(COPING_DRILL.forbidden) == set(COPING_TRAPS)
    full = score_coping(COPING_TECHNIQUES)
    assert full.score == pytest.approx(100) and full.verdict == VERDICT_RIGHT
    three_and_a_trap = score_coping([*list(COPING_TECHNIQUES)[:3], next(iter(COPING_TRAPS))])
    assert three_and_a_trap.score == pytest.approx(100 * (3 - 1) / r)
    assert score_coping(list(COPING_TRAPS)).score == 0.0
    with pytest.raises(InputError, match="不是本题的选项"):
        score_coping(["多喝咖啡"])


@settings(max_examples=60, deadline=None)
@given(row=st.integers(0, 4), col=st.integers(0, 9),
       bad=st.one_of(st.integers(5, 99), st.integers(-99, -1), st.just(1.5), st.just("x"), st.just(None)))
def test_table_names_the_bad_cell(row, col, bad):
    df = simulate_pss10_answers(5, seed=1).astype(object)
    df.iloc[row, col] = bad
    with pytest.raises(InputError, match=f"第 {row + 1} 行、列 item{col + 1} "):
        score_pss10_table(df)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.integers(41, 1000), st.integers(-1000, -1), st.floats(0.1, 39.9).filter(lambda x: x != int(x)),
                 st.just(float("nan")), st.text(max_size=2)))
def test_band_refuses_impossible_totals(total):
    with pytest.raises(InputError, match="量表总分 total"):
        pss_band(total)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=10))
def test_coping_refuses_unknown_items(item):
    if item in COPING_DRILL.items:
        return
    with pytest.raises(InputError, match="unknown item"):
        score_coping([item])
