"""The 鲜果园 service-ticket log: the committed files, the documented generator, and schema validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.datasets import load_green_food
from crmlab.ticket_data import (
    FAQ_DEFLECTABLE,
    SHIFTS,
    TICKET_CHANNELS,
    TICKET_COLUMNS,
    TICKETS_DEFAULT,
    WEEKDAYS,
    generate_service_tickets,
    load_service_tickets,
    parse_days_off,
    validate_agents,
    validate_tickets,
    write_service_tickets,
)


@pytest.fixture(scope="module")
def data():
    return load_service_tickets()


def small_log() -> pd.DataFrame:
    """Three valid tickets, as strings the way they are read from a CSV."""
    return pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3"],
        "customer_id": ["C00001", "C00002", "C00003"],
        "agent_id": ["A01", "A02", ""],
        "channel": ["电话", "邮件", "App 留言"],
        "category": ["配送查询", "退款售后", "优惠活动"],
        "created": ["2024-12-02 09:00:00", "2024-12-02 10:00:00", "2024-12-02 23:00:00"],
        "first_response": ["2024-12-02 09:00:20", "2024-12-02 14:00:00", ""],
        "resolved": ["2024-12-02 09:05:00", "", ""],
        "resolved_first_contact": ["True", "False", "False"],
        "satisfaction": ["5", "", ""],
        "reopened": ["False", "False", "False"],
        "handle_minutes": ["5.0", "12.5", "0.0"],
    })


def small_agents() -> pd.DataFrame:
    return pd.DataFrame({"agent_id": ["A01", "A02"], "team": ["电话组", "在线组"],
                         "hire_date": ["2022-01-01", "2024-11-01"], "shift": ["早班", "晚班"],
                         "days_off": ["周六、周日", ""]})


# --- the committed files ---------------------------------------------------------------------------------------

def test_committed_files_are_the_generator_output(tmp_path, data):
    folder = write_service_tickets(tmp_path / "service_tickets")
    from crmlab.paths import datasets_dir

    for name in ("tickets.csv", "agents.csv"):
        assert (folder / name).read_bytes() == (datasets_dir() / "service_tickets" / name).read_bytes(), name
    assert (datasets_dir() / "service_tickets" / "tickets.csv").stat().st_size < 3_000_000
    assert list(data.tickets.columns) == list(TICKET_COLUMNS)


def test_customers_are_green_food_customers_registered_before_their_ticket(data):
    customers = load_green_food().customers.set_index("customer_id")
    tk = data.tickets
    assert tk["customer_id"].isin(customers.index).all()
    registered = tk["customer_id"].map(customers["registered"])
    assert (registered <= tk["created"].dt.normalize()).all()
    assert not customers.loc[tk["customer_id"].unique(), "non_customer"].any()


def test_generator_follows_its_documented_design(data):
    tk, agents = data.tickets, data.agents.set_index("agent_id")
    # one quarter; the live channels only in service hours 08:00–22:00
    assert tk["created"].min() >= pd.Timestamp("2024-10-01") and tk["created"].max() < pd.Timestamp("2025-01-01")
    live = tk["channel"].isin(["电话", "在线客服"])
    assert tk.loc[live, "created"].dt.hour.between(8, 21).all()
    assert (~tk.loc[~live, "created"].dt.hour.between(8, 21)).any()       # messages also arrive at night
    # every agent answers in their own team's live channel only, never on a day off, never before hire
    answered = tk[tk["agent_id"].notna()]
    team = answered["agent_id"].map(agents["team"])
    assert not ((answered["channel"] == "电话") & (team != "电话组")).any()
    assert not ((answered["channel"] == "在线客服") & (team != "在线组")).any()
    hire = pd.to_datetime(answered["agent_id"].map(agents["hire_date"]))
    assert (answered["first_response"] >= hire).all()
    off = answered["agent_id"].map(lambda a: parse_days_off(agents.loc[a, "days_off"]))
    weekday = answered["first_response"].dt.day_of_week
    assert not any(w in o for w, o in zip(weekday, off, strict=True))
    start = answered["agent_id"].map(lambda a: SHIFTS[agents.loc[a, "shift"]][0])
    assert (answered["first_response"].dt.hour >= start).all()
    # the promotion week (2024-11-11, 7 days) carries more tickets per day than October
    daily = tk.groupby(tk["created"].dt.normalize()).size()
    promo = daily["2024-11-11":"2024-11-17"].mean()
    assert promo > 1.8 * daily["2024-10"].mean()
    # FAQ-deflectable categories: 25 % + 12 % + 10 % = 47 % outside the promotion, more during it
    share = tk["category"].isin(FAQ_DEFLECTABLE)
    in_promo = tk["created"].between("2024-11-11", "2024-11-18")
    assert 0.43 < share[~in_promo].mean() < 0.51
    assert share[in_promo].mean() > share[~in_promo].mean()
    # the two new hires (A09, A10) answer nothing before 2024-11-01 and solve fewer tickets at first contact
    assert answered.loc[answered["agent_id"].isin(["A09", "A10"]), "first_response"].min() >= pd.Timestamp(
        "2024-11-01")
    fcr = answered.groupby("agent_id")["resolved_first_contact"].mean()
    assert fcr[["A09", "A10"]].max() < fcr.drop(["A09", "A10"]).min()


def test_generator_is_seeded_and_checks_its_inputs():
    a = generate_service_tickets(start="2024-12-01", end="2024-12-14", daily_tickets=30, seed=3)
    b = generate_service_tickets(start="2024-12-01", end="2024-12-14", daily_tickets=30, seed=3)
    pd.testing.assert_frame_equal(a.tickets, b.tickets)
    assert not generate_service_tickets(start="2024-12-01", end="2024-12-14", daily_tickets=30,
                                        seed=4).tickets.equals(a.tickets)
    validate_tickets(a.tickets, a.agents)
    for kwargs, field in (({"daily_tickets": 0}, "daily_tickets"), ({"promotion_lift": 0.5}, "promotion_lift"),
                          ({"end": "2024-09-01"}, "period"), ({"start": "not a date"}, "start"),
                          ({"seed": -1}, "seed")):
        with pytest.raises(InputError, match=field):
            generate_service_tickets(**{**TICKETS_DEFAULT, **kwargs})


# --- validation -------------------------------------------------------------------------------------------------

def test_small_log_is_valid_and_parsed():
    df = validate_tickets(small_log(), small_agents())
    assert df["created"].dtype.kind == "M" and df["resolved"].isna().tolist() == [False, True, True]
    assert df["resolved_first_contact"].tolist() == [True, False, False]
    assert df["satisfaction"].iloc[0] == 5 and np.isnan(df["satisfaction"].iloc[1])
    assert pd.isna(df["agent_id"].iloc[2])


@pytest.mark.parametrize(("column", "row", "value", "message"), [
    ("resolved", 0, "2024-12-02 08:59:00", "第 2 行、列 resolved 解决时间不能早于创建时间"),
    ("first_response", 1, "2024-12-02 09:30:00", "第 3 行、列 first_response 首次响应时间不能早于创建时间"),
    ("resolved", 2, "2024-12-03 09:00:00", "第 4 行、列 first_response 已解决的工单必须有首次响应时间"),
    ("channel", 1, "微信", "第 3 行、列 channel 只能是"),
    ("category", 0, "其他", "第 2 行、列 category 只能是"),
    ("created", 2, "2024/12/02 23:00", "第 4 行、列 created 不是有效时间"),
    ("satisfaction", 0, "6", "第 2 行、列 satisfaction 必须是 1–5 的整数"),
    ("satisfaction", 0, "4.5", "第 2 行、列 satisfaction"),
    ("handle_minutes", 1, "-3", "第 3 行、列 handle_minutes 必须是 ≥ 0"),
    ("reopened", 1, "yes", "第 3 行、列 reopened 必须是 True 或 False"),
    ("ticket_id", 2, "T1", "第 4 行、列 ticket_id 重复"),
    ("agent_id", 2, "A01", "第 4 行、列 agent_id 尚未响应的工单客服编号应为空"),
    ("agent_id", 0, "", "第 2 行、列 agent_id 已响应的工单必须有客服编号"),
    ("agent_id", 0, "A99", "第 2 行、列 agent_id 不在客服名册中"),
    ("resolved_first_contact", 1, "True", "第 3 行、列 resolved_first_contact 只有已解决"),
])
def test_errors_name_the_row_and_the_column(column, row, value, message):
    log = small_log()
    log.loc[row, column] = value
    with pytest.raises(InputError, match=message):
        validate_tickets(log, small_agents(), source="tickets.csv", header_rows=1)


def test_missing_columns_and_wrong_type():
    with pytest.raises(InputError, match=r"缺少列 missing columns \['reopened'\]"):
        validate_tickets(small_log().drop(columns="reopened"))
    with pytest.raises(InputError, match="DataFrame"):
        validate_tickets([1, 2, 3])


@pytest.mark.parametrize(("column", "value", "message"), [
    ("team", "售后组", "列 team 只能是"), ("shift", "夜班", "列 shift 只能是"),
    ("days_off", "周八", "列 days_off 只能是"), ("hire_date", "2024-13-01", "列 hire_date 不是有效时间"),
    ("agent_id", "A01", "列 agent_id 重复"),
    ("days_off", "、".join(WEEKDAYS), "列 days_off 一周至少要工作一天"),
])
def test_agent_errors_name_the_row_and_the_column(column, value, message):
    agents = small_agents()
    agents.loc[1, column] = value
    with pytest.raises(InputError, match=f"第 2 行、{message}"):
        validate_agents(agents)


def test_parse_days_off():
    assert parse_days_off("周一、周二") == frozenset({0, 1})
    assert parse_days_off("") == frozenset() and parse_days_off(None) == frozenset()
    with pytest.raises(InputError, match="days_off"):
        parse_days_off("Monday")


@settings(max_examples=40, deadline=None)
@given(row=st.integers(0, 1), minutes=st.integers(1, 10_000))
def test_any_resolution_before_creation_is_caught_at_its_row(row, minutes):
    log = small_log()
    created = pd.Timestamp(log.loc[row, "created"])
    log.loc[row, "first_response"] = str(created)
    log.loc[row, "resolved"] = str(created - pd.Timedelta(minutes=minutes))
    log.loc[row, "resolved_first_contact"] = "False"
    with pytest.raises(InputError, match=f"第 {row + 1} 行、列 resolved"):
        validate_tickets(log)


@settings(max_examples=40, deadline=None)
@given(score=st.one_of(st.integers(-5, 10), st.floats(allow_nan=False, allow_infinity=False, width=32)))
def test_satisfaction_must_be_a_whole_number_from_1_to_5(score):
    log = small_log()
    log.loc[0, "satisfaction"] = str(score)
    if score in (1, 2, 3, 4, 5):
        assert validate_tickets(log)["satisfaction"].iloc[0] == score
    else:
        with pytest.raises(InputError, match="satisfaction"):
            validate_tickets(log)


def test_loader_names_file_row_and_column(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    folder = tmp_path / "datasets" / "service_tickets"
    gen = generate_service_tickets(start="2024-12-01", end="2024-12-07", daily_tickets=20, seed=1)
    from crmlab.ticket_data import _agents_csv, _to_csv

    folder.mkdir(parents=True)
    (folder / "tickets.csv").write_text(_to_csv(gen.tickets), encoding="utf-8")
    (folder / "agents.csv").write_text(_agents_csv(gen.agents), encoding="utf-8")
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    assert len(load_service_tickets().tickets) == len(gen.tickets)
    df = pd.read_csv(folder / "tickets.csv", dtype=str, keep_default_na=False)
    i = int(np.flatnonzero(df["resolved"] != "")[3])
    df.loc[i, "resolved"] = "2024-11-30 08:00:00"
    df.to_csv(folder / "tickets.csv", index=False)
    with pytest.raises(InputError, match=fr"tickets.csv 第 {i + 2} 行、列 resolved 解决时间不能早于创建时间"):
        load_service_tickets()
    df.loc[i, "resolved"] = ""
    df.loc[i, "resolved_first_contact"] = "False"
    df.loc[i, "satisfaction"] = ""
    df.loc[i, "agent_id"] = "A77"
    df.to_csv(folder / "tickets.csv", index=False)
    with pytest.raises(InputError, match=fr"tickets.csv 第 {i + 2} 行、列 agent_id 不在 agents.csv 中"):
        load_service_tickets()
    ag = pd.read_csv(folder / "agents.csv", dtype=str, keep_default_na=False)
    ag.loc[4, "shift"] = "夜班"
    ag.to_csv(folder / "agents.csv", index=False)
    with pytest.raises(InputError, match=r"agents.csv 第 6 行、列 shift"):
        load_service_tickets()


def test_channels_constant_matches_the_readme(root):
    readme = (root / "datasets" / "service_tickets" / "README.md").read_text(encoding="utf-8")
    assert ", ".join(TICKET_CHANNELS) in readme and "模拟数据" in readme
