"""Chapter 3: the selection scoring sheet and look-alike scores, worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.selection import lookalike_scores, selection_score


def test_selection_score_by_hand():
    candidates = pd.DataFrame({"财力": [9, 4], "品味": [8, 9], "忠诚潜力": [5, 7]}, index=["企业家", "白领"])
    table = selection_score(candidates, {"财力": 2, "品味": 1, "忠诚潜力": 1})
    # weights normalised to .5/.25/.25: 企业家 4.5 + 2 + 1.25 = 7.75; 白领 2 + 2.25 + 1.75 = 6.0
    assert table.index.tolist() == ["企业家", "白领"]
    assert table["score"].tolist() == pytest.approx([7.75, 6.0])
    assert table.loc["企业家", "财力"] == pytest.approx(4.5)
    assert table["rank"].tolist() == [1, 2]


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.floats(0, 10), min_size=1).filter(
    lambda w: sum(w.values()) > 0))
def test_score_stays_on_the_rating_scale(weights):
    candidates = pd.DataFrame({"a": [0, 10, 3], "b": [10, 0, 3], "c": [5, 5, 3]})
    scores = selection_score(candidates, weights)["score"]
    assert ((scores >= 0) & (scores <= 10)).all()
    assert scores.loc[2] == pytest.approx(3.0)  # all-3 ratings score 3 whatever the weights


@pytest.mark.parametrize(("weights", "ratings", "message"), [
    ({"a": -1}, {"a": [1]}, "权重 a weight"),
    ({"a": 0}, {"a": [1]}, "不能全为 0"),
    ({"a": 1}, {"a": [11]}, "第 1 行的 a 必须在 0 和 10 之间，收到 11"),
    ({"b": 1}, {"a": [1]}, r"缺少列 missing columns \['b'\]"),
    ({"a": 1}, {"a": ["x"]}, "第 1 行的 a 不是有限数字，收到 'x'"),
])
def test_selection_errors(weights, ratings, message):
    with pytest.raises(InputError, match=message):
        selection_score(pd.DataFrame(ratings), weights)


def test_lookalike_by_hand():
    loyal = pd.DataFrame({"orders": [10, 12, 14], "spend": [100, 100, 100]})   # mean 12, sd 2; spend sd 0 → 1
    prospects = pd.DataFrame({"orders": [12, 16], "spend": [100, 101]}, index=["p1", "p2"])
    out = lookalike_scores(prospects, loyal, ["orders", "spend"])
    assert out.index.tolist() == ["p1", "p2"]
    assert out.loc["p1", "similarity"] == pytest.approx(1.0)
    # p2: z = (2, 1) → Σz² = 5, K = 2 → exp(−5/4)
    assert out.loc["p2", "orders_gap"] == pytest.approx(2.0)
    assert out.loc["p2", "similarity"] == pytest.approx(math.exp(-5 / 4))
    assert out.loc["p2", "distance"] == pytest.approx(math.sqrt(5))
    with pytest.raises(InputError, match="至少需要 2 行"):
        lookalike_scores(prospects, loyal.iloc[:1], ["orders"])
