"""Service-desk metrics on hand-computed logs, FAQ deflection economics, the agent dashboard and performance pay."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.service_metrics import (
    KPI_DEFINITIONS,
    PayScheme,
    agent_dashboard,
    agents_on_duty,
    arrival_pattern,
    backlog,
    deflectable_share,
    faq_deflection_economics,
    first_response_minutes,
    handle_cost_per_ticket,
    monthly_tickets,
    performance_pay,
    resolution_hours,
    response_summary,
    sla_attainment,
    staff_cost_per_ticket,
    staffed_hours,
)
from crmlab.ticket_data import load_service_tickets


def four_tickets() -> pd.DataFrame:
    """Four tickets on Monday 2024-12-02:

    T1 电话   created 09:00:00, answered 09:00:20 (FRT 1/3 min), resolved 09:05 (5 min), first contact, rated 5
    T2 电话   created 09:01:00, answered 09:02:00 (FRT 1 min),   resolved 11:01 (2 h)
    T3 在线客服 created 09:30:00, answered 09:31:30 (FRT 1.5 min), still open
    T4 邮件   created 08:00:00, answered 12:00:00 (FRT 240 min), resolved 20:00 (12 h), reopened, rated 2
    """
    return pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3", "T4"],
        "customer_id": ["C1", "C2", "C3", "C4"],
        "agent_id": ["A1", "A1", "A2", "A1"],
        "channel": ["电话", "电话", "在线客服", "邮件"],
        "category": ["配送查询", "退款售后", "优惠活动", "商品质量"],
        "created": pd.to_datetime(["2024-12-02 09:00:00", "2024-12-02 09:01:00", "2024-12-02 09:30:00",
                                   "2024-12-02 08:00:00"]),
        "first_response": pd.to_datetime(["2024-12-02 09:00:20", "2024-12-02 09:02:00", "2024-12-02 09:31:30",
                                          "2024-12-02 12:00:00"]),
        "resolved": pd.to_datetime(["2024-12-02 09:05:00", "2024-12-02 11:01:00", None, "2024-12-02 20:00:00"]),
        "resolved_first_contact": [True, False, False, False],
        "satisfaction": [5, np.nan, np.nan, 2],
        "reopened": [False, False, False, True],
        "handle_minutes": [5.0, 12.0, 8.0, 20.0],
    })


def two_agents() -> pd.DataFrame:
    return pd.DataFrame({"agent_id": ["A1", "A2"], "team": ["电话组", "在线组"],
                         "hire_date": ["2023-01-01", "2024-01-01"], "shift": ["早班", "晚班"],
                         "days_off": ["周六、周日", ""]})


# --- times, summary, SLA ---------------------------------------------------------------------------------------

def test_first_response_and_resolution_times_by_hand():
    frt = first_response_minutes(four_tickets())
    assert frt.to_dict() == pytest.approx({"T1": 1 / 3, "T2": 1.0, "T3": 1.5, "T4": 240.0})
    res = resolution_hours(four_tickets())
    assert res[["T1", "T2", "T4"]].tolist() == pytest.approx([5 / 60, 2.0, 12.0]) and np.isnan(res["T3"])


def test_response_summary_by_hand():
    s = response_summary(four_tickets())
    total = s.loc["合计"]
    assert total["tickets"] == 4
    assert total["frt_median_min"] == pytest.approx(1.25)            # (1 + 1.5) / 2
    # P90 of [1/3, 1, 1.5, 240]: position 0.9 × 3 = 2.7 → 1.5 + 0.7 × (240 − 1.5) = 168.45
    assert total["frt_p90_min"] == pytest.approx(168.45)
    assert total["resolved_share"] == 0.75 and total["resolution_median_h"] == pytest.approx(2.0)
    assert total["fcr_rate"] == 0.25 and total["reopen_rate"] == 0.25
    assert total["satisfaction"] == 3.5 and total["ratings"] == 2
    phone = s.loc["电话"]
    assert phone["tickets"] == 2 and phone["frt_median_min"] == pytest.approx((1 / 3 + 1) / 2)
    assert phone["fcr_rate"] == 0.5 and phone["satisfaction"] == 5
    assert list(s.index) == ["电话", "在线客服", "邮件", "合计"]     # channels in the book order, total last
    assert np.isnan(s.loc["在线客服", "resolution_median_h"])       # its only ticket is open
    by_agent = response_summary(four_tickets(), by="agent_id")
    assert by_agent.loc["A1", "tickets"] == 3
    with pytest.raises(InputError, match="by"):
        response_summary(four_tickets(), by="nope")


def test_sla_attainment_by_hand():
    # default SLA: 电话 0.5 min, 在线客服 2 min, 邮件 1440 min → T1 yes, T2 no (1 > 0.5), T3 yes, T4 yes
    s = sla_attainment(four_tickets())
    assert s.loc["电话", ["tickets", "within_sla"]].tolist() == [2, 1] and s.loc["电话", "share"] == 0.5
    assert s.loc["在线客服", "share"] == 1.0 and s.loc["邮件", "share"] == 1.0
    assert s.loc["合计", "share"] == 0.75
    # one limit of 1 minute everywhere (inclusive): T1 yes, T2 yes (exactly 1), T3 no, T4 no
    one = sla_attainment(four_tickets(), 1)
    assert one.loc["合计", "within_sla"] == 2 and one.loc["电话", "share"] == 1.0
    # an unanswered ticket is never within the SLA
    log = four_tickets()
    log.loc[2, ["first_response", "resolved"]] = pd.NaT
    log.loc[2, "agent_id"] = None
    assert sla_attainment(log).loc["在线客服", "share"] == 0.0


@pytest.mark.parametrize(("sla", "message"), [
    ({"电话": 1, "传真": 5}, "传真"), ({"电话": -1, "在线客服": 2, "邮件": 3}, "必须大于 0"),
    ({"电话": 1}, "'在线客服' 没有给出服务时限"), (0, "必须大于 0"), ("fast", "sla_minutes"),
])
def test_sla_input_errors(sla, message):
    with pytest.raises(InputError, match=message):
        sla_attainment(four_tickets(), sla)


# --- arrivals and staffing ---------------------------------------------------------------------------------------

def test_arrival_pattern_by_hand():
    # one day: 08:xx one e-mail (T4); 09:xx two calls (T1, T2) and one chat (T3)
    by_hour = arrival_pattern(four_tickets())
    assert list(by_hour.index) == list(range(24)) and list(by_hour.columns) == ["电话", "在线客服", "邮件", "合计"]
    assert by_hour.loc[8].tolist() == [0, 0, 1, 1] and by_hour.loc[9].tolist() == [2, 1, 0, 3]
    assert by_hour["合计"].sum() == 4
    by_day = arrival_pattern(four_tickets(), by="weekday")
    assert by_day.loc["周一", "合计"] == 4 and by_day.loc["周二"].isna().all()   # the log holds one Monday only
    log = four_tickets()
    log.loc[3, "created"] = pd.Timestamp("2024-11-25 08:00")     # a week earlier: 8 days, two Mondays
    log.loc[3, ["first_response", "resolved"]] = [pd.Timestamp("2024-11-25 12:00"), pd.Timestamp("2024-11-25 20:00")]
    assert arrival_pattern(log).loc[9, "电话"] == pytest.approx(2 / 8)
    assert arrival_pattern(log, by="weekday").loc["周一", "合计"] == pytest.approx(4 / 2)
    with pytest.raises(InputError, match="by"):
        arrival_pattern(four_tickets(), by="month")


def test_agents_on_duty_by_hand():
    # A1 早班 08–16 Mon–Fri; A2 晚班 14–22 every day
    times = ["2024-12-02 07:59", "2024-12-02 08:00", "2024-12-02 15:00", "2024-12-02 16:00", "2024-12-02 22:00",
             "2024-12-07 10:00", "2024-12-07 15:00"]
    assert agents_on_duty(two_agents(), times).tolist() == [0, 1, 2, 1, 0, 0, 1]
    assert agents_on_duty(two_agents(), times, team="电话组").tolist() == [0, 1, 1, 0, 0, 0, 0]
    late = two_agents()
    late.loc[1, "hire_date"] = "2024-12-05"
    assert agents_on_duty(late, ["2024-12-02 15:00", "2024-12-05 15:00"]).tolist() == [1, 2]
    with pytest.raises(InputError, match="team"):
        agents_on_duty(two_agents(), times, team="售后组")


# --- backlog -----------------------------------------------------------------------------------------------------

def test_backlog_counts_by_hand():
    times = ["2024-12-02 08:30", "2024-12-02 09:00:30", "2024-12-02 09:31", "2024-12-02 12:00", "2024-12-02 21:00"]
    b = backlog(four_tickets(), times=times)
    # 08:30 only T4 exists; 09:00:30 T4 waits, T1 answered; 09:31 T1 resolved, T3 and T4 not yet answered;
    # 12:00 T2 resolved (11:01), T4 answered at exactly 12:00; 21:00 only T3 still open
    assert b["created"].tolist() == [1, 2, 4, 4, 4]
    assert b["open"].tolist() == [1, 2, 3, 2, 1]
    assert b["awaiting_response"].tolist() == [1, 1, 2, 0, 0]


def test_backlog_grid_and_errors():
    b = backlog(four_tickets(), freq="6h")
    assert b.index[0] == pd.Timestamp("2024-12-02") and b.index[-1] == pd.Timestamp("2024-12-03")
    # 00:00 and 06:00 nothing yet; 12:00 and 18:00 T3, T4 open (T1, T2 resolved); 24:00 only T3
    assert b["open"].tolist() == [0, 0, 2, 2, 1]
    with pytest.raises(InputError, match="freq"):
        backlog(four_tickets(), freq="every hour")
    with pytest.raises(InputError, match="end"):
        backlog(four_tickets(), start="2024-12-03", end="2024-12-02")


def test_vectorised_backlog_equals_counting_ticket_by_ticket():
    tk = load_service_tickets().tickets
    times = pd.to_datetime(["2024-10-01 07:00", "2024-11-15 20:00", "2024-11-16 12:00", "2024-12-31 23:00",
                            "2025-01-06 00:00"])
    b = backlog(tk, times=times)
    for t in times:
        is_open = (tk["created"] <= t) & ~(tk["resolved"] <= t)
        waiting = (tk["created"] <= t) & ~(tk["first_response"] <= t)
        assert b.loc[t, "open"] == is_open.sum() and b.loc[t, "awaiting_response"] == waiting.sum()


def test_backlog_builds_up_in_the_promotion_week():
    tk = load_service_tickets().tickets
    daily_noon = backlog(tk, freq="1D", start="2024-10-01 12:00", end="2024-12-31 12:00")
    october = daily_noon.loc["2024-10", "open"].median()
    assert daily_noon.loc["2024-11-11":"2024-11-20", "open"].max() > 2.5 * october
    assert daily_noon.loc["2024-12", "open"].median() < 1.5 * october          # and drains afterwards


# --- FAQ deflection ------------------------------------------------------------------------------------------

def test_faq_economics_worked_example():
    # 2,700 × 45 % × 40 % = 486 tickets; × 12 元 = 5,832 元; − 1,500 = 4,332 元/月; 30,000 / 4,332 ≈ 6.925 months
    e = faq_deflection_economics(2700, 0.45, 0.40, 12, 30_000, 1_500)
    assert e.deflected_per_month == pytest.approx(486)
    assert e.gross_savings_per_month == pytest.approx(5832)
    assert e.net_savings_per_month == pytest.approx(4332)
    assert e.payback_months == pytest.approx(30_000 / 4332)
    assert e.cumulative(12) == pytest.approx(-30_000 + 12 * 4332)
    assert "回收期 6.9 个月" in repr(e)


def test_faq_that_never_pays_back_and_free_build():
    never = faq_deflection_economics(100, 0.5, 0.2, 10, 5_000, 200)     # saves 100 元, upkeep 200 元
    assert never.net_savings_per_month == pytest.approx(-100) and math.isinf(never.payback_months)
    assert "永远收不回" in repr(never)
    assert faq_deflection_economics(100, 0.5, 0.2, 10, 0, 0).payback_months == 0


@pytest.mark.parametrize(("args", "field"), [
    ((-1, 0.5, 0.5, 10, 0, 0), "tickets_per_month"), ((100, 1.5, 0.5, 10, 0, 0), "deflectable_share"),
    ((100, 0.5, -0.1, 10, 0, 0), "deflection_rate"), ((100, 0.5, 0.5, -10, 0, 0), "cost_per_ticket"),
    ((100, 0.5, 0.5, 10, float("nan"), 0), "faq_build_cost"), ((100, 0.5, 0.5, 10, 0, "x"), "faq_upkeep_per_month"),
])
def test_faq_input_errors_name_the_field(args, field):
    with pytest.raises(InputError, match=field):
        faq_deflection_economics(*args)


@settings(max_examples=100, deadline=None)
@given(n=st.floats(0, 1e6), share=st.floats(0, 1), rate=st.floats(0, 1), cost=st.floats(0, 200),
       build=st.floats(0, 1e6), upkeep=st.floats(0, 1e5))
def test_faq_economics_properties(n, share, rate, cost, build, upkeep):
    e = faq_deflection_economics(n, share, rate, cost, build, upkeep)
    assert 0 <= e.deflected_per_month <= n * share + 1e-9
    assert e.net_savings_per_month == pytest.approx(e.gross_savings_per_month - upkeep)
    if e.net_savings_per_month > 0 and build > 0:
        assert e.cumulative(e.payback_months) == pytest.approx(0, abs=1e-6 * max(build, 1))
    elif e.net_savings_per_month <= 0:
        assert math.isinf(e.payback_months)


@settings(max_examples=50, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=True), st.text(max_size=3), st.none()))
def test_faq_rejects_bad_fractions(value):
    assume(not (isinstance(value, float) and 0 <= value <= 1))
    with pytest.raises(InputError, match="deflection_rate"):
        faq_deflection_economics(100, 0.5, value, 10, 0, 0)


def test_deflectable_share_and_monthly_tickets():
    # T1 配送查询 and T3 优惠活动 are FAQ-deflectable: 2 of 4
    assert deflectable_share(four_tickets()) == 0.5
    assert deflectable_share(four_tickets(), ["商品质量"]) == 0.25
    with pytest.raises(InputError, match="天气"):
        deflectable_share(four_tickets(), ["天气"])
    assert monthly_tickets(four_tickets()).to_dict() == {"2024-12": 4}


def test_handle_cost_per_ticket_by_hand():
    # mean handle time (5 + 12 + 8 + 20) / 4 = 11.25 min × 40 元/h ÷ 60 = 7.5 元
    assert handle_cost_per_ticket(four_tickets(), 40) == pytest.approx(7.5)
    # FAQ-deflectable T1 (5 min) and T3 (8 min): 6.5 min × 40 / 60
    assert handle_cost_per_ticket(four_tickets(), 40, ["配送查询", "优惠活动"]) == pytest.approx(6.5 * 40 / 60)
    with pytest.raises(InputError, match="hourly_cost"):
        handle_cost_per_ticket(four_tickets(), -1)
    with pytest.raises(InputError, match="no tickets"):
        handle_cost_per_ticket(four_tickets(), 40, ["支付问题"])


# --- dashboard ------------------------------------------------------------------------------------------------

def test_staffed_hours_by_hand():
    # Mon 2024-12-02 … Sun 2024-12-08: A1 works Mon–Fri (5 × 8 h), A2 every day (7 × 8 h)
    hours = staffed_hours(two_agents(), "2024-12-02", "2024-12-08")
    assert hours.to_dict() == {"A1": 40.0, "A2": 56.0}
    late = two_agents()
    late.loc[0, "hire_date"] = "2024-12-05"                         # joins on Thursday: Thu + Fri
    assert staffed_hours(late, "2024-12-02", "2024-12-08")["A1"] == 16.0
    late.loc[0, "hire_date"] = "2025-01-01"
    assert staffed_hours(late, "2024-12-02", "2024-12-08")["A1"] == 0.0


def test_agent_dashboard_by_hand():
    d = agent_dashboard(four_tickets(), two_agents(), "2024-12-02", "2024-12-08")
    a1, a2 = d.loc["A1"], d.loc["A2"]
    # A1 answered T1, T2, T4: 5 + 12 + 20 = 37 minutes; T1 first-contact; T4 reopened; ratings 5 and 2
    assert a1["tickets"] == 3 and a1["aht_minutes"] == pytest.approx(37 / 3)
    assert a1["fcr_rate"] == pytest.approx(1 / 3) and a1["reopen_rate"] == pytest.approx(1 / 3)
    assert a1["satisfaction"] == 3.5 and a1["ratings"] == 2
    assert a1["staffed_hours"] == 40 and a1["occupancy"] == pytest.approx((37 / 60) / 40)
    assert a2["tickets"] == 1 and np.isnan(a2["satisfaction"]) and a2["ratings"] == 0
    assert a2["occupancy"] == pytest.approx((8 / 60) / 56)
    # 96 staffed hours × 30 元 / 4 tickets = 720 元 per ticket
    assert staff_cost_per_ticket(d, 30) == pytest.approx(720)


def test_dashboard_period_filters_tickets_and_lists_idle_agents():
    d = agent_dashboard(four_tickets(), two_agents(), "2024-12-03", "2024-12-03")
    assert d["tickets"].tolist() == [0, 0] and d["aht_minutes"].isna().all()
    with pytest.raises(InputError, match="不在客服名册中"):
        agent_dashboard(four_tickets(), two_agents().iloc[:1])
    with pytest.raises(InputError, match="tickets"):
        staff_cost_per_ticket(d, 30)


def test_real_dashboard_covers_every_agent():
    data = load_service_tickets()
    d = agent_dashboard(data.tickets, data.agents)
    assert d["tickets"].sum() == data.tickets["agent_id"].notna().sum()
    assert len(d) == 10 and (d["occupancy"] > 0).all() and (d["occupancy"] < 1).all()


# --- performance pay ------------------------------------------------------------------------------------------

def hand_scheme(**kw) -> PayScheme:
    return PayScheme(base_pay=4000, bonus_pay=2000, weights={"fcr_rate": 0.5, "satisfaction": 0.3, "aht_minutes": 0.2},
                     targets={"fcr_rate": 0.6, "satisfaction": 4.0, "aht_minutes": 12}, floor=0.6, cap=1.2, **kw)


def test_performance_pay_hand_example():
    board = pd.DataFrame({"fcr_rate": [0.72, 0.30], "satisfaction": [3.6, 4.8], "aht_minutes": [15.0, 10.0]},
                         index=["X", "Y"])
    pay = performance_pay(board, hand_scheme())
    # X: fcr 0.72/0.6 = 1.2; satisfaction 3.6/4 = 0.9; AHT 12/15 = 0.8 (lower is better)
    #    score 0.5×1.2 + 0.3×0.9 + 0.2×0.8 = 1.03 → bonus 2060, total 6060
    # Y: fcr 0.3/0.6 = 0.5 < floor 0.6 → 0; satisfaction 4.8/4 = 1.2 (= cap); AHT 12/10 = 1.2
    #    score 0 + 0.36 + 0.24 = 0.6 → bonus 1200, total 5200
    assert pay.loc["X", "aht_minutes_achievement"] == pytest.approx(0.8)
    assert pay.loc["Y", "fcr_rate_credit"] == 0
    assert pay["score"].tolist() == pytest.approx([1.03, 0.6])
    assert pay["bonus"].tolist() == pytest.approx([2060, 1200])
    assert pay["total_pay"].tolist() == pytest.approx([6060, 5200])


def test_cap_missing_values_and_zero_handle_time():
    board = pd.DataFrame({"fcr_rate": [1.2], "satisfaction": [np.nan], "aht_minutes": [0.0]}, index=["Z"])
    pay = performance_pay(board, hand_scheme())
    # fcr 2.0 → capped 1.2; no ratings → 0; AHT 0 → infinite achievement → capped 1.2
    assert pay.loc["Z", "score"] == pytest.approx(0.5 * 1.2 + 0 + 0.2 * 1.2)


def test_scheme_validation():
    with pytest.raises(InputError, match="之和必须等于 1"):
        PayScheme(4000, 2000, {"fcr_rate": 0.5, "satisfaction": 0.3}, {"fcr_rate": 0.6, "satisfaction": 4})
    s = PayScheme(4000, 2000, {"fcr_rate": 2, "satisfaction": 1, "tickets": 1},
                  {"fcr_rate": 0.6, "satisfaction": 4, "tickets": 300}, normalize=True)
    assert s.effective_weights == pytest.approx({"fcr_rate": 0.5, "satisfaction": 0.25, "tickets": 0.25})
    with pytest.raises(InputError, match="'speed'"):
        PayScheme(4000, 2000, {"speed": 1.0}, {"speed": 1.0})
    with pytest.raises(InputError, match="缺少目标值"):
        PayScheme(4000, 2000, {"fcr_rate": 1.0}, {})
    with pytest.raises(InputError, match="cap"):
        PayScheme(4000, 2000, {"fcr_rate": 1.0}, {"fcr_rate": 0.6}, cap=0.9)
    with pytest.raises(InputError, match="floor"):
        PayScheme(4000, 2000, {"fcr_rate": 1.0}, {"fcr_rate": 0.6}, floor=1.5)
    with pytest.raises(InputError, match="base_pay"):
        PayScheme(-1, 2000, {"fcr_rate": 1.0}, {"fcr_rate": 0.6})
    with pytest.raises(InputError, match="之和必须大于 0"):
        PayScheme(4000, 2000, {"fcr_rate": 0.0}, {"fcr_rate": 0.6}, normalize=True)
    with pytest.raises(InputError, match=r"missing columns \['fcr_rate'\]"):
        performance_pay(pd.DataFrame({"satisfaction": [4.0]}), PayScheme(1, 1, {"fcr_rate": 1}, {"fcr_rate": 0.5}))
    with pytest.raises(InputError, match="PayScheme"):
        performance_pay(pd.DataFrame({"fcr_rate": [0.5]}), {"fcr_rate": 1})


def test_scheme_from_yaml():
    text = """
    base_pay: 4000
    bonus_pay: 2000
    floor: 0.6
    cap: 1.2
    kpis:
      fcr_rate: {weight: 0.5, target: 0.6}
      satisfaction: {weight: 0.3, target: 4.0}
      aht_minutes: {weight: 0.2, target: 12}
    """
    assert PayScheme.from_dict(yaml.safe_load(text)) == hand_scheme()
    with pytest.raises(InputError, match="unknown keys \\['bonus'\\]"):
        PayScheme.from_dict({"base_pay": 1, "bonus": 1, "kpis": {}})
    with pytest.raises(InputError, match="'kpis'"):
        PayScheme.from_dict({"base_pay": 1, "bonus_pay": 1})
    with pytest.raises(InputError, match="未知的考核指标 unknown KPI 'smiles'"):
        PayScheme.from_dict({"base_pay": 1, "bonus_pay": 1, "kpis": {"smiles": {"weight": 1, "target": 3}}})


@settings(max_examples=60, deadline=None)
@given(weights=st.lists(st.floats(0.01, 10), min_size=3, max_size=3),
       actual=st.lists(st.floats(0.05, 5), min_size=3, max_size=3))
def test_pay_score_properties(weights, actual):
    kpis = ["fcr_rate", "satisfaction", "aht_minutes"]
    board = pd.DataFrame([actual], columns=kpis, index=["P"])
    s = PayScheme(3000, 1000, dict(zip(kpis, weights, strict=True)), dict(zip(kpis, actual, strict=True)),
                  normalize=True)
    # every KPI exactly on target → achievement 1 everywhere → score 1 → base + full bonus
    pay = performance_pay(board, s)
    assert pay.loc["P", "score"] == pytest.approx(1.0) and pay.loc["P", "total_pay"] == pytest.approx(4000)
    doubled = performance_pay(board * 2, s)      # better on two KPIs, worse on the lower-is-better AHT
    assert 0 <= doubled.loc["P", "score"] <= s.cap + 1e-9


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=12))
def test_unknown_kpi_names_are_named_in_the_error(name):
    assume(name not in KPI_DEFINITIONS)
    with pytest.raises(InputError, match="unknown KPI"):
        PayScheme(1, 1, {name: 1.0}, {name: 1.0})
