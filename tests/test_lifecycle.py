"""客户状态、生命周期阶段与迁移 — hand-worked examples, published examples and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.lifecycle import (
    BOOK_STATES,
    GREEN_FOOD_APP,
    StageRules,
    StateRules,
    classify_stages,
    classify_states,
    expected_periods_until,
    project_distribution,
    state_flows,
    transition_matrix,
)

AS_OF = "2024-06-30"  # the 90-day window is 2024-04-02 … 2024-06-30


def green_food_case():
    """Eight customers whose green-food states are worked out by hand below."""
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C", "D", "E", "F", "G", "H"],
        "registered": ["2024-01-05"] * 8,
    })
    tx = pd.DataFrame([
        # B: one purchase in the window → 新客户
        ("B", "2024-06-01", 80.0),
        # C: two purchases in the window, 300 元 in total → 老客户
        ("C", "2024-05-01", 100.0), ("C", "2024-06-20", 200.0),
        # D: bought in January only, nothing in the last 90 days → 流失客户
        ("D", "2024-01-20", 50.0),
        # E: one purchase of 520 元 in the window: more than 500 元 → VIP客户 (VIP is checked before 新/老)
        ("E", "2024-06-10", 520.0),
        # F: exactly 500 元 in the window is not "超过 500 元" → two purchases → 老客户
        ("F", "2024-04-10", 250.0), ("F", "2024-06-10", 250.0),
        # G: purchase on 2024-04-01 is 90 days before as-of: outside the window; one inside → 新客户
        ("G", "2024-04-01", 60.0), ("G", "2024-04-02", 60.0),
        # H: three purchases, 600 元 → VIP客户
        ("H", "2024-04-15", 200.0), ("H", "2024-05-15", 200.0), ("H", "2024-06-15", 200.0),
    ], columns=["customer_id", "date", "amount"])
    # A registered but never bought → 潜在客户
    expected = {"A": "潜在客户", "B": "新客户", "C": "老客户", "D": "流失客户", "E": "VIP客户",
                "F": "老客户", "G": "新客户", "H": "VIP客户"}
    return customers, tx, expected


def test_green_food_preset_matches_hand_worked_answer():
    customers, tx, expected = green_food_case()
    result = classify_states(customers, tx, AS_OF, GREEN_FOOD_APP)
    assert result["state"].to_dict() == expected
    assert result.loc["H", "amount_window"] == 600.0
    assert result.loc["G", "purchases_window"] == 1


def test_green_food_preset_is_the_books_definition():
    assert GREEN_FOOD_APP.window_days == 90
    assert GREEN_FOOD_APP.repeat_min == 2
    assert GREEN_FOOD_APP.loyal_min_amount == 500
    assert GREEN_FOOD_APP.state_labels() == ["潜在客户", "新客户", "老客户", "VIP客户", "流失客户"]


def test_book_states_use_target_and_non_customer_flags():
    customers = pd.DataFrame({
        "customer_id": [1, 2, 3, 4, 5], "registered": ["2024-01-01"] * 5,
        "target": [True, False, False, True, False], "non_customer": [False, False, True, False, False],
    })
    tx = pd.DataFrame({"customer_id": [4] * 4 + [5], "date": ["2024-02-01", "2024-03-01", "2024-04-01",
                                                              "2024-05-01", "2024-05-01"],
                       "amount": [10.0] * 5})
    states = classify_states(customers, tx, "2024-06-01", BOOK_STATES)["state"].to_dict()
    assert states == {1: "目标客户", 2: "潜在客户", 3: "非客户", 4: "忠诚客户", 5: "初次购买客户"}


def test_flows_count_moves_between_two_dates():
    customers, tx, _ = green_food_case()
    flows = state_flows(customers, tx, "2024-03-31", AS_OF, GREEN_FOOD_APP)
    # On 2024-03-31 only D had bought (2024-01-20, inside that window) → 新客户; the rest were 潜在客户.
    assert flows.loc["新客户", "流失客户"] == 1
    assert flows.loc["潜在客户", "VIP客户"] == 2
    assert flows.loc["潜在客户", "老客户"] == 2
    assert flows.loc["潜在客户", "潜在客户"] == 1
    assert flows.to_numpy().sum() == 8


def test_future_dates_raise_unless_truncated():
    customers, tx, _ = green_food_case()
    with pytest.raises(InputError, match=r"交易日期 date 2024-06-01 晚于截止日期 as_of 2024-05-31"):
        classify_states(customers, tx, "2024-05-31", GREEN_FOOD_APP)
    late = customers.assign(registered="2024-07-01")
    with pytest.raises(InputError, match="注册日期 registered 2024-07-01 晚于截止日期"):
        classify_states(late, tx.iloc[:0], AS_OF)
    assert len(classify_states(customers, tx, "2024-05-31", GREEN_FOOD_APP, truncate=True)) == 8


@pytest.mark.parametrize(("bad_tx", "message"), [
    (pd.DataFrame({"customer_id": ["B"], "date": ["2024-06-01"], "amount": [-5.0]}), "金额 amount.*-5.0"),
    (pd.DataFrame({"customer_id": ["Z"], "date": ["2024-06-01"], "amount": [5.0]}), "customer_id 不在客户表中.*'Z'"),
    (pd.DataFrame({"customer_id": ["B"], "date": ["someday"], "amount": [5.0]}), "交易日期 date 不是有效日期.*someday"),
    (pd.DataFrame({"customer_id": ["B"], "date": ["2023-12-01"], "amount": [5.0]}), "早于注册日期"),
    (pd.DataFrame({"customer_id": ["B"], "when": ["2024-06-01"], "amount": [5.0]}),
     r"缺少列 missing columns \['date'\]"),
])
def test_bad_transactions_are_named(bad_tx, message):
    customers, _, _ = green_food_case()
    with pytest.raises(InputError, match=message):
        classify_states(customers, bad_tx, AS_OF)


def test_bad_rules_are_named():
    with pytest.raises(InputError, match="观察窗口天数 window_days.*0"):
        StateRules(name="x", window_days=0)
    with pytest.raises(InputError, match="count_scope"):
        StateRules(name="x", count_scope="forever")
    with pytest.raises(InputError, match="下降阈值 decline_drop"):
        StageRules(decline_drop=1.5)


# Every customer gets exactly one state, whatever the data (property-based).
customer_ids = st.integers(0, 30)
dates = st.dates(min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2024-06-30").date())


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 30),
    purchases=st.lists(st.tuples(customer_ids, dates, st.floats(0, 2000)), max_size=80),
    flags=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=30, max_size=30),
    rules=st.sampled_from([BOOK_STATES, GREEN_FOOD_APP]),
)
def test_every_customer_gets_exactly_one_state(n, purchases, flags, rules):
    customers = pd.DataFrame({"customer_id": range(n), "registered": "2023-01-01",
                              "target": [f[0] for f in flags[:n]], "non_customer": [f[1] for f in flags[:n]]})
    tx = pd.DataFrame([p for p in purchases if p[0] < n], columns=["customer_id", "date", "amount"])
    result = classify_states(customers, tx, "2024-06-30", rules)
    assert sorted(result.index) == list(range(n))
    assert result["state"].isin(rules.state_labels()).all()
    assert result["state"].notna().all()


# --- lifecycle stages ---------------------------------------------------------------------------

def test_stages_follow_the_documented_rules():
    customers = pd.DataFrame({"customer_id": list("PQRST"), "registered": "2022-01-01"})
    tx = pd.DataFrame([
        ("P", "2024-06-01", 100.0),                                   # first purchase 29 days ago → 考察期
        ("Q", "2023-01-10", 100.0), ("Q", "2024-02-01", 300.0),       # previous 300 → recent 0 → 退化期
        ("R", "2024-01-15", 100.0), ("R", "2024-05-15", 200.0),       # +100 % and tenure < 365 → 形成期
        ("S", "2022-03-01", 100.0), ("S", "2024-03-01", 200.0), ("S", "2024-05-01", 210.0),  # +5 % → 稳定期
        ("T", "2022-03-01", 100.0), ("T", "2024-03-15", 200.0), ("T", "2024-06-15", 150.0),  # −25 % → 稳定期
    ], columns=["customer_id", "date", "amount"])
    stages = classify_stages(customers, tx, "2024-06-30")
    assert stages["stage"].to_dict() == {"P": "考察期", "Q": "退化期", "R": "形成期", "S": "稳定期", "T": "稳定期"}
    assert stages.loc["S", "change"] == pytest.approx(0.05)
    assert stages.loc["Q", "task"].startswith("诊断")
    strict = classify_stages(customers, tx, "2024-06-30", StageRules(decline_drop=0.2))
    assert strict.loc["T", "stage"] == "退化期"


# --- migration ----------------------------------------------------------------------------------

def test_transition_matrix_from_snapshots():
    s0 = pd.Series({1: "a", 2: "a", 3: "a", 4: "b"})
    s1 = pd.Series({1: "a", 2: "b", 3: "a", 4: "b", 5: "a"})
    s2 = pd.Series({1: "b", 2: "b", 3: "a", 4: "a", 5: "a"})
    P, counts = transition_matrix([s0, s1, s2])
    # moves: a→a 1,3 (t0→t1), 3,5 (t1→t2) = 4; a→b 2 (t0→t1), 1 (t1→t2) = 2; b→b 4, 2 = 2; b→a 4 = 1
    assert counts.loc["a"].tolist() == [4, 2] and counts.loc["b"].tolist() == [1, 2]
    assert P.loc["a", "b"] == pytest.approx(2 / 6) and P.loc["b", "a"] == pytest.approx(1 / 3)


def test_projection_is_the_matrix_power():
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.0, 0.0, 1.0]])
    out = project_distribution(P, [100, 50, 0], 4)
    np.testing.assert_allclose(out.iloc[4].to_numpy(), np.array([100, 50, 0]) @ np.linalg.matrix_power(P, 4))
    assert out.iloc[4].sum() == pytest.approx(150)


def test_expected_periods_until_loss_two_states():
    # With retention r the number of periods until loss is geometric with mean 1 / (1 − r).
    r = 0.8
    P = pd.DataFrame([[r, 1 - r], [0, 1]], index=["活跃", "流失"], columns=["活跃", "流失"])
    assert expected_periods_until(P, ["流失"])["活跃"] == pytest.approx(5.0)


def test_expected_steps_drunkards_walk():
    # Grinstead & Snell, Introduction to Probability, ch. 11 (absorbing chains), the drunkard's walk on
    # 0…4 with absorbing ends: expected steps to absorption from 1, 2, 3 are 3, 4, 3.
    P = np.zeros((5, 5))
    P[0, 0] = P[4, 4] = 1
    for i in (1, 2, 3):
        P[i, i - 1] = P[i, i + 1] = 0.5
    m = expected_periods_until(P, [0, 4])
    assert m.tolist() == pytest.approx([3.0, 4.0, 3.0])


def test_unreachable_target_gives_infinity():
    P = np.array([[1.0, 0.0], [0.5, 0.5]])
    m = expected_periods_until(P, [1])
    assert m[0] == np.inf


def test_bad_transition_matrix():
    with pytest.raises(InputError, match=r"第 0 行之和 row sum 必须为 1，收到 0.9"):
        project_distribution([[0.5, 0.4], [0.5, 0.5]], [1, 1], 2)
    with pytest.raises(InputError, match=r"P\[0\]\[0\] 必须在 0 和 1 之间，收到 1.1$"):
        expected_periods_until([[1.1, -0.1], [0, 1]], [1])


def test_snapshots_feed_the_transition_matrix():
    from crmlab.lifecycle import state_snapshots

    customers, tx, expected = green_food_case()
    snaps = state_snapshots(customers, tx, ["2024-03-31", AS_OF], GREEN_FOOD_APP)
    assert snaps[1].to_dict() == expected
    P, counts = transition_matrix(snaps, GREEN_FOOD_APP.state_labels())
    assert counts.to_numpy().sum() == 8
    assert P.loc["新客户", "流失客户"] == 1.0
    with pytest.raises(InputError, match="递增"):
        state_snapshots(customers, tx, [AS_OF, "2024-03-31"], GREEN_FOOD_APP)


def test_book_states_count_purchases_over_the_whole_history():
    # 初次购买 is a first purchase: a customer won back after two earlier purchases is 重复购买 under
    # the book's rules, while the green-food app (counting only its 90-day window) calls them 新客户.
    customers = pd.DataFrame({"customer_id": [1], "registered": ["2022-01-01"]})
    tx = pd.DataFrame({"customer_id": [1, 1, 1], "date": ["2022-02-01", "2022-03-01", "2024-06-01"],
                       "amount": [10.0, 10.0, 10.0]})
    assert classify_states(customers, tx, AS_OF, BOOK_STATES).loc[1, "state"] == "重复购买客户"
    assert classify_states(customers, tx, AS_OF, GREEN_FOOD_APP).loc[1, "state"] == "新客户"


def test_shift_transition_moves_probability_from_staying():
    from crmlab.lifecycle import shift_transition

    labels = ["活跃", "流失"]
    P = pd.DataFrame([[0.8, 0.2], [0.1, 0.9]], index=labels, columns=labels)
    Q = shift_transition(P, "流失", "活跃", 0.05)
    assert Q.loc["流失"].tolist() == pytest.approx([0.15, 0.85])
    assert Q.loc["活跃"].tolist() == [0.8, 0.2]            # other rows untouched
    assert P.loc["流失", "活跃"] == 0.1                     # the input is not modified
    with pytest.raises(InputError, match="调整量 amount = 0.95 太大"):
        shift_transition(P, "流失", "活跃", 0.95)
    with pytest.raises(InputError, match="unknown state.*'沉睡'"):
        shift_transition(P, "沉睡", "活跃", 0.01)
