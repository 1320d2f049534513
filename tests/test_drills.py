"""Drill engine: choice, ordering and checklist scores worked by hand, input validation, and the chapter content."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau

from crmlab.drills import (
    ChecklistDrill,
    Drill,
    DrillScoreboard,
    OrderingDrill,
    classification_drill,
    display_order,
    score_checklist,
    score_choice,
    score_drill,
    score_ordering,
    verdict,
)
from crmlab.errors import InputError
from crmlab.service_content import DRILLS_BY_CHAPTER, all_drills

ABCD = ("A", "B", "C", "D")


def _drill(**kw) -> Drill:
    base = {"id": "t1", "prompt": "哪一个？", "options": ("甲", "乙", "丙"), "answer": "乙",
            "explanations": {"甲": "甲不对", "乙": "乙对", "丙": "丙不对"}, "points": 2.0}
    base.update(kw)
    return Drill(**base)


# --- choice -----------------------------------------------------------------------------------------------------

def test_right_option_earns_the_points_and_says_correct():
    r = score_choice(_drill(), "乙")
    assert (r.score, r.max_score, r.correct) == (2.0, 2.0, True)
    assert "正确" in r.verdict and "不正确" not in r.verdict
    assert r.feedback == ("你的选择：乙——乙对",)


def test_wrong_option_earns_nothing_and_shows_the_right_answer():
    r = score_choice(_drill(), "丙")
    assert (r.score, r.correct) == (0.0, False)
    assert "不正确" in r.verdict
    assert r.feedback == ("你的选择：丙——丙不对", "正确答案：乙——乙对")


def test_several_right_options_are_scored_as_a_checklist():
    # right options 甲 and 乙 (2 required), 丙 and 丁 forbidden; points 4, so each right tick is worth 4 / 2 = 2
    d = _drill(options=("甲", "乙", "丙", "丁"), answer=("甲", "乙"), points=4.0,
               explanations={"甲": "对", "乙": "对", "丙": "错", "丁": "错"})
    assert d.multiple
    assert score_choice(d, ["甲", "乙"]).score == 4.0                 # both right ticks: 4 × 2/2
    assert score_choice(d, ["甲"]).score == 2.0                       # one of two: 4 × 1/2
    assert score_choice(d, ["甲", "乙", "丙"]).score == 2.0           # 4 × (2 − 1)/2
    assert score_choice(d, ["甲", "丙"]).score == 0.0                 # 4 × (1 − 1)/2
    assert score_choice(d, ["丙", "丁"]).score == 0.0                 # 4 × (0 − 2)/2 → floored at 0
    partial = score_choice(d, "甲")                                   # a single text is one tick
    assert partial.score == 2.0 and not partial.correct and "还不对" in partial.verdict


@pytest.mark.parametrize("bad", [None, "", [], "戊", 3, ["乙"]])
def test_malformed_choice_answers_raise_input_error(bad):
    with pytest.raises(InputError, match="答案|还没有选择"):
        score_choice(_drill(), bad)


def test_unknown_option_in_a_multi_answer_is_named():
    d = _drill(answer=("甲", "乙"))
    with pytest.raises(InputError, match="选项之一.*'戊'"):
        score_choice(d, ["甲", "戊"])


@pytest.mark.parametrize("kw, match", [
    ({"answer": "戊"}, "答案 answer 必须是选项之一"),
    ({"options": ("甲", "甲", "乙")}, "重复"),
    ({"options": ("甲",), "answer": "甲", "explanations": {"甲": "x"}}, "至少要有 2 项"),
    ({"explanations": {"甲": "x", "乙": "y"}}, "缺少 \\['丙'\\]"),
    ({"explanations": {"甲": "x", "乙": "y", "丙": ""}}, "解释"),
    ({"points": 0}, "分值 points"),
    ({"answer": ("甲", "乙", "丙")}, "不能包含全部选项"),
    ({"prompt": "  "}, "题干 prompt"),
    ({"id": ""}, "编号 id"),
])
def test_malformed_drills_are_refused_with_the_drill_named(kw, match):
    with pytest.raises(InputError, match=match):
        _drill(**kw)


def test_classification_drill_explains_every_option():
    traits = {"经济型": "看价格", "方便型": "图省事"}
    d = classification_drill("c1", "小赵只图快。", "方便型", "他要的是快。", traits)
    assert d.explanations["方便型"] == "他要的是快。"
    assert d.explanations["经济型"] == "经济型：看价格——本情境的线索不是这一点。"
    assert score_choice(d, "方便型").correct


def test_verdicts():
    assert verdict(1, 1) == "✔ 回答正确"
    assert verdict(0, 1) == "✘ 回答不正确"
    assert verdict(0.5, 1) == "△ 部分正确，还不对"


# --- ordering ---------------------------------------------------------------------------------------------------

def test_right_order_scores_full_and_reverse_order_scores_zero():
    right = score_ordering(ABCD, ABCD)
    assert (right.score, right.correct, right.pairs_in_order, right.total_pairs, right.in_place) == (100, True, 6, 6, 4)
    rev = score_ordering(ABCD, ("D", "C", "B", "A"))
    # no pair in order (0/6), no step in place (0/4)
    assert (rev.score, rev.pairs_in_order, rev.in_place) == (0, 0, 0)
    assert "不正确" in rev.verdict


def test_swapping_two_neighbours_worked_by_hand():
    r = score_ordering(ABCD, ("B", "A", "C", "D"))
    # pairs: (A,B) reversed, the other 5 of 6 in order; slots: C and D right, 2 of 4
    # score = 100 × (0.5 × 5/6 + 0.5 × 2/4) = 41.67 + 25 = 66.67
    assert r.pairs_in_order == 5 and r.in_place == 2
    assert r.score == pytest.approx(100 * (0.5 * 5 / 6 + 0.5 * 2 / 4))
    assert not r.correct and "还不对" in r.verdict
    assert any("第 1 步放了“B”，它应是第 2 步" in line for line in r.feedback)


def test_empty_slots_lose_the_pairs_of_the_missing_steps():
    r = score_ordering(ABCD, ("A", None, None, "D"))
    # only the pair (A, D) is present and in order: 1/6; slots 1 and 4 right: 2/4
    # score = 100 × (0.5 × 1/6 + 0.5 × 2/4) = 8.33 + 25 = 33.33
    assert r.score == pytest.approx(100 * (0.5 / 6 + 0.25))
    assert r.missing == ("B", "C")
    short = score_ordering(ABCD, ("A", "B"))                        # shorter list = the rest empty
    # pairs (A, B): 1/6, slots 2/4 → 100 × (1/12 + 1/4) = 33.33
    assert short.score == pytest.approx(100 * (1 / 12 + 0.25))


def test_shifted_order_gets_pair_credit_but_no_slot_credit():
    r = score_ordering(ABCD, ("D", "A", "B", "C"), points=1.0)
    # pairs in order: (A,B), (A,C), (B,C) = 3/6; no step in its slot → 0.5 × 0.5 + 0.5 × 0 = 0.25
    assert r.score == pytest.approx(0.25)


def test_pair_weight_extremes():
    order = ("B", "A", "C", "D")
    assert score_ordering(ABCD, order, pair_weight=1.0).score == pytest.approx(100 * 5 / 6)
    assert score_ordering(ABCD, order, pair_weight=0.0).score == pytest.approx(100 * 2 / 4)


@given(st.permutations(list(range(6))))
def test_pair_share_is_one_plus_kendall_tau_over_two(perm):
    steps = tuple("步骤" + str(i) for i in range(6))
    learner = [steps[i] for i in perm]
    r = score_ordering(steps, learner)
    tau = kendalltau(range(6), perm).statistic
    assert r.pair_share == pytest.approx((1 + tau) / 2)
    assert 0 <= r.score <= 100


def test_all_orders_of_three_by_hand():
    # 3 steps: 3 pairs, 3 slots; score = 50 × pairs/3 + 50 × slots/3
    expected = {("A", "B", "C"): (3, 3), ("A", "C", "B"): (2, 1), ("B", "A", "C"): (2, 1),
                ("B", "C", "A"): (1, 0), ("C", "A", "B"): (1, 0), ("C", "B", "A"): (0, 1)}
    for order in itertools.permutations("ABC"):
        pairs, slots = expected[order]
        assert score_ordering(("A", "B", "C"), order).score == pytest.approx(50 * pairs / 3 + 50 * slots / 3)


@pytest.mark.parametrize("bad, match", [
    ("ABCD", "learner_order 必须是步骤列表"),
    (("A", "B", "C", "D", "A"), "最多 4 步"),
    (("A", "A", "B"), "第 2 步与第 1 步重复"),
    (("A", "E"), "第 2 步不是本题的步骤.*'E'"),
    (("A", 3), "第 2 步不是本题的步骤"),
    ({"A", "B"}, "learner_order 必须是步骤列表"),
])
def test_malformed_orders_raise_input_error(bad, match):
    with pytest.raises(InputError, match=match):
        score_ordering(ABCD, bad)


def test_malformed_ordering_settings():
    with pytest.raises(InputError, match="pair_weight"):
        score_ordering(ABCD, ABCD, pair_weight=1.5)
    with pytest.raises(InputError, match="points"):
        score_ordering(ABCD, ABCD, points=-1)
    with pytest.raises(InputError, match="correct_order"):
        score_ordering(("A",), ("A",))


@settings(max_examples=200)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["A", "B", "C", "D", "E", ""]), st.integers()), max_size=6))
def test_any_learner_list_gives_a_score_in_range_or_an_input_error(order):
    try:
        r = score_ordering(ABCD, order)
    except InputError as exc:
        assert "learner_order" in str(exc)
    else:
        assert 0 <= r.score <= 100
        assert r.correct == (list(order) == list(ABCD))


# --- checklist --------------------------------------------------------------------------------------------------

def test_checklist_worked_by_hand():
    req, forb = ("a", "b", "c", "d"), ("x", "y")
    assert score_checklist(req, ["a", "b", "c", "d"], forb).score == 100
    # 2 of 4 required, 1 forbidden: 100 × (2 − 1)/4 = 25
    r = score_checklist(req, ["a", "b", "x"], forb)
    assert r.score == 25 and r.found == ("a", "b") and r.missed == ("c", "d") and r.wrong == ("x",)
    assert "还不对" in r.verdict
    assert score_checklist(req, ["x", "y"], forb).score == 0          # 100 × (0 − 2)/4 floored at 0
    assert score_checklist(req, [], forb).score == 0
    # a neutral item changes nothing: 100 × 3/4
    assert score_checklist(req, ["a", "b", "c", "n"], forb, neutral=["n"]).score == 75
    full = score_checklist(req, ["d", "c", "b", "a"], forb)
    assert full.correct and full.verdict == "✔ 回答正确"


@pytest.mark.parametrize("kw, match", [
    ({"chosen": ["a", "z"]}, "第 2 项不是本题的选项.*'z'"),
    ({"chosen": ["a", "a"]}, "重复"),
    ({"chosen": "a"}, "chosen 必须是列表"),
    ({"required": []}, "至少要有 1 项"),
    ({"forbidden": ["a"]}, "不能有相同的项"),
    ({"points": float("nan")}, "points"),
])
def test_malformed_checklists_raise_input_error(kw, match):
    args = {"required": ["a", "b"], "chosen": ["a"], "forbidden": ["x"]}
    args.update(kw)
    with pytest.raises(InputError, match=match):
        score_checklist(args.pop("required"), args.pop("chosen"), args.pop("forbidden"), **args)


@given(st.sets(st.sampled_from(["a", "b", "c", "x", "y", "n"])))
def test_checklist_score_rule_holds_for_any_valid_choice(chosen):
    r = score_checklist(["a", "b", "c"], sorted(chosen), ["x", "y"], neutral=["n"], points=6)
    hits = len(chosen & {"a", "b", "c"})
    wrong = len(chosen & {"x", "y"})
    assert r.score == pytest.approx(6 * max(0, hits - wrong) / 3)


def test_checklist_drill_uses_its_points_and_explanations():
    d = ChecklistDrill("k1", "勾选", ("a", "b"), ("x",), {"a": "做", "b": "做", "x": "别做"}, points=2)
    r = score_drill(d, ["a", "x"])
    assert r.score == 0 and "✘ 不该选：x——别做" in r.feedback
    assert score_drill(d, None).score == 0                             # nothing ticked
    with pytest.raises(InputError, match="不能有相同的项"):
        ChecklistDrill("k2", "勾选", ("a",), ("a",), {"a": "?"})


# --- helpers ----------------------------------------------------------------------------------------------------

def test_display_order_is_a_fixed_shuffle():
    steps = [f"步骤{i}" for i in range(7)]
    once = display_order(steps, "k")
    assert sorted(once) == sorted(steps) and once == display_order(steps, "k")
    assert display_order(steps, "other") != once


def test_scoreboard_counts_first_answers_only():
    d1, d2 = _drill(id="d1"), _drill(id="d2")
    board = DrillScoreboard(total_drills=2)
    assert board.record(score_choice(d1, "甲")) is True                # wrong first: 0 of 2
    assert board.record(score_choice(d1, "乙")) is False               # right later: not counted
    assert board.record(score_choice(d2, "乙")) is True                # right: 2 of 2
    assert (board.earned, board.possible, board.answered) == (2.0, 4.0, 2)
    assert board.summary().startswith("累计得分 2 / 4 分（已答 2 题，共 2 题")


def test_score_drill_rejects_other_objects():
    with pytest.raises(InputError, match="Drill、OrderingDrill 或 ChecklistDrill"):
        score_drill("not a drill", "x")
    with pytest.raises(InputError, match="还没有排好"):
        score_drill(OrderingDrill("o", "排序", ("a", "b"), {"a": "1", "b": "2"}), None)


# --- chapter content --------------------------------------------------------------------------------------------

def test_content_ids_are_unique_and_named_after_their_chapter():
    drills = all_drills()
    assert len({d.id for d in drills}) == len(drills)
    for chapter, items in DRILLS_BY_CHAPTER.items():
        assert items and all(d.id.startswith(chapter + "-") for d in items)
        assert any(isinstance(d, Drill) for d in items)


def test_every_content_drill_scores_its_model_answer_full_and_a_wrong_answer_lower():
    for d in all_drills():
        if isinstance(d, Drill):
            assert score_drill(d, list(d.answer) if d.multiple else d.answer[0]).correct, d.id
            wrong = next(o for o in d.options if o not in d.answer)
            assert score_drill(d, wrong).score == 0, d.id
        elif isinstance(d, OrderingDrill):
            assert score_drill(d, d.steps).correct, d.id
            # reversed: no pair in order; only the middle step of an odd number of steps stays in its slot
            n = len(d.steps)
            assert score_drill(d, d.steps[::-1]).score == pytest.approx(d.points * 0.5 * (n % 2) / n), d.id
            assert display_order(d.steps, d.id) != list(d.steps), f"{d.id}: the shuffle gives the answer away"
        else:
            assert score_drill(d, d.required).correct, d.id
            assert score_drill(d, d.forbidden).score == 0, d.id


def test_customer_type_drills_cover_the_four_motives_and_four_tiers():
    from crmlab.service_content.lxg01 import MOTIVE_DRILLS, TIER_DRILLS

    assert {d.answer[0] for d in MOTIVE_DRILLS} == {"经济型客户", "道德型客户", "个性化客户", "方便型客户"}
    assert {d.answer[0] for d in TIER_DRILLS} >= {"头顶客户", "潜力客户", "常规客户", "临时客户"}


def test_personality_drills_cover_the_six_types_and_match_strategies():
    from crmlab.service_content.lxg05 import PERSONALITY_DRILLS, PERSONALITY_STRATEGIES, STRATEGY_DRILLS

    six = {"冲动型客户", "理智型客户", "挑剔型客户", "遵从型客户", "高傲型客户", "和蔼型客户"}
    assert {d.answer[0] for d in PERSONALITY_DRILLS} == six
    assert {d.answer[0] for d in STRATEGY_DRILLS} == {PERSONALITY_STRATEGIES[k] for k in six}


@given(st.one_of(st.none(), st.text(max_size=4), st.integers(), st.lists(st.text(max_size=2), max_size=3)))
def test_any_answer_to_a_choice_drill_is_scored_or_refused_clearly(answer):
    d = _drill()
    try:
        r = score_choice(d, answer)
    except InputError as exc:
        assert "答案" in str(exc) or "还没有选择" in str(exc)
    else:
        assert answer in d.options and r.score in (0.0, d.points)


@given(st.one_of(st.floats(allow_nan=True), st.integers(-3, 3), st.text(max_size=2), st.none()))
def test_any_points_value_is_checked_when_a_drill_is_built(points):
    try:
        d = _drill(points=points)
    except InputError as exc:
        assert "分值 points" in str(exc) and "'t1'" in str(exc)
    else:
        assert d.points > 0 and math.isfinite(d.points)
