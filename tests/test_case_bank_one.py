"""美国第一银行 "如您所愿" case model: expected accounts and values worked by hand, the break-even accuracy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.cases.bank_one import breakeven_accuracy, offer_comparison


def test_default_comparison_by_hand():
    table = offer_comparison(100_000, 0.7)
    # shares 30/45/25 %, values 600/300/80 元, accept 10 % if matched else 2 %, 5 元 per offer, 1 元 data cost
    # one offer "低利率": 3000 + 900 + 500 accounts → 3000·600 + 900·300 + 500·80 = 2,110,000; cost 500,000
    assert table.loc["统一推荐：低利率", "accounts"] == pytest.approx(4400)
    assert table.loc["统一推荐：低利率", "net"] == pytest.approx(1_610_000)
    # "现金返还": 600·600 + 4500·300 + 500·80 = 1,750,000; "免年费": 600·600 + 900·300 + 2500·80 = 830,000
    assert table.loc["统一推荐：现金返还", "value"] == pytest.approx(1_750_000)
    assert table.loc["统一推荐：免年费", "value"] == pytest.approx(830_000)
    # personalised, 70 % right: everyone accepts with 0.7·0.10 + 0.3·0.02 = 0.076; Σ s·v = 335 元
    assert table.loc["如您所愿：按客户推荐", "accounts"] == pytest.approx(7600)
    assert table.loc["如您所愿：按客户推荐", "value"] == pytest.approx(100_000 * 0.076 * 335)
    assert table.loc["如您所愿：按客户推荐", "cost"] == pytest.approx(600_000)
    # break-even: (1,610,000 + 600,000 − 100,000·0.02·335) / (100,000·0.08·335) = 1,540,000 / 2,680,000
    assert breakeven_accuracy() == pytest.approx(1_540_000 / 2_680_000)


@settings(max_examples=50, deadline=None)
@given(am=st.floats(0.02, 0.5), gap=st.floats(0.001, 0.02), cost=st.floats(0, 20), data=st.floats(0, 5))
def test_at_the_breakeven_accuracy_both_strategies_net_the_same(am, gap, cost, data):
    kw = {"accept_match": am, "accept_mismatch": am - gap, "cost_per_offer": cost, "data_cost": data}
    a = breakeven_accuracy(10_000, **kw)
    if 0 <= a <= 1:
        table = offer_comparison(10_000, a, **kw)
        assert table["net"].iloc[-1] == pytest.approx(table["net"].iloc[:-1].max(), rel=1e-9, abs=1e-6)


def test_bad_inputs():
    with pytest.raises(InputError, match="预测准确率 accuracy"):
        offer_comparison(accuracy=1.2)
    with pytest.raises(InputError, match="不应高于"):
        offer_comparison(accept_match=0.01, accept_mismatch=0.05)
    with pytest.raises(InputError, match="占比 shares 之和"):
        offer_comparison(kinds={"甲": (0.5, "低利率"), "乙": (0.4, "免年费")}, value={"甲": 1.0, "乙": 1.0})
    with pytest.raises(InputError, match="缺少客户类型"):
        offer_comparison(value={"消费型": 1.0})
    with pytest.raises(InputError, match="不要传入 accuracy"):
        breakeven_accuracy(accuracy=0.5)
    assert breakeven_accuracy(accept_match=0.05, accept_mismatch=0.05) == float("inf")
