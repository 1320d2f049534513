"""Complaints: log statistics, repurchase after a complaint, the iceberg, the four-step score, and the data."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.complaints import (
    COMPLAINT_DISTRACTORS,
    COMPLAINT_STEPS,
    complaint_iceberg,
    complaint_summary,
    repurchase_after_complaint,
    score_complaint_handling,
    validate_complaint_log,
)


def small_log() -> pd.DataFrame:
    """Five complaints received at 09:00; resolved after 1, 2, 4 and 10 hours, the fifth not resolved."""
    received = pd.Timestamp("2024-03-01 09:00")
    hours = [1, 2, 4, 10, None]
    return pd.DataFrame({
        "complaint_id": [f"K{i}" for i in range(5)],
        "customer_id": ["a", "b", "c", "d", "e"],
        "order_date": ["2024-03-01"] * 5,
        "received": [received.strftime("%Y-%m-%d %H:%M")] * 5,
        "category": ["配送延迟", "配送延迟", "商品质量", "商品质量", "缺货"],
        "channel": ["客服电话", "App 在线客服", "客服电话", "门店", "客服电话"],
        "resolved": [h is not None for h in hours],
        "resolved_at": ["" if h is None else (received + pd.Timedelta(hours=h)).strftime("%Y-%m-%d %H:%M")
                        for h in hours],
        "compensation": [10, 20, 100, 0, 0],
    })


def test_complaint_summary_by_hand():
    s = complaint_summary(small_log(), sla_hours=5)
    assert s.complaints == 5
    assert s.resolved_share == pytest.approx(0.8)                 # 4 of 5
    assert s.median_hours == pytest.approx(3.0)                   # median of 1, 2, 4, 10
    assert s.p90_hours == pytest.approx(8.2)                      # position 0.9 × 3 = 2.7: 4 + 0.7 × (10 − 4)
    assert s.within_sla_share == pytest.approx(0.6)               # 1, 2, 4 h ≤ 5 h; 10 h and unresolved are not
    assert s.compensation == pytest.approx(130.0)
    cat = s.by_category
    assert cat.loc["配送延迟", "complaints"] == 2 and cat.loc["配送延迟", "median_hours"] == pytest.approx(1.5)
    assert cat.loc["商品质量", "within_sla_share"] == pytest.approx(0.5)
    assert cat.loc["缺货", "resolved_share"] == 0.0 and math.isnan(cat.loc["缺货", "median_hours"])
    assert cat["share"].sum() == pytest.approx(1.0)
    assert s.by_channel.loc["客服电话", "complaints"] == 3
    assert s.by_channel.index[0] == "客服电话"                      # most complaints first


@pytest.mark.parametrize(("column", "value", "message"), [
    ("received", "2024-02-30 09:00", "第 3 行、列 received 不是有效时间"),
    ("resolved", "maybe", "第 3 行、列 resolved 必须是 True 或 False"),
    ("resolved_at", "", "第 3 行、列 resolved_at 已解决的投诉必须有有效的解决时间"),
    ("resolved_at", "2024-03-01 08:00", "第 3 行、列 resolved_at 不能早于受理时间"),
    ("category", "物流", "第 3 行、列 category 只能是"),
    ("channel", "信件", "第 3 行、列 channel 只能是"),
    ("compensation", -5, "第 3 行、列 compensation 必须是 ≥ 0"),
    ("complaint_id", "K0", "第 3 行、列 complaint_id 重复"),
])
def test_bad_log_values_name_row_and_column(column, value, message):
    log = small_log()
    log[column] = log[column].astype(object)
    log.loc[2, column] = value
    with pytest.raises(InputError, match=message):
        validate_complaint_log(log)


def test_unresolved_complaint_with_a_time_and_missing_columns():
    log = small_log()
    log.loc[4, "resolved_at"] = "2024-03-02 09:00"
    with pytest.raises(InputError, match="第 5 行、列 resolved_at 未解决的投诉解决时间应为空"):
        validate_complaint_log(log)
    with pytest.raises(InputError, match="缺少列"):
        complaint_summary(small_log().drop(columns="channel"))
    with pytest.raises(InputError, match="服务时限"):
        complaint_summary(small_log(), sla_hours=0)
    with pytest.raises(InputError, match="不能为空"):
        complaint_summary(small_log().iloc[:0])


def test_repurchase_after_complaint_by_hand():
    log = small_log().iloc[:3].copy()
    log["resolved"] = [True, False, True]
    log["resolved_at"] = ["2024-03-01 10:00", "", "2024-03-01 13:00"]
    tx = pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "x", "x", "y", "z", "z", "end"],
        "date": ["2024-02-28", "2024-03-20",     # a: resolved, buys 19 days later → repurchased
                 "2024-05-01",                   # b: unresolved, buys 61 days later → outside 30 days
                 "2024-03-01",                   # c: resolved, only the day of the complaint → not repurchased
                 "2024-02-15", "2024-03-10",     # x: no complaint, bought before and after the reference day
                 "2024-02-20",                   # y: no complaint, bought before only
                 "2024-01-01", "2024-03-05",     # z: no complaint, nothing in the 30 days before → not compared
                 "2024-06-30"],                  # someone's purchase that extends the data to 30 June
    })
    table = repurchase_after_complaint(log, tx, window_days=30)
    # reference day = the complaint day 2024-03-01; non-complainants who bought 31 Jan … 1 Mar: x and y
    assert table.loc["投诉已解决"].tolist() == [2, 1, 0.5]
    assert table.loc["投诉未解决"].tolist() == [1, 0, 0.0]
    assert table.loc["未投诉"].tolist() == [2, 1, 0.5]
    with pytest.raises(InputError, match="观察窗口"):
        repurchase_after_complaint(log, tx, window_days=200)
    with pytest.raises(InputError, match="window_days"):
        repurchase_after_complaint(log, tx, window_days=0)


# --- the iceberg -----------------------------------------------------------------------------------


def test_iceberg_arithmetic():
    # 10 complaints, 4 % of unhappy customers complain → 10 / 0.04 = 250 unhappy, 240 of them silent.
    # Half the complaints resolved → 5 still unhappy complainants; (240 + 5) × 10 people = 2 450 hear bad things;
    # 5 resolved complainants × 5 people = 25 hear good things.
    ice = complaint_iceberg(10, voice_rate=0.04, word_of_mouth=10, resolved_share=0.5, positive_word_of_mouth=5)
    assert (ice.unhappy, ice.silent, ice.unresolved) == pytest.approx((250, 240, 5))
    assert ice.still_unhappy == pytest.approx(245)
    assert ice.negative_told == pytest.approx(2450)
    assert ice.positive_told == pytest.approx(25)
    assert ice.silent_per_complaint == pytest.approx(24)


def test_iceberg_with_the_tarp_one_in_27_reading():
    # "for every customer who complains, 26 do not": one complaint in 27 unhappy customers
    ice = complaint_iceberg(100, voice_rate=1 / 27, word_of_mouth=9)
    assert ice.silent_per_complaint == pytest.approx(26)
    assert ice.negative_told == pytest.approx((2600 + 100) * 9)
    everyone = complaint_iceberg(100, voice_rate=1.0, resolved_share=1.0)
    assert everyone.silent == 0 and everyone.negative_told == 0


@settings(max_examples=80, deadline=None)
@given(n=st.floats(-10, 1e4), v=st.floats(-0.5, 1.5), wom=st.floats(-5, 30), r=st.floats(-0.5, 1.5))
def test_iceberg_validation(n, v, wom, r):
    valid = n >= 0 and 0 < v <= 1 and wom >= 0 and 0 <= r <= 1
    try:
        ice = complaint_iceberg(n, v, wom, r)
    except InputError:
        assert not valid
    else:
        assert valid
        assert ice.unhappy >= ice.complaints - 1e-9 and ice.silent >= -1e-9
        assert ice.negative_told >= 0


# --- the four steps --------------------------------------------------------------------------------


STEP_KEYS = [s.key for s in COMPLAINT_STEPS]


def test_four_steps_in_order():
    assert STEP_KEYS == ["listen", "record", "resolve", "follow_up"]
    assert len(COMPLAINT_DISTRACTORS) >= 3


def test_scores_by_hand():
    perfect = score_complaint_handling(STEP_KEYS)
    assert perfect.score == 100 and perfect.missing == () and perfect.wrong == ()
    # all four reversed: 50 for the steps, none of the 6 pairs in order
    assert score_complaint_handling(STEP_KEYS[::-1]).score == pytest.approx(50.0)
    # the first two only, in order: 50 × 2/4 + 50 × 1/6 = 25 + 8.33…
    two = score_complaint_handling(["listen", "record"])
    assert two.score == pytest.approx(25 + 50 / 6)
    assert two.missing == ("resolve", "follow_up")
    # perfect plan plus one mistake: 100 − 10
    assert score_complaint_handling([*STEP_KEYS, "argue"]).score == pytest.approx(90.0)
    # one swap (record before listen): 5 of 6 pairs → 50 + 50 × 5/6
    assert score_complaint_handling(["record", "listen", "resolve", "follow_up"]).score == pytest.approx(50 + 250 / 6)
    assert score_complaint_handling([]).score == 0
    assert score_complaint_handling(["argue", "transfer"]).score == 0


def test_score_input_errors():
    with pytest.raises(InputError, match="unknown keys"):
        score_complaint_handling(["listen", "shout"])
    with pytest.raises(InputError, match="只能出现一次"):
        score_complaint_handling(["listen", "listen"])
    with pytest.raises(InputError, match="列表"):
        score_complaint_handling("listen")


@settings(max_examples=100, deadline=None)
@given(st.permutations([*STEP_KEYS, *(d.key for d in COMPLAINT_DISTRACTORS)]), st.integers(0, 8))
def test_score_is_between_0_and_100_and_only_perfect_is_100(order, k):
    chosen = order[:k]
    result = score_complaint_handling(chosen)
    assert 0 <= result.score <= 100
    assert (result.score == 100) == (chosen == STEP_KEYS)
    assert result.pairs_in_order <= math.comb(len(result.included), 2)


def test_every_order_of_the_four_steps_scores_by_its_pairs():
    for perm in itertools.permutations(STEP_KEYS):
        pairs = sum(STEP_KEYS.index(a) < STEP_KEYS.index(b) for a, b in itertools.combinations(perm, 2))
        assert score_complaint_handling(list(perm)).score == pytest.approx(50 + 50 * pairs / 6)


# --- the data --------------------------------------------------------------------------------------


def test_committed_log_is_the_generator_output_and_belongs_to_real_orders():
    from crmlab.complaint_data import COMPLAINTS_DEFAULT, generate_complaints, load_complaints
    from crmlab.datasets import load_green_food

    log = load_complaints()
    pd.testing.assert_frame_equal(log, generate_complaints(**COMPLAINTS_DEFAULT), check_dtype=False)
    tx = load_green_food().transactions
    orders = set(zip(tx["customer_id"], tx["date"], strict=True))
    assert all((c, d) in orders for c, d in zip(log["customer_id"], log["order_date"], strict=True))
    delay = (log["received"].dt.normalize() - log["order_date"]).dt.days
    assert delay.between(0, 2).all()
    assert log.loc[~log["resolved"], "compensation"].eq(0).all()
    # documented: 4 % of orders lead to a complaint (binomial, 4 standard deviations)
    assert abs(len(log) / len(tx) - 0.04) < 4 * np.sqrt(0.04 * 0.96 / len(tx))


def test_generator_is_seeded():
    from crmlab.complaint_data import generate_complaints

    a, b = generate_complaints(seed=5), generate_complaints(seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not generate_complaints(seed=6).equals(a)
    with pytest.raises(InputError, match="complaint_rate"):
        generate_complaints(complaint_rate=1.5)


def test_loader_names_file_row_and_column(tmp_path, monkeypatch):
    from crmlab.complaint_data import load_complaints, write_complaints

    (tmp_path / "notebooks").mkdir()
    folder = write_complaints(tmp_path / "datasets" / "complaints")
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    assert len(load_complaints()) > 0
    df = pd.read_csv(folder / "complaints.csv", dtype=str, keep_default_na=False)
    df.loc[5, "category"] = "其他"
    df.to_csv(folder / "complaints.csv", index=False)
    with pytest.raises(InputError, match=r"complaints.csv 第 7 行、列 category 只能是"):
        load_complaints()
    df.loc[5, "category"] = "缺货"
    df.loc[9, "received"] = "2024/01/01"
    df.to_csv(folder / "complaints.csv", index=False)
    with pytest.raises(InputError, match=r"第 11 行、列 received 不是有效时间.*2024/01/01"):
        load_complaints()
