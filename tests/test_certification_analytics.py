"""Item analysis against hand-computed values on small response matrices (arithmetic in the comments)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from crmlab import InputError
from crmlab.certification.analytics import (
    analyze_responses,
    discrimination_quality,
    group_size,
    load_responses,
)
from crmlab.certification.bank import load_bank
from crmlab.certification.exam import assemble_exam, parse_blueprint
from crmlab.certification.simulate import simulate_responses

FIXTURES = Path(__file__).parent / "fixtures" / "certification"

# Six candidates, four right/wrong items; q1, q2 belong to topic t1, q3, q4 to t2. q4 is "miskeyed": the
# weakest candidates get it right.
#          q1 q2 q3 q4   total
MATRIX = {"A": [1, 1, 1, 0],   # 3
          "B": [1, 1, 1, 0],   # 3
          "C": [1, 0, 0, 1],   # 2
          "D": [1, 1, 0, 0],   # 2
          "E": [0, 0, 0, 1],   # 1
          "F": [0, 0, 0, 1]}   # 1


def _frame(matrix=MATRIX, topics=("t1", "t1", "t2", "t2")):
    return pd.DataFrame([{"candidate_id": c, "question_id": f"q{j + 1}", "response": "", "correct": v,
                          "topic": topics[j]} for c, row in matrix.items() for j, v in enumerate(row)])


@pytest.fixture(scope="module")
def analysis():
    return analyze_responses(_frame())


def test_difficulty_is_the_share_correct(analysis):
    # q1: A B C D of 6 = 2/3; q2: A B D = 1/2; q3: A B = 1/3; q4: C E F = 1/2
    assert analysis.items["p"].tolist() == pytest.approx([2 / 3, 1 / 2, 1 / 3, 1 / 2])


def test_upper_lower_27_percent_discrimination(analysis):
    # group = round(0.27 × 6) = round(1.62) = 2; upper = A, B (total 3), lower = E, F (total 1)
    assert analysis.group == 2
    items = analysis.items
    assert items["p_upper"].tolist() == [1, 1, 1, 0]
    assert items["p_lower"].tolist() == [0, 0, 0, 1]
    assert items["D"].tolist() == [1, 1, 1, -1]
    assert items["quality"].tolist() == ["优", "优", "优", "差"]


def test_point_biserial_and_corrected_item_total(analysis):
    # totals T = 3 3 2 2 1 1, mean 2, population variance (1+1+0+0+1+1)/6 = 2/3.
    # q1: x = 1 1 1 1 0 0 (mean 2/3, var pq = 2/9); cov(x, T) = mean((x − 2/3)(T − 2))
    #   = (1/3 + 1/3 + 0 + 0 + 2/3 + 2/3)/6 = 1/3 → r = (1/3)/sqrt(2/9 · 2/3) = √3/2
    # q4: x = 0 0 1 0 1 1 (var 1/4); cov = (−½ − ½ + 0 + 0 − ½ − ½)/6 = −1/3 → r = (−1/3)/sqrt(1/4 · 2/3) = −√6/3
    items = analysis.items
    assert items.loc["q1", "r_pb"] == pytest.approx(math.sqrt(3) / 2)
    assert items.loc["q4", "r_pb"] == pytest.approx(-math.sqrt(6) / 3)
    # corrected, q1: rest = T − x = 2 2 1 1 1 1 (mean 4/3, var 2/9); cov = (2/9 + 2/9 − 1/9 − 1/9 + 2/9 + 2/9)/6
    #   = 1/9 → r = (1/9)/sqrt(2/9 · 2/9) = 1/2
    # corrected, q4: rest = 3 3 1 2 0 0 (mean 1.5, var 19/12); cov = (−.75 − .75 − .25 − .25 − .75 − .75)/6
    #   = −7/12 → r = (−7/12)/(½ · sqrt(19/12)) = −7/√57
    assert items.loc["q1", "r_corrected"] == pytest.approx(0.5)
    assert items.loc["q4", "r_corrected"] == pytest.approx(-7 / math.sqrt(57))


def test_kr20_and_alpha(analysis):
    # Σpq = 2/9 + 1/4 + 2/9 + 1/4 = 17/18; σ²_T = 2/3 = 12/18 → KR-20 = 4/3 · (1 − 17/12) = −5/9
    assert analysis.kr20 == pytest.approx(-5 / 9)
    assert analysis.alpha == pytest.approx(-5 / 9)        # α = KR-20 for right/wrong items of equal weight
    # without the miskeyed q4: k = 3, Σpq = 2/9 + 1/4 + 2/9 = 25/36; totals 3 3 1 2 0 0, σ² = 19/12
    # KR-20 = 3/2 · (1 − (25/36)/(19/12)) = 3/2 · 32/57 = 16/19
    clean = {c: row[:3] for c, row in MATRIX.items()}
    assert analyze_responses(_frame(clean, ("t1", "t1", "t2"))).kr20 == pytest.approx(16 / 19)


def test_negative_discrimination_is_flagged(analysis):
    assert analysis.flagged().index.tolist() == ["q4"]
    assert "possibly miskeyed" in analysis.items.loc["q4", "flags"]
    assert analysis.items.loc["q1", "flags"] == ""


def test_candidates_topics_and_distribution(analysis):
    cand = analysis.candidates
    assert cand["score"].tolist() == [3, 3, 2, 2, 1, 1]
    assert cand["percent"].tolist() == [75, 75, 50, 50, 25, 25]
    assert cand["passed"].tolist() == [True, True, False, False, False, False]
    assert cand["rank"].tolist() == [1, 1, 3, 3, 5, 5]
    # A: t1 2/2, t2 1/2 → t2; C: t1 1/2, t2 1/2 → tie, first topic t1; D: t1 2/2, t2 0/2 → t2; E: t1 0/2 → t1
    assert cand["weakest_topic"].tolist() == ["t2", "t2", "t1", "t2", "t1", "t1"]
    assert cand.loc["D", "weakest_rate"] == 0
    # class: t1 = (2+2+1+2+0+0)/12 = 7/12, t2 = (1+1+1+0+1+1)/12 = 5/12 → t2 weakest
    assert analysis.class_topics.index.tolist() == ["t2", "t1"]
    assert analysis.class_topics["rate"].tolist() == pytest.approx([5 / 12, 7 / 12])
    dist = analysis.distribution()
    assert dist["candidates"].tolist() == [4, 0, 2, 0, 0]       # 25 25 50 50 below 60; 75 75 in 70–79
    summary = analysis.score_summary()
    assert summary["平均分 mean %"] == 50 and summary["及格率 pass rate"] == pytest.approx(1 / 3)


def test_partial_credit_uses_alpha_not_kr20():
    # marks: item 1 (2 marks) 2 1 0, item 2 (1 mark) 1 1 0 → totals 3 2 0, mean 5/3,
    # σ²_T = ((4/3)² + (1/3)² + (5/3)²)/3 = 14/9; var(item 1) = 2/3, var(item 2) = 2/9
    # α = 2 · (1 − (8/9)/(14/9)) = 6/7
    rows = [("A", "i1", 2, 2), ("B", "i1", 1, 2), ("C", "i1", 0, 2), ("A", "i2", 1, 1), ("B", "i2", 1, 1),
            ("C", "i2", 0, 1)]
    df = pd.DataFrame(rows, columns=["candidate_id", "question_id", "score", "max_score"]).assign(topic="t")
    a = analyze_responses(df)
    assert a.kr20 is None
    assert a.alpha == pytest.approx(6 / 7)
    assert a.group == 1                                            # round(0.27 × 3) = round(0.81) = 1
    assert a.items.loc["i1", "p"] == pytest.approx(0.5)            # (1 + 0.5 + 0)/3
    assert a.items.loc["i1", "D"] == 1                              # A has 2/2, C 0/2
    assert a.candidates["percent"].tolist() == pytest.approx([100, 200 / 3, 0])


def test_group_size_and_quality_bands():
    assert [group_size(n) for n in (3, 6, 10, 100)] == [1, 2, 3, 27]
    with pytest.raises(InputError, match="group_fraction"):
        group_size(10, 0.6)
    assert [discrimination_quality(d) for d in (0.45, 0.35, 0.25, 0.1, float("nan"))] == [
        "优", "良", "尚可", "差", "无法计算"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda df: df.drop(columns=["candidate_id"]), "missing column candidate_id"),
    (lambda df: df.drop(columns=["correct"]), "correct .* score"),
    (lambda df: df.assign(correct=[2] + [1] * (len(df) - 1)), "第 2 行 row 2: 列 correct 必须是 0 或 1"),
    (lambda df: pd.concat([df, df.iloc[[3]]], ignore_index=True), "第 26 行 row 26: 考生 A 的题目 q4 重复"),
    (lambda df: df.assign(question_id=df["question_id"].where(df.index != 5, "")), "第 7 行 row 7: 列 question_id"),
])
def test_load_responses_names_row_and_column(change, message):
    with pytest.raises(InputError, match=message):
        load_responses(change(_frame()))


def test_scores_must_fit_their_marks_and_rows_must_be_complete():
    df = pd.DataFrame({"candidate_id": ["A", "B"], "question_id": ["q", "q"], "score": [3, 1], "max_score": [2, 2],
                       "topic": "t"})
    with pytest.raises(InputError, match="第 2 行 row 2: 列 score 必须在 0 和 max_score 之间"):
        load_responses(df)
    holes = _frame().iloc[1:]                                       # A has no row for q1
    with pytest.raises(InputError, match="考生 A 没有题目 q1 的作答记录"):
        analyze_responses(holes)
    a = analyze_responses(holes, missing="zero")
    assert a.candidates.loc["A", "score"] == 2


def test_topic_is_looked_up_in_the_bank_when_missing(tmp_path):
    bank = load_bank(FIXTURES)
    csv = tmp_path / "r.csv"
    pd.DataFrame({"candidate_id": ["1", "2", "1", "2"], "question_id": ["tst01-001", "tst01-001", "tst02-001",
                                                                         "tst02-001"],
                  "correct": [1, 0, 0, 1]}).to_csv(csv, index=False)
    df = load_responses(csv, bank)
    assert df["topic"].tolist() == ["tst01", "tst01", "tst02", "tst02"]
    assert df["candidate_id"].tolist() == ["1", "2", "1", "2"]             # ids stay text
    pd.DataFrame({"candidate_id": ["1"], "question_id": ["zzz-1"], "correct": [1]}).to_csv(csv, index=False)
    with pytest.raises(InputError, match="第 2 行 row 2: 题目 question_id 'zzz-1' 不在题库中"):
        load_responses(csv, bank)


def test_simulated_class_flags_the_miskeyed_item():
    bank = load_bank(FIXTURES)
    bp = parse_blueprint({"title": "模拟", "time_limit_minutes": 20,
                          "points": {"single": 1, "multiple": 2, "judge": 1, "calc": 5, "case": 8},
                          "counts": {"tst01": {"single": 2, "multiple": 1, "judge": 1, "calc": 1, "case": 1},
                                     "tst02": {"single": 1, "judge": 1, "calc": 1}}})
    exam = assemble_exam(bank, bp, 2)
    sim = simulate_responses(exam, n_candidates=300, seed=4, miskeyed=["tst01-002"])
    assert sim.equals(simulate_responses(exam, n_candidates=300, seed=4, miskeyed=["tst01-002"]))
    assert len(sim) == 300 * 9 and sim.attrs["miskeyed"] == ["tst01-002"]
    a = analyze_responses(sim, bank)
    assert a.items.loc["tst01-002", "D"] < 0
    assert "tst01-002" in a.flagged().index
    assert a.kr20 is None and a.alpha is not None                 # the case item has partial marks
    with pytest.raises(InputError, match="不在试卷中"):
        simulate_responses(exam, miskeyed=["nope"])


@settings(max_examples=60, deadline=None)
@given(arrays(np.int8, st.tuples(st.integers(2, 12), st.integers(2, 6)), elements=st.integers(0, 1)))
def test_properties_on_random_right_wrong_matrices(m):
    df = pd.DataFrame([{"candidate_id": f"c{i:02d}", "question_id": f"q{j}", "correct": int(m[i, j]), "topic": "t"}
                       for i in range(m.shape[0]) for j in range(m.shape[1])])
    a = analyze_responses(df)
    assert a.items["p"].tolist() == pytest.approx(m.mean(axis=0).tolist())
    assert ((a.items["D"] >= -1) & (a.items["D"] <= 1)).all()
    if a.kr20 is not None:
        assert a.kr20 == pytest.approx(a.alpha) and a.kr20 <= 1 + 1e-9
    assert (a.candidates["score"].to_numpy() == m.sum(axis=1)).all()
