"""The running-case data: reproducible, consistent, and with the documented behaviour."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import InputError
from crmlab.datasets import GREEN_FOOD_DEFAULT, generate_green_food, load_green_food


def test_committed_files_are_the_generator_output():
    committed = load_green_food()
    fresh = generate_green_food(**GREEN_FOOD_DEFAULT)
    pd.testing.assert_frame_equal(committed.customers, fresh.customers, check_dtype=False)
    pd.testing.assert_frame_equal(committed.transactions, fresh.transactions, check_dtype=False)


def test_same_seed_same_data_other_seed_other_data():
    a, b = generate_green_food(200, seed=1), generate_green_food(200, seed=1)
    pd.testing.assert_frame_equal(a.transactions, b.transactions)
    assert not generate_green_food(200, seed=2).transactions.equals(a.transactions)


def test_tables_are_consistent():
    data = generate_green_food(1000, seed=7)
    c, t = data.customers, data.transactions
    assert c["customer_id"].is_unique
    merged = t.merge(c, on="customer_id", how="left", validate="many_to_one")
    assert merged["registered"].notna().all()
    assert (merged["date"] >= merged["registered"]).all()
    assert (t["date"] <= pd.Timestamp("2024-12-31")).all()
    assert (t["amount"] > 0).all()
    assert not merged["non_customer"].any()  # 非客户 never buy


def test_business_buyers_spend_more_per_purchase():
    data = generate_green_food(4000, seed=3)
    merged = data.transactions.merge(data.customers, on="customer_id")
    means = merged.groupby("segment")["amount"].mean()
    # documented: 企业客户 mean spend is five times that of 个人客户 (allow sampling noise)
    assert 3.5 < means["企业客户"] / means["个人客户"] < 7


def test_share_of_business_customers_matches_documented_probability():
    c = generate_green_food(20000, seed=11).customers
    share = (c["segment"] == "企业客户").mean()
    assert abs(share - 0.10) < 4 * np.sqrt(0.1 * 0.9 / 20000)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"n_customers": 0}, "客户数 n_customers"),
    ({"start": "2024-01-01", "end": "2024-01-31"}, "period"),
    ({"start": "not a date"}, "start/end"),
    ({"seed": -1}, "随机种子 seed"),
])
def test_bad_parameters(kwargs, field):
    with pytest.raises(InputError, match=field):
        generate_green_food(**kwargs)


def test_b2b_accounts_are_reproducible_and_show_unprofitable_big_accounts():
    from crmlab.datasets import B2B_DEFAULT, generate_b2b_accounts, load_b2b_accounts
    from crmlab.segmentation import customer_profit

    committed = load_b2b_accounts()
    pd.testing.assert_frame_equal(committed, generate_b2b_accounts(**B2B_DEFAULT), check_dtype=False)
    profit = customer_profit(committed["gross_margin"], orders=committed["order_cost"],
                             service=committed["service_cost"], returns=committed["returns"],
                             terms=committed["payment_cost"])
    big = committed["size"] == "大型"
    assert (profit[big] < 0).any() and (profit[big] > 0).any()   # some big accounts destroy profit, some do not


def test_b2b_loader_names_file_row_and_column(tmp_path, monkeypatch):
    from crmlab.datasets import generate_b2b_accounts, load_b2b_accounts

    (tmp_path / "notebooks").mkdir()
    folder = tmp_path / "datasets" / "b2b_accounts"
    folder.mkdir(parents=True)
    bad = generate_b2b_accounts(5, seed=1)
    bad.loc[2, "returns"] = -3
    bad.to_csv(folder / "accounts.csv", index=False)
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    with pytest.raises(InputError, match=r"accounts.csv 第 4 行、列 returns 必须是 ≥ 0 的数字，收到 -3"):
        load_b2b_accounts()
    bad.loc[2, "returns"] = 0
    bad.loc[4, "account_id"] = bad.loc[0, "account_id"]
    bad.to_csv(folder / "accounts.csv", index=False)
    with pytest.raises(InputError, match="第 6 行、列 account_id 重复"):
        load_b2b_accounts()


def test_green_food_loader_names_file_row_and_column(tmp_path, monkeypatch):
    from crmlab.datasets import load_green_food, write_green_food

    (tmp_path / "notebooks").mkdir()
    folder = write_green_food(tmp_path / "datasets" / "green_food", n_customers=20, seed=3)
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    assert len(load_green_food().customers) == 20
    tx = pd.read_csv(folder / "transactions.csv", dtype=str)
    tx.loc[1, "date"] = "2024-13-45"
    tx.to_csv(folder / "transactions.csv", index=False)
    with pytest.raises(InputError, match=r"transactions.csv 第 3 行、列 date 不是有效日期.*2024-13-45"):
        load_green_food()
    tx.loc[1, "date"] = "2024-01-05"
    tx.loc[2, "amount"] = "-1"
    tx.to_csv(folder / "transactions.csv", index=False)
    with pytest.raises(InputError, match=r"第 4 行、列 amount 必须是 ≥ 0 的数字"):
        load_green_food()
