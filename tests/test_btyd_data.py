"""The data side of the purchase models: transaction summaries, the CDNOW loaders and the simulators."""

from __future__ import annotations

import sys
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.btyd import (
    BetaGeo,
    GammaGamma,
    ParetoNBD,
    cdnow_path,
    load_cdnow_summary,
    load_cdnow_transactions,
    simulate_bgnbd,
    simulate_gamma_gamma,
    simulate_paretonbd,
    summarize_transactions,
)
from crmlab.btyd import data as cdnow_data

# --- the published CDNOW summary ------------------------------------------------------------------


@pytest.fixture(scope="module")
def cdnow_tx() -> pd.DataFrame:
    try:
        return load_cdnow_transactions(sample=True)
    except InputError:
        pytest.skip("CDNOW data not available (no ../shared/data/cdnow, lifetimes or CRMLAB_CDNOW_DIR)")


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return pd.read_csv(cdnow_path("cdnow_sample_summary.csv"), index_col="ID")


def half_up_cents(mean: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Round a mean of cent amounts to whole cents with halves rounded up (as the published zbar is),
    exactly: from the integer total in cents, not from the float mean (22.345 is 22.3449999… in binary)."""
    cents = np.rint(mean * count * 100).astype(np.int64)
    return np.where(count > 0, (2 * cents + count) // np.maximum(2 * count, 1), 0)


def test_cdnow_calibration_summary_equals_the_published_one(cdnow_tx, published):
    # 2,357 customers, calibration to 1997-09-30 (39 weeks after the cohort's start); same-day orders are one
    # purchase; t_x and T are whole days / 7, e.g. T = (1997-09-30 − 1997-01-01) / 7 = 272 / 7 = 38.86.
    s = summarize_transactions(cdnow_tx, "customer_id", "date", "amount", observation_end="1998-06-30",
                               calibration_end="1997-09-30", freq="W")
    assert len(s) == 2357
    assert list(s.index) == list(published.index)
    assert (s["frequency"] == published["x"]).all()
    assert (s["recency"].round(2) == published["t_x"]).all()
    assert (s["T"].round(2) == published["T"]).all()
    zbar = half_up_cents(s["monetary_value"].to_numpy(), s["frequency"].to_numpy())
    assert (zbar == np.rint(published["zbar"].to_numpy() * 100)).all()
    assert s.loc[1, "T"] == 272 / 7 and s.loc[1, "recency"] == 213 / 7
    assert (s["duration_holdout"] == 273 / 7).all()  # 1997-09-30 → 1998-06-30 = 39 weeks
    # the loader returns the same numbers, and the BG/NBD fit of Fader, Hardie & Lee (2005) on them
    loaded = load_cdnow_summary()
    assert list(loaded.columns) == ["frequency", "recency", "T", "monetary_value"]
    pd.testing.assert_frame_equal(loaded, s[loaded.columns])
    assert list(load_cdnow_summary(holdout=True).columns[4:]) == [
        "frequency_holdout", "monetary_value_holdout", "duration_holdout"]
    p = BetaGeo().fit(loaded["frequency"], loaded["recency"], loaded["T"]).params_
    assert [round(p[k], 3) for k in ("r", "alpha", "a", "b")] == [0.243, 4.414, 0.793, 2.426]


def test_cdnow_transaction_files(cdnow_tx):
    assert list(cdnow_tx.columns) == ["customer_id", "date", "cds", "amount"]
    assert len(cdnow_tx) == 6919 and cdnow_tx["customer_id"].nunique() == 2357
    assert cdnow_tx["date"].min() == pd.Timestamp("1997-01-01") and cdnow_tx["date"].max() == pd.Timestamp(
        "1998-06-30")
    master = load_cdnow_transactions(sample=False)
    assert len(master) == 69659 and master["customer_id"].nunique() == 23570
    assert master["date"].dtype.kind == "M" and master["cds"].dtype.kind == "i"


# --- where the CDNOW files are found --------------------------------------------------------------


@pytest.fixture
def no_shared(monkeypatch, tmp_path):
    """Pretend the workbook has no ../shared beside it and no lifetimes is installed."""
    monkeypatch.setattr(cdnow_data, "project_root", lambda: tmp_path / "repo")
    monkeypatch.delenv("CRMLAB_CDNOW_DIR", raising=False)
    monkeypatch.delitem(sys.modules, "lifetimes", raising=False)
    monkeypatch.setattr(cdnow_data.importlib.util, "find_spec", lambda name: None)
    return tmp_path


def test_cdnow_path_prefers_the_environment_variable(no_shared, monkeypatch):
    folder = no_shared / "mine"
    folder.mkdir()
    (folder / "CDNOW_sample.txt").write_text(" 00004 0001 19970101  2   29.33\n")
    monkeypatch.setenv("CRMLAB_CDNOW_DIR", str(folder))
    assert cdnow_path("CDNOW_sample.txt") == folder / "CDNOW_sample.txt"
    tx = load_cdnow_transactions()
    assert tx.iloc[0].tolist() == [1, pd.Timestamp("1997-01-01"), 2, 29.33]


def test_cdnow_path_falls_back_to_the_lifetimes_package(no_shared, monkeypatch):
    import importlib.machinery

    pkg = no_shared / "site" / "lifetimes"
    (pkg / "datasets").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "datasets" / "cdnow_customers_summary_with_transactions.csv").write_text("ID,x,t_x,T,zbar\n")
    spec = importlib.machinery.ModuleSpec("lifetimes", None, is_package=True)
    spec.submodule_search_locations = [str(pkg)]
    monkeypatch.setattr(cdnow_data.importlib.util, "find_spec", lambda name: spec if name == "lifetimes" else None)
    assert cdnow_path("cdnow_sample_summary.csv") == pkg / "datasets" / "cdnow_customers_summary_with_transactions.csv"


def test_cdnow_path_explains_how_to_get_the_data(no_shared):
    with pytest.raises(InputError, match=r"(?s)CDNOW_master\.txt.*lifetimes.*CRMLAB_CDNOW_DIR"):
        cdnow_path("CDNOW_master.txt")
    with pytest.raises(InputError, match="file name"):
        cdnow_path("cdnow.csv")


# --- a table small enough to work out by hand ---------------------------------------------------------

TINY = pd.DataFrame(
    [
        ("A", "2024-01-01 09:00", 10.0),
        ("A", "2024-01-01 18:00", 5.0),   # same day: one purchase of 15
        ("A", "2024-01-08", 20.0),
        ("A", "2024-01-22", 30.0),
        ("A", "2024-02-05", 40.0),        # hold-out ...
        ("A", "2024-02-05", 2.0),         # ... same day: 42
        ("A", "2024-02-12", 8.0),
        ("B", "2024-01-15", 12.0),
        ("C", "2024-01-29 08:30", 7.0),
        ("C", "2024-01-29 19:00", 3.0),
        ("C", "2024-02-29", 5.0),         # on observation_end: included
        ("D", "2024-02-10", 9.0),         # first purchase in the hold-out period
    ],
    columns=["cust", "when", "paid"],
).assign(when=lambda d: pd.to_datetime(d["when"], format="ISO8601"))
TINY = TINY.sample(frac=1.0, random_state=3)  # row order must not matter


def test_summary_by_hand_whole_period_in_days():
    s = summarize_transactions(TINY, "cust", "when", "paid", observation_end="2024-02-29", freq="D")
    assert list(s.index) == ["A", "B", "C", "D"] and s.index.name == "cust"
    # A buys on days 0, 7, 21, 35, 42 (from 1 Jan); the end is day 59 (2024 is a leap year)
    assert s.loc["A"].tolist() == [4, 42.0, 59.0, (20 + 30 + 42 + 8) / 4]
    assert s.loc["B"].tolist() == [0, 0.0, 45.0, 0.0]
    assert s.loc["C"].tolist() == [1, 31.0, 31.0, 5.0]
    assert s.loc["D"].tolist() == [0, 0.0, 19.0, 0.0]
    assert s["frequency"].dtype.kind == "i"
    months = summarize_transactions(TINY, "cust", "when", observation_end="2024-02-29", freq="M")
    assert list(months.columns) == ["frequency", "recency", "T"]
    assert months.loc["A", "recency"] == pytest.approx(42 / (365.25 / 12))


def test_summary_by_hand_with_a_holdout_period_in_weeks():
    s = summarize_transactions(TINY, "cust", "when", "paid", observation_end="2024-02-29",
                               calibration_end="2024-01-31", freq="W")
    assert list(s.index) == ["A", "B", "C"]  # D's first purchase is after calibration_end
    cols = ["frequency", "recency", "T", "monetary_value", "frequency_holdout", "monetary_value_holdout",
            "duration_holdout"]
    assert list(s.columns) == cols
    assert s.loc["A"].tolist() == [2, 3.0, 30 / 7, 25.0, 2, 25.0, 29 / 7]
    assert s.loc["B"].tolist() == [0, 0.0, 16 / 7, 0.0, 0, 0.0, 29 / 7]
    assert s.loc["C"].tolist() == [0, 0.0, 2 / 7, 0.0, 1, 5.0, 29 / 7]
    # string dates, integer ids and a calibration end equal to the observation end
    t2 = pd.DataFrame({"id": [7, 7, 3], "d": ["2024-03-01", "2024-03-15", "2024-03-08"]})
    s2 = summarize_transactions(t2, "id", "d", observation_end="2024-03-15", calibration_end="2024-03-15", freq="D")
    assert list(s2.index) == [3, 7]
    assert s2.loc[7].tolist() == [1, 14.0, 14.0, 0, 0.0]


# --- loud failures ----------------------------------------------------------------------------------


def _tiny(**changes) -> pd.DataFrame:
    df = pd.DataFrame({"cust": ["A", "A", "B"], "when": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-03"]),
                       "paid": [1.0, 2.0, 3.0]})
    for col, (row, value) in changes.items():
        df[col] = df[col].astype(object)
        df.loc[row, col] = value
    return df


@pytest.mark.parametrize(
    ("df", "kwargs", "pattern"),
    [
        (_tiny(), {"observation_end": "2024-01-04"}, r"第 2 行.*observation_end.*2024-01-05"),
        (_tiny(), {"observation_end": "2024-01-10", "calibration_end": "2024-02-01"}, r"calibration_end.*2024-02-01"),
        (_tiny(paid=(2, -3.0)), {"observation_end": "2024-01-10"}, r"金额 amount.*第 3 行.*-3\.0"),
        (_tiny(paid=(0, float("nan"))), {"observation_end": "2024-01-10"}, r"金额 amount.*第 1 行.*缺失"),
        (_tiny(paid=(1, "ten")), {"observation_end": "2024-01-10"}, r"amount.*第 2 行.*'ten'"),
        (_tiny(cust=(1, None)), {"observation_end": "2024-01-10"}, r"customer id.*第 2 行.*缺失"),
        (_tiny(when=(2, None)), {"observation_end": "2024-01-10"}, r"日期 date.*第 3 行.*缺失"),
        (_tiny(when=(0, "2024-13-45")), {"observation_end": "2024-01-10"}, r"date.*第 1 行.*2024-13-45"),
        (_tiny(), {"observation_end": "someday"}, r"observation_end.*someday"),
        (_tiny(), {"observation_end": "2024-01-10", "freq": "Y"}, r"freq.*'Y'"),
        (_tiny().assign(when=[20240101, 20240105, 20240103]), {"observation_end": "2024-01-10"},
         r"date column.*数字.*format='%Y%m%d'"),
        (_tiny().iloc[:0], {"observation_end": "2024-01-10"}, r"空"),
        (_tiny(), {"observation_end": "2024-01-10", "calibration_end": "2023-12-31"}, r"校准期内没有客户"),
    ],
)
def test_bad_input_names_the_field_and_the_value(df, kwargs, pattern):
    amount = None if kwargs.get("freq") == "Y" else "paid"
    with pytest.raises(InputError, match=pattern):
        summarize_transactions(df, "cust", "when", amount, **kwargs)


def test_missing_columns_and_wrong_types_are_named():
    df = _tiny()
    with pytest.raises(InputError, match=r"customer column 'customer'.*'cust', 'when', 'paid'"):
        summarize_transactions(df, "customer", "when", observation_end="2024-01-10")
    with pytest.raises(InputError, match=r"date column 'date'"):
        summarize_transactions(df, "cust", "date", observation_end="2024-01-10")
    with pytest.raises(InputError, match=r"amount column 'value'"):
        summarize_transactions(df, "cust", "when", "value", observation_end="2024-01-10")
    with pytest.raises(InputError, match="DataFrame"):
        summarize_transactions(df.to_dict(), "cust", "when", observation_end="2024-01-10")


# --- property: valid tables give the reference answer, invalid ones an InputError ------------------------

END = pd.Timestamp("2024-03-31")
CAL = pd.Timestamp("2024-02-29")

# days from 1 Jan 2024; 59 = 29 Feb (the calibration end) and 90 = 31 Mar (the observation end) are edge cases
valid_day = st.one_of(st.integers(0, 90), st.sampled_from([59, 60, 90])).flatmap(lambda d: st.sampled_from([
    pd.Timestamp("2024-01-01") + pd.Timedelta(days=d),                          # a Timestamp
    (pd.Timestamp("2024-01-01") + pd.Timedelta(days=d, hours=13)).isoformat(),  # or an ISO string with a time
]))
valid_row = st.tuples(st.sampled_from(["u1", "u2", "u3", "u4"]), valid_day, st.integers(0, 5000).map(lambda c: c / 100))
BAD = {
    0: [None, np.nan],                                                         # customer id
    1: [None, pd.NaT, "not a date", "2024-02-30", pd.Timestamp("2024-04-01")],  # date (the last is too late)
    2: [-0.01, np.nan, np.inf, "ten"],                                          # amount
}
corruption = st.one_of(st.none(), st.tuples(st.integers(0, 20), st.sampled_from([0, 1, 2])).flatmap(
    lambda rc: st.sampled_from(BAD[rc[1]]).map(lambda v: (rc[0], rc[1], v))))


def _reference(rows, calibration: bool) -> dict[str, tuple]:
    """Per customer, the answer computed the slow, obvious way (weeks)."""
    days: dict[str, dict[pd.Timestamp, float]] = defaultdict(lambda: defaultdict(float))
    for cust, day, amount in rows:
        days[cust][pd.Timestamp(day).normalize()] += amount
    cut = CAL if calibration else END
    out = {}
    for cust, by_day in days.items():
        cal_days = sorted(d for d in by_day if d <= cut)
        if not cal_days:
            continue
        repeat = [by_day[d] for d in cal_days[1:]]
        out[cust] = (len(cal_days) - 1, (cal_days[-1] - cal_days[0]).days / 7, (cut - cal_days[0]).days / 7,
                     float(np.mean(repeat)) if repeat else 0.0,
                     sum(1 for d in by_day if d > cut))
    return out


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(valid_row, min_size=1, max_size=12), bad=corruption, calibration=st.booleans())
def test_summary_matches_a_reference_or_fails_with_input_error(rows, bad, calibration):
    df = pd.DataFrame(rows, columns=["cust", "when", "paid"])
    kwargs = {"observation_end": END, "calibration_end": CAL if calibration else None}
    if bad is not None:  # one bad cell: an InputError that names its row
        row, col, value = bad
        row %= len(rows)
        df = df.astype(object)
        df.iloc[row, col] = value
        with pytest.raises(InputError, match=f"第 {row + 1} 行"):
            summarize_transactions(df, "cust", "when", "paid", **kwargs)
        return
    expected = _reference(rows, calibration)
    if not expected:
        with pytest.raises(InputError, match="校准期内没有客户"):
            summarize_transactions(df, "cust", "when", "paid", **kwargs)
        return
    s = summarize_transactions(df, "cust", "when", "paid", **kwargs)
    assert list(s.index) == sorted(expected)
    for cust, (x, tx, T, m, x_hold) in expected.items():
        row = s.loc[cust]
        assert row["frequency"] == x
        assert row["recency"] == pytest.approx(tx) and row["T"] == pytest.approx(T)
        assert row["monetary_value"] == pytest.approx(m)
        if calibration:
            assert row["frequency_holdout"] == x_hold
    assert ((0 <= s["recency"]) & (s["recency"] <= s["T"])).all()


# --- simulators: the story, and parameter recovery by the fitted models -------------------------------


def _within_4_se(model, truth: dict[str, float]) -> None:
    for name, value in truth.items():
        est, se = model.params_[name], model.standard_errors_[name]
        assert np.isfinite(se) and se > 0
        assert abs(est - value) < 4 * se, f"{name}: estimate {est:.4g}, truth {value}, s.e. {se:.3g}"


T_COHORTS = np.repeat([26.0, 39.0, 52.0], 8000)  # 24,000 customers who joined at three different dates


def test_bgnbd_simulation_recovers_its_parameters():
    truth = {"r": 0.5, "alpha": 5.0, "a": 0.8, "b": 2.5}
    d = simulate_bgnbd(**truth, n_customers=len(T_COHORTS), T=T_COHORTS, seed=11)
    assert list(d.columns[:3]) == ["frequency", "recency", "T"]
    assert ((d["recency"] <= d["T"]) & ((d["frequency"] == 0) == (d["recency"] == 0))).all()
    model = BetaGeo().fit(d["frequency"], d["recency"], d["T"])
    _within_4_se(model, truth)
    # the story's mean: E[X(T)] of the model with the true parameters, cohort by cohort
    model.params_ = dict(truth)
    for T in (26.0, 39.0, 52.0):
        x = d.loc[d["T"] == T, "frequency"]
        assert abs(x.mean() - model.expected_purchases(T)[0]) < 4 * x.std() / np.sqrt(len(x))


def test_paretonbd_simulation_recovers_its_parameters():
    truth = {"r": 0.55, "alpha": 10.0, "s": 0.6, "beta": 12.0}
    d = simulate_paretonbd(**truth, n_customers=len(T_COHORTS), T=T_COHORTS, seed=12)
    assert ((d["recency"] <= d["T"]) & ((d["frequency"] == 0) == (d["recency"] == 0))).all()
    model = ParetoNBD().fit(d["frequency"], d["recency"], d["T"])
    _within_4_se(model, truth)
    # P(alive) from the fit averages to the share of simulated customers who are still alive
    alive = model.probability_alive(d["frequency"], d["recency"], d["T"])
    assert abs(alive.mean() - d["alive"].mean()) < 0.02


def test_gamma_gamma_simulation_recovers_its_parameters():
    truth = {"p": 6.0, "q": 4.0, "v": 15.0}
    x = 1 + np.random.default_rng(13).poisson(2.0, 20000)
    spend = simulate_gamma_gamma(**truth, frequency=x, seed=13)
    _within_4_se(GammaGamma().fit(x, spend), truth)
    # E[z] = p v / (q − 1) = 30 per purchase; customers without repeat purchases get 0
    assert abs(np.average(spend, weights=x) - 30.0) < 4 * spend.std() / np.sqrt(len(x)) * 2
    assert simulate_gamma_gamma(**truth, frequency=[0, 3], seed=1)[0] == 0.0


def test_simulators_are_reproducible_and_validate_their_input():
    a = simulate_bgnbd(0.3, 4.0, 0.8, 2.4, 50, 39, seed=5)
    pd.testing.assert_frame_equal(a, simulate_bgnbd(0.3, 4.0, 0.8, 2.4, 50, 39, seed=5))
    assert (a["T"] == 39).all() and a.index.name == "customer_id"
    with pytest.raises(InputError, match="T"):
        simulate_paretonbd(0.5, 10, 0.6, 12, 3, [10, 20], seed=1)
    with pytest.raises(InputError, match="alpha"):
        simulate_bgnbd(0.3, -1, 0.8, 2.4, 10, 39)
    with pytest.raises(InputError, match="n_customers"):
        simulate_paretonbd(0.5, 10, 0.6, 12, 0, 39)
    with pytest.raises(InputError, match="frequency"):
        simulate_gamma_gamma(6, 4, 15, [1.5])
