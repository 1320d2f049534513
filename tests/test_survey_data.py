"""鲜果园 surveys: reproducible, consistent with the running case, and showing the documented structure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import InputError
from crmlab.datasets import generate_green_food, load_green_food
from crmlab.satisfaction import KANO_CATEGORIES, SERVQUAL_DIMENSIONS, kano_classify, servqual_gaps
from crmlab.survey_data import (
    KANO_FEATURES,
    SURVEY_DEFAULT,
    SURVEY_ITEMS,
    generate_surveys,
    load_surveys,
    write_surveys,
)


@pytest.fixture(scope="module")
def committed():
    return load_surveys()


@pytest.fixture(scope="module")
def small_food():
    return generate_green_food(800, seed=5)


def test_committed_files_are_the_generator_output(committed):
    fresh = generate_surveys(**SURVEY_DEFAULT)
    for name in ("responses", "items", "kano"):
        pd.testing.assert_frame_equal(getattr(committed, name), getattr(fresh, name), check_dtype=False)


def test_same_seed_same_data_other_seed_other_data(small_food):
    a = generate_surveys(100, 50, seed=1, food=small_food)
    b = generate_surveys(100, 50, seed=1, food=small_food)
    pd.testing.assert_frame_equal(a.responses, b.responses)
    pd.testing.assert_frame_equal(a.kano, b.kano)
    assert not generate_surveys(100, 50, seed=2, food=small_food).responses.equals(a.responses)


def test_respondents_are_customers_who_bought_in_the_survey_year(committed):
    food = load_green_food()
    r = committed.responses
    assert len(r) == SURVEY_DEFAULT["n_respondents"] and r["customer_id"].is_unique
    bought = set(food.transactions.loc[food.transactions["date"].dt.year == 2024, "customer_id"])
    assert set(r["customer_id"]) <= bought
    segments = food.customers.set_index("customer_id").loc[r["customer_id"], "segment"]
    assert (segments.to_numpy() == r["segment"].to_numpy()).all()
    assert committed.kano["respondent_id"].nunique() == SURVEY_DEFAULT["n_kano"]
    assert len(committed.kano) == SURVEY_DEFAULT["n_kano"] * len(KANO_FEATURES)


def test_items_follow_the_servqual_dimensions(committed):
    assert list(committed.items["item"]) == list(SURVEY_ITEMS)
    # statements 1–4 tangibles, 5–9 reliability, 10–13 responsiveness, 14–17 assurance, 18–22 empathy (PZB 1988)
    sizes = committed.items.groupby("dimension", sort=False).size()
    assert sizes.to_dict() == {"有形性": 4, "可靠性": 5, "响应性": 4, "保证性": 4, "移情性": 5}
    assert set(committed.items["dimension_en"]) == set(SERVQUAL_DIMENSIONS.values())
    assert committed.perceptions.shape == (600, 22)
    assert committed.perceptions.min().min() >= 1 and committed.expectations.max().max() <= 7


def test_dimensions_are_correlated_as_the_latent_factor_model_says(committed):
    # Model: dimension factors f_d = 0.7 g + √0.51 v_d → corr(f_d, f_e) = 0.49. A dimension's mean perception is
    # 0.8 f_d + 0.6 × (mean of m item errors): variance 0.64 + 0.36/m, covariance 0.64 × 0.49 = 0.3136 → about
    # 0.43 for m = 4 or 5. Rounding and clipping to 1–7 weaken it a little; 600 respondents give SE ≈ 0.035.
    per = committed.perceptions.T.groupby(committed.dimensions).mean().T
    corr = per.corr().to_numpy()[np.triu_indices(5, 1)]
    assert (corr > 0.28).all() and (corr < 0.55).all()


def test_gaps_have_the_documented_pattern(committed):
    r = servqual_gaps(committed.perceptions, committed.expectations, committed.dimensions)
    gaps = r.dimensions["gap"]
    # latent means: tangibles beat expectations, reliability falls furthest short
    assert gaps["有形性"] > 0 and gaps.idxmin() == "可靠性"
    imp = committed.importance.mean().groupby(committed.dimensions).mean()
    assert imp.idxmax() == "可靠性" and imp.idxmin() == "有形性"


def test_satisfaction_nps_and_flags_go_together(committed):
    r = committed.responses
    assert np.corrcoef(r["nps"], r["overall_satisfaction"])[0, 1] > 0.5
    assert np.corrcoef(r["repurchase_intention"], r["overall_satisfaction"])[0, 1] > 0.3
    satisfied, unsatisfied = r["overall_satisfaction"] >= 4, r["overall_satisfaction"] <= 2
    for flag, sign in (("praise", 1), ("first_choice", 1), ("price_sensitive", -1), ("complained", -1)):
        assert sign * (r.loc[satisfied, flag].mean() - r.loc[unsatisfied, flag].mean()) > 0.1, flag
    assert set(r["overall_satisfaction"]) == {1, 2, 3, 4, 5}
    assert r["nps"].between(0, 10).all()


def test_kano_mode_recovers_the_documented_true_category(committed):
    table = kano_classify(committed.kano)
    truth = {feature: true for feature, (_d, true, _mix) in KANO_FEATURES.items()}
    assert table["category"].to_dict() == truth
    assert set(truth.values()) <= set(KANO_CATEGORIES)
    for _feature, (_d, _true, mix) in KANO_FEATURES.items():
        assert sum(mix.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"n_respondents": 0}, "受访者人数 n_respondents"),
    ({"n_respondents": 10, "n_kano": 11}, "n_kano"),
    ({"n_respondents": 100_000}, "有购买的客户数"),
    ({"seed": -1}, "随机种子 seed"),
    ({"food": "not data"}, "GreenFood"),
])
def test_bad_parameters(kwargs, field, small_food):
    kwargs = {"food": small_food, **kwargs}
    with pytest.raises(InputError, match=field):
        generate_surveys(**kwargs)


def test_loader_names_file_row_and_column(tmp_path, monkeypatch, small_food):
    (tmp_path / "notebooks").mkdir()
    folder = write_surveys(tmp_path / "datasets" / "surveys", n_respondents=20, n_kano=5, food=small_food)
    monkeypatch.setenv("CRMLAB_HOME", str(tmp_path))
    assert len(load_surveys().responses) == 20
    with pytest.raises(InputError, match="文件已存在"):
        write_surveys(folder, n_respondents=20, n_kano=5, food=small_food)

    resp = pd.read_csv(folder / "responses.csv", dtype=str)
    resp.loc[3, "per_q07"] = "8"
    resp.to_csv(folder / "responses.csv", index=False)
    with pytest.raises(InputError, match=r"responses.csv 第 5 行、列 per_q07 必须是 1–7 的整数，收到 8"):
        load_surveys()
    resp.loc[3, "per_q07"] = "5"
    resp.loc[0, "nps"] = "11"
    resp.to_csv(folder / "responses.csv", index=False)
    with pytest.raises(InputError, match=r"第 2 行、列 nps 必须是 0–10 的整数"):
        load_surveys()
    resp.loc[0, "nps"] = "9"
    resp.loc[1, "praise"] = "yes"
    resp.to_csv(folder / "responses.csv", index=False)
    with pytest.raises(InputError, match=r"第 3 行、列 praise 必须是 True 或 False"):
        load_surveys()
    resp.loc[1, "praise"] = "True"
    resp.drop(columns="imp_q22").to_csv(folder / "responses.csv", index=False)
    with pytest.raises(InputError, match=r"缺少列 missing columns \['imp_q22'\]"):
        load_surveys()
    resp.to_csv(folder / "responses.csv", index=False)

    kano = pd.read_csv(folder / "kano.csv", dtype=str)
    kano.loc[2, "dysfunctional"] = "0"
    kano.to_csv(folder / "kano.csv", index=False)
    with pytest.raises(InputError, match=r"kano.csv 第 4 行、列 dysfunctional 必须是 1–5 的整数"):
        load_surveys()
    kano.loc[2, "dysfunctional"] = "5"
    kano.loc[6, "feature"] = "无人机配送"
    kano.to_csv(folder / "kano.csv", index=False)
    with pytest.raises(InputError, match=r"第 8 行、列 feature 必须是已知功能"):
        load_surveys()

    kano.loc[6, "feature"] = kano.loc[0, "feature"]
    kano.loc[6, "respondent_id"] = kano.loc[0, "respondent_id"]
    kano.to_csv(folder / "kano.csv", index=False)
    with pytest.raises(InputError, match=r"第 8 行、列 feature 同一受访者对同一功能回答了两次"):
        load_surveys()
