"""The customer database: built from the CSVs, queried, guarded by its constraints, and careful with files."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from crmlab import InputError
from crmlab.customer_db import (
    APPLICATION_ID,
    EXAMPLE_QUERIES,
    SCHEMA_SQL,
    SCHEMA_VERSION,
    TABLES,
    create_database,
    insert_rows,
    open_database,
    query,
    student_copy,
    table_counts,
    table_schema,
)
from crmlab.paths import datasets_dir


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(datasets_dir() / name, dtype={"customer_id": str})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return create_database(tmp_path_factory.mktemp("db") / "鲜果园.db")


@pytest.fixture
def conn(db):
    c = open_database(db)
    yield c
    c.close()


@pytest.fixture
def writable(db, tmp_path):
    c = open_database(student_copy(db, tmp_path / "mine.db"), readonly=False)
    yield c
    c.close()


def test_row_counts_equal_the_csv_files(conn):
    counts = table_counts(conn)["rows"]
    assert list(counts.index) == list(TABLES)
    expected = {
        "customers": "green_food/customers.csv", "transactions": "green_food/transactions.csv",
        "b2b_accounts": "b2b_accounts/accounts.csv",
        **{t: f"crm_db/{t}.csv" for t in ("individual_profiles", "business_profiles", "contacts", "campaigns",
                                          "campaign_responses")},
    }
    for table, file in expected.items():
        assert counts[table] == len(csv(file)), table
    assert counts["individual_profiles"] + counts["business_profiles"] == counts["customers"]


def test_round_trip_of_values(conn):
    customers = csv("green_food/customers.csv")
    got = query(conn, "SELECT customer_id, segment, registered, city, channel, is_target, non_customer "
                      "FROM customers ORDER BY customer_id")
    assert got["customer_id"].tolist() == sorted(customers["customer_id"])
    row = customers.iloc[2]
    mine = got.set_index("customer_id").loc[row["customer_id"]]
    assert (mine["segment"], mine["registered"], mine["city"], mine["channel"]) == (
        row["segment"], row["registered"], row["city"], row["channel"])
    assert mine["is_target"] == int(row["target"]) and mine["non_customer"] == int(row["non_customer"])
    tx = csv("green_food/transactions.csv")
    per = query(conn, "SELECT customer_id, COUNT(*) AS n, SUM(amount) AS total FROM transactions GROUP BY customer_id")
    plain = tx.groupby("customer_id")["amount"].agg(["size", "sum"])
    per = per.set_index("customer_id").loc[plain.index]
    assert (per["n"] == plain["size"]).all()
    assert per["total"].to_numpy() == pytest.approx(plain["sum"].to_numpy())
    b2b = csv("b2b_accounts/accounts.csv")
    assert query(conn, "SELECT SUM(revenue) AS r FROM b2b_accounts")["r"][0] == pytest.approx(b2b["revenue"].sum())


def test_example_queries_agree_with_pandas(conn):
    customers, tx = csv("green_food/customers.csv"), csv("green_food/transactions.csv")
    ind, biz = csv("crm_db/individual_profiles.csv"), csv("crm_db/business_profiles.csv")
    contacts, camp = csv("crm_db/contacts.csv"), csv("crm_db/campaigns.csv")
    resp = csv("crm_db/campaign_responses.csv")

    mix = query(conn, EXAMPLE_QUERIES["客户构成"][1]).set_index("segment")
    assert mix["customers"].to_dict() == customers["segment"].value_counts().to_dict()
    buyers = customers[customers["customer_id"].isin(tx["customer_id"])]["segment"].value_counts()
    assert mix["buyers"].to_dict() == buyers.to_dict()

    ages = query(conn, EXAMPLE_QUERIES["个人客户画像"][1]).set_index(["age_band", "gender"])["customers"]
    assert ages.to_dict() == ind.groupby(["age_band", "gender"]).size().to_dict()

    industry = query(conn, EXAMPLE_QUERIES["企业客户按行业"][1]).set_index("industry")
    spend = tx.merge(biz, on="customer_id").groupby("industry")["amount"].sum()
    assert industry["companies"].to_dict() == biz["industry"].value_counts().to_dict()
    assert industry["spend"].to_numpy() == pytest.approx(spend.reindex(industry.index).fillna(0).to_numpy())
    assert industry["spend"].is_monotonic_decreasing

    by_channel = query(conn, EXAMPLE_QUERIES["联系渠道与原因"][1]).set_index(["channel", "reason"])["contacts"]
    assert by_channel.to_dict() == contacts.groupby(["channel", "reason"]).size().to_dict()

    complaints = contacts[contacts["reason"] == "投诉"]
    solved = query(conn, EXAMPLE_QUERIES["投诉解决率"][1]).set_index("channel")
    expected = complaints.groupby("channel")["outcome"].apply(lambda s: (s == "已解决").mean())
    assert solved["solved_rate"].to_numpy() == pytest.approx(expected.reindex(solved.index).to_numpy(), abs=5e-5)

    effect = query(conn, EXAMPLE_QUERIES["活动效果"][1]).set_index("campaign_id")
    grouped = resp.groupby("campaign_id").agg(n=("responded", "size"), r=("responded", "sum"),
                                              amount=("order_amount", "sum"))
    assert effect["contacted"].to_dict() == grouped["n"].to_dict()
    assert effect["responders"].to_dict() == grouped["r"].to_dict()
    cost = grouped["n"] * camp.set_index("campaign_id")["cost_per_contact"]
    assert effect["cost"].to_numpy() == pytest.approx(cost.reindex(effect.index).to_numpy(), abs=0.005)
    assert effect["amount_per_cost"].to_numpy() == pytest.approx(
        (grouped["amount"] / cost).reindex(effect.index).to_numpy(), abs=0.05)

    birthdays = query(conn, EXAMPLE_QUERIES["生日名单"][1], {"month": 12})
    wanted = ind[(ind["birth_month"] == 12) & ind["marketing_consent"]]["customer_id"]
    assert birthdays["customer_id"].tolist() == sorted(wanted)


def test_customer_360_view(conn):
    view = query(conn, "SELECT customer_id, purchases, spend, contacts, complaints FROM customer_360").set_index(
        "customer_id")
    tx, contacts = csv("green_food/transactions.csv"), csv("crm_db/contacts.csv")
    assert len(view) == len(csv("green_food/customers.csv"))
    assert view["purchases"].sum() == len(tx)
    assert view["contacts"].sum() == len(contacts)
    assert view["complaints"].sum() == (contacts["reason"] == "投诉").sum()
    one = tx["customer_id"].iloc[0]
    assert view.loc[one, "spend"] == pytest.approx(round(tx.loc[tx["customer_id"] == one, "amount"].sum(), 2))


def test_connection_settings(conn, db):
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    for table in TABLES:
        assert f"CREATE TABLE {table} (" in SCHEMA_SQL
    schema = table_schema(conn, "transactions")
    assert schema.loc["customer_id", "references"] == "customers(customer_id)"
    assert schema.loc["transaction_id", "primary_key"] == 1 and bool(schema.loc["amount", "not_null"])
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]      # no temporary files left behind


# --- constraints -----------------------------------------------------------------------------------------------

GOOD_TX = {"customer_id": "C00002", "date": "2024-06-01", "amount": 10.0}      # C00002 registered 2023-12-22


@pytest.mark.parametrize(("table", "row", "message"), [
    ("transactions", {**GOOD_TX, "customer_id": "C99999"}, "FOREIGN KEY"),
    ("transactions", {**GOOD_TX, "amount": -5.0}, "CHECK"),
    ("transactions", {**GOOD_TX, "amount": "ten"}, "CHECK"),
    ("transactions", {**GOOD_TX, "date": "2024-02-30"}, "CHECK"),
    ("transactions", {**GOOD_TX, "date": "2020-01-01"}, "交易日期早于注册日期"),
    ("transactions", {**GOOD_TX, "customer_id": None}, "NOT NULL"),
    ("individual_profiles", {"customer_id": "C00003", "name_masked": "李**", "gender": "女", "age_band": "25-34",
                             "birth_month": 3, "household_size": 2, "preferred_category": "水果",
                             "marketing_consent": 1}, "个人客户信息只能属于个人客户"),
    ("individual_profiles", {"customer_id": "C00001", "name_masked": "李**", "gender": "女", "age_band": "25-34",
                             "birth_month": 3, "household_size": 2, "preferred_category": "水果",
                             "marketing_consent": 1}, "UNIQUE"),
    ("campaign_responses", {"campaign_id": "K01", "customer_id": "C00002", "responded": 0, "order_amount": 30.0},
     "CHECK"),
    ("campaign_responses", {"campaign_id": "K99", "customer_id": "C00002", "responded": 1, "order_amount": 30.0},
     "FOREIGN KEY"),
    ("customers", {"customer_id": "C09999", "segment": "VIP", "registered": "2024-01-01", "city": "北京",
                   "channel": "App", "is_target": 0, "non_customer": 0}, "CHECK"),
])
def test_constraints_reject_bad_rows(writable, table, row, message):
    before = writable.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    with pytest.raises(InputError, match=message):
        insert_rows(writable, table, [row])
    assert writable.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == before


def test_good_rows_go_in_and_a_bad_row_rolls_back_the_whole_batch(writable):
    n = writable.execute("SELECT COUNT(*) FROM transactions").fetchone()[0]
    assert insert_rows(writable, "transactions", pd.DataFrame([GOOD_TX])) == 1
    assert writable.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == n + 1
    with pytest.raises(InputError, match="没有写入任何行"):
        insert_rows(writable, "transactions", [GOOD_TX, {**GOOD_TX, "customer_id": "C99999"}])
    assert writable.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == n + 1
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):     # enforced for plain SQL too
        writable.execute("INSERT INTO transactions (customer_id, date, amount) VALUES ('C99999', '2024-01-01', 1)")
    with pytest.raises(InputError, match="unknown columns"):
        insert_rows(writable, "transactions", [{**GOOD_TX, "colour": "red"}])
    with pytest.raises(InputError, match="表名 table"):
        insert_rows(writable, "orders", [GOOD_TX])


def test_read_only_connections_refuse_writes(conn):
    with pytest.raises(InputError, match="只读"):
        insert_rows(conn, "transactions", [GOOD_TX])
    with pytest.raises(InputError, match="read-only"):
        query(conn, "DELETE FROM transactions")
    with pytest.raises(InputError, match="no such column: nope"):
        query(conn, "SELECT nope FROM customers")
    with pytest.raises(InputError, match="sql 必须是非空字符串"):
        query(conn, "  ")
    with pytest.raises(InputError, match="sqlite3.Connection"):
        query("鲜果园.db", "SELECT 1")
    assert query(conn, "SELECT COUNT(*) AS n FROM customers WHERE city = ?", ["北京"])["n"][0] == (
        csv("green_food/customers.csv")["city"] == "北京").sum()


# --- files: missing, garbage, corrupted, other versions, overwriting, copies -----------------------------------

def test_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match=r"数据库文件不存在 database file not found：.*nothing\.db"):
        open_database(tmp_path / "nothing.db")
    with pytest.raises(InputError, match="不是文件"):
        open_database(tmp_path)


def test_garbage_bytes_are_not_a_database(tmp_path):
    bad = tmp_path / "garbage.db"
    bad.write_bytes(os.urandom(4096))
    with pytest.raises(InputError, match=r"不是 SQLite 数据库文件 not an SQLite database file.*garbage\.db"):
        open_database(bad)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="不是 SQLite 数据库文件"):
        open_database(empty)


def test_corrupted_pages_are_detected(db, tmp_path):
    broken = tmp_path / "broken.db"
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")                 # page size from the file header
    for k in range(1, len(data) // page, 3):                  # scribble over every third page after the first
        data[k * page + 8: k * page + 200] = os.urandom(192)
    broken.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"数据库文件已损坏 database file is corrupted.*broken\.db"):
        open_database(broken)


def test_wrong_schema_version_and_foreign_databases(db, tmp_path):
    old = student_copy(db, tmp_path / "old.db")
    raw = sqlite3.connect(old)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(InputError, match=r"数据库结构版本 schema version 应为 1，收到 99.*old\.db"):
        open_database(old)
    other = tmp_path / "other.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE notes (x)")
    raw.close()
    with pytest.raises(InputError, match="不是 crmlab 客户数据库"):
        open_database(other)


def test_refuses_to_overwrite_unless_asked(db, tmp_path):
    target = tmp_path / "shop.db"
    target.write_text("my own notes")
    with pytest.raises(InputError, match="文件已存在 file exists"):
        create_database(target)
    assert target.read_text() == "my own notes"
    create_database(target, overwrite=True)
    assert table_counts(open_database(target))["rows"]["customers"] == 3000
    with pytest.raises(InputError, match="文件夹"):
        create_database(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    import crmlab.customer_db as module

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "_populate", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        create_database(tmp_path / "half.db")
    assert list(tmp_path.iterdir()) == []


def test_other_seed_regenerates_the_extra_tables(tmp_path):
    path = create_database(tmp_path / "seed7.db", seed=7)
    with open_database(path) as c:
        counts = table_counts(c)["rows"]
        assert counts["customers"] == 3000 and counts["transactions"] == len(csv("green_food/transactions.csv"))
        assert c.execute("SELECT value FROM meta WHERE key = 'crm_data_seed'").fetchone()[0] == "7"
        assert counts["contacts"] != len(csv("crm_db/contacts.csv"))


def test_student_copy_never_changes_the_original(db, tmp_path):
    before = digest(db)
    copy = student_copy(db, tmp_path / "work" / "mine.db")
    with open_database(copy, readonly=False) as c:
        insert_rows(c, "transactions", [GOOD_TX])
        c.execute("DELETE FROM campaign_responses")
        c.commit()
    assert digest(db) == before
    with open_database(db) as original:
        assert table_counts(original)["rows"]["campaign_responses"] == len(csv("crm_db/campaign_responses.csv"))
    with pytest.raises(InputError, match="文件已存在"):
        student_copy(db, copy)
    with pytest.raises(InputError, match="同一个文件"):
        student_copy(db, db, overwrite=True)
    with pytest.raises(InputError, match="不存在"):
        student_copy(tmp_path / "missing.db", tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()
    student_copy(db, copy, overwrite=True)
    with open_database(copy) as c:
        assert table_counts(c)["rows"]["campaign_responses"] == len(csv("crm_db/campaign_responses.csv"))
