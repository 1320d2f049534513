"""The extra customer-information tables: reproducible, consistent with the customers, the documented response
model recoverable from the data, and loaders that name file, row and column."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from crmlab import InputError
from crmlab.crm_data import (
    CAMPAIGNS,
    CHANNEL_EFFECTS,
    CRM_DATA_DEFAULT,
    FEATURES,
    RESPONSE_COEFFICIENTS,
    campaign_features,
    generate_crm_data,
    load_crm_data,
    response_probability,
    simulate_transactions,
)
from crmlab.datasets import GREEN_FOOD_DEFAULT, generate_green_food
from crmlab.paths import datasets_dir


def test_committed_files_are_the_generator_output():
    committed = load_crm_data()
    fresh = generate_crm_data(generate_green_food(**GREEN_FOOD_DEFAULT), **CRM_DATA_DEFAULT)
    for name, frame in fresh.tables().items():
        pd.testing.assert_frame_equal(getattr(committed, name), frame, check_dtype=False, obj=name)
    total = sum(p.stat().st_size for p in (datasets_dir() / "crm_db").iterdir())
    assert total < 3 * 2**20                                   # the committed default stays small


def test_same_seed_same_data():
    g = generate_green_food(300, seed=1)
    a, b = generate_crm_data(g, seed=4), generate_crm_data(g, seed=4)
    for name in a.tables():
        pd.testing.assert_frame_equal(a.tables()[name], b.tables()[name])
    assert not generate_crm_data(g, seed=5).contacts.equals(a.contacts)


@pytest.fixture(scope="module")
def big():
    green = generate_green_food(20_000, seed=5)
    return green, generate_crm_data(green, seed=3)


def test_tables_fit_the_customers(big):
    green, crm = big
    c = green.customers.set_index("customer_id")
    assert set(crm.individual_profiles["customer_id"]) == set(c.index[c["segment"] == "个人客户"])
    assert set(crm.business_profiles["customer_id"]) == set(c.index[c["segment"] == "企业客户"])
    contacts = crm.contacts.join(c["registered"], on="customer_id")
    assert (contacts["date"] >= contacts["registered"]).all() and (contacts["date"] <= "2024-12-31").all()
    assert crm.contacts["contact_id"].tolist() == list(range(1, len(crm.contacts) + 1))
    resp = crm.campaign_responses.merge(crm.campaigns, on="campaign_id").join(c[["registered", "non_customer"]],
                                                                              on="customer_id")
    assert (resp["registered"] < resp["start_date"]).all()                 # only registered customers
    assert not resp["non_customer"].any()                                   # 非客户 are never contacted
    consent = crm.individual_profiles.set_index("customer_id")["marketing_consent"]
    assert consent.reindex(resp["customer_id"]).fillna(True).all()          # nobody without consent
    assert ((resp["responded"] == 1) | (resp["order_amount"] == 0)).all()
    assert (resp.loc[resp["responded"] == 1, "order_amount"] > 0).all()


def within(observed: float, p: float, n: int, k: float = 4.0) -> bool:
    return abs(observed - p) <= k * math.sqrt(p * (1 - p) / n)


def test_documented_profile_shares(big):
    _green, crm = big
    ind, biz = crm.individual_profiles, crm.business_profiles
    assert within((ind["gender"] == "女").mean(), 0.58, len(ind))
    assert within(ind["marketing_consent"].mean(), 0.80, len(ind))
    assert within((ind["age_band"] == "25-34").mean(), 0.35, len(ind))
    assert within((biz["size"] == "大型").mean(), 0.10, len(biz))
    assert biz.loc[biz["size"] == "小型", "employees"].between(5, 49).all()
    inbound = crm.contacts["direction"] == "呼入"
    assert within(inbound.mean(), 0.6, len(crm.contacts))
    complaints = crm.contacts[crm.contacts["reason"] == "投诉"]
    assert within((complaints["outcome"] == "已解决").mean(), 0.7, len(complaints))
    assert set(crm.contacts.loc[~inbound, "reason"]) == {"回访", "营销"}


def test_contacts_per_customer_follow_the_poisson_mean(big):
    green, crm = big
    purchases = green.transactions.groupby("customer_id").size().reindex(green.customers["customer_id"],
                                                                          fill_value=0)
    expected = (0.6 + 0.4 * purchases).sum()                   # Poisson: mean = variance = expected
    assert abs(len(crm.contacts) - expected) <= 4 * math.sqrt(expected)


def test_response_probability_by_hand():
    zero = pd.DataFrame({c: [0.0] for c in FEATURES})
    assert response_probability(zero, "短信")[0] == pytest.approx(1 / (1 + math.exp(2.0)))
    # a customer who bought 12 months ago, 3 purchases and 500 元 in the last year, by phone:
    # z = −2 − 0.12·12 + 0.6·ln 4 + 0.3·ln 6 + 0.6
    one = zero.assign(recency_months=12.0, log_frequency=math.log(4), log_monetary=math.log(6))
    z = -2 - 0.12 * 12 + 0.6 * math.log(4) + 0.3 * math.log(6) + 0.6
    assert response_probability(one, "电话")[0] == pytest.approx(1 / (1 + math.exp(-z)))
    with pytest.raises(InputError, match="活动渠道 channel"):
        response_probability(zero, "传真")
    with pytest.raises(InputError, match="缺少列"):
        response_probability(zero.drop(columns="business"), "短信")


def test_the_documented_response_model_is_recoverable(big):
    """Fit a logistic regression on the simulated responses: it must find the stated coefficients."""
    green, crm = big
    parts = []
    for camp in crm.campaigns.itertuples(index=False):
        feats = campaign_features(green.customers, green.transactions, crm.contacts, crm.individual_profiles,
                                  camp.start_date)
        resp = crm.campaign_responses[crm.campaign_responses["campaign_id"] == camp.campaign_id]
        x = feats.loc[resp["customer_id"], list(FEATURES)]
        parts.append(x.assign(app=float(camp.channel == "App推送"), phone=float(camp.channel == "电话"),
                              y=resp["responded"].to_numpy()))
    data = pd.concat(parts)
    y = data.pop("y")
    model = LogisticRegression(C=np.inf, max_iter=5000).fit(data, y)
    fitted = dict(zip(data.columns, model.coef_[0], strict=True))
    for name in FEATURES:
        assert fitted[name] == pytest.approx(RESPONSE_COEFFICIENTS[name], abs=0.2), name
    assert fitted["app"] == pytest.approx(CHANNEL_EFFECTS["App推送"], abs=0.2)
    assert fitted["phone"] == pytest.approx(CHANNEL_EFFECTS["电话"], abs=0.2)
    assert model.intercept_[0] == pytest.approx(RESPONSE_COEFFICIENTS["intercept"], abs=0.2)


def test_campaign_features_by_hand():
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"], "registered": pd.to_datetime(["2023-01-01"] * 3),
                              "segment": ["个人客户", "企业客户", "个人客户"]})
    tx = pd.DataFrame({"customer_id": ["A", "A", "B"], "date": pd.to_datetime(["2023-01-10", "2024-03-01",
                                                                              "2024-05-31"]),
                       "amount": [100.0, 200.0, 50.0]})
    contacts = pd.DataFrame({"customer_id": ["C", "A"], "date": pd.to_datetime(["2024-05-01", "2023-01-05"]),
                             "reason": ["投诉", "投诉"], "outcome": ["未解决", "未解决"]})
    profiles = pd.DataFrame({"customer_id": ["A", "C"], "age_band": ["25-34", "55+"]})
    f = campaign_features(customers, tx, contacts, profiles, "2024-06-01")
    # A: last purchase 2024-03-01, 92 days before 2024-06-01 → recency 92 − 1 = 91 days as of 05-31 → 91/30
    assert f.loc["A", "recency_months"] == pytest.approx(91 / 30)
    assert f.loc["A", "log_frequency"] == pytest.approx(math.log(2))        # one purchase in the last 365 days
    assert f.loc["A", "log_monetary"] == pytest.approx(math.log(3))         # 200 元 → ln(1 + 2)
    assert f.loc["A", "mean_spend"] == pytest.approx(150.0)
    assert f.loc["B", "recency_months"] == 0 and f.loc["B", "business"] == 1
    assert f.loc["C", "never_bought"] == 1 and np.isnan(f.loc["C", "mean_spend"])
    assert f["unresolved_complaint"].tolist() == [0.0, 0.0, 1.0]             # A's complaint is 17 months old
    assert f["age_25_44"].tolist() == [1.0, 0.0, 0.0]


def test_campaign_list():
    assert CAMPAIGNS["campaign_id"].is_unique
    assert set(CAMPAIGNS["channel"]) <= set(CHANNEL_EFFECTS)


# --- loader errors -----------------------------------------------------------------------------------------

@pytest.fixture
def workbook(tmp_path, monkeypatch):
    """A copy of the datasets in a separate workbook root (CRMLAB_HOME), safe to spoil."""
    (tmp_path / "notebooks").mkdir()
    for name in ("green_food", "crm_db", "b2b_accounts"):
        shutil.copytree(datasets_dir() / name, tmp_path / "datasets" / name)
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    return tmp_path / "datasets" / "crm_db"


def spoil(folder, file, row, column, value):
    path = folder / file
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value                        # row as numbered in the file (header = row 1)
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(("file", "row", "column", "value", "message"), [
    ("individual_profiles.csv", 5, "gender", "X", r"individual_profiles.csv 第 5 行、列 gender 只能是"),
    ("individual_profiles.csv", 7, "birth_month", "-1", r"individual_profiles.csv 第 7 行、列 birth_month"),
    ("individual_profiles.csv", 9, "customer_id", "C00003", r"第 9 行、列 customer_id 引用了不存在的个人客户"),
    ("business_profiles.csv", 3, "size", "巨型", r"business_profiles.csv 第 3 行、列 size"),
    ("contacts.csv", 4, "date", "2024-13-01", r"contacts.csv 第 4 行、列 date 不是有效日期"),
    ("contacts.csv", 6, "customer_id", "C99999", r"contacts.csv 第 6 行、列 customer_id 引用了不存在的客户"),
    ("campaign_responses.csv", 8, "campaign_id", "K99", r"第 8 行、列 campaign_id 引用了不存在的营销活动"),
    ("campaign_responses.csv", 2, "order_amount", "12.5", r"第 2 行、列 order_amount：未响应"),
    ("campaigns.csv", 3, "cost_per_contact", "-1", r"campaigns.csv 第 3 行、列 cost_per_contact"),
])
def test_loader_names_file_row_and_column(workbook, file, row, column, value, message):
    first = pd.read_csv(workbook / "campaign_responses.csv").iloc[0]
    assert first["responded"] == 0                          # the order_amount case relies on this
    spoil(workbook, file, row, column, value)
    with pytest.raises(InputError, match=message):
        load_crm_data()


def test_loader_names_a_missing_column(workbook):
    path = workbook / "contacts.csv"
    pd.read_csv(path).drop(columns="reason").to_csv(path, index=False)
    with pytest.raises(InputError, match=r"contacts.csv 缺少列 missing columns \['reason'\]"):
        load_crm_data()


# --- large transaction tables ------------------------------------------------------------------------------------

def test_simulate_transactions():
    tx = simulate_transactions(50_000, seed=1)
    assert len(tx) == 50_000 and list(tx.columns) == ["customer_id", "date", "amount"]
    assert tx["customer_id"].between(1, 5_000).all()
    assert (tx["date"] >= "2020-01-01").all() and (tx["date"] <= "2024-12-31").all()
    assert tx["date"].is_monotonic_increasing and (tx["amount"] >= 0.1).all()
    pd.testing.assert_frame_equal(tx, simulate_transactions(50_000, seed=1))
    # mean amount: Gamma(4) around a Gamma(3, mean 150) customer mean → 150 元 on average (rounding aside)
    assert tx["amount"].mean() == pytest.approx(150, rel=0.1)
    with pytest.raises(InputError, match="交易数 n_transactions"):
        simulate_transactions(0)
    with pytest.raises(InputError, match="start < end"):
        simulate_transactions(10, start="2024-01-01", end="2023-01-01")
