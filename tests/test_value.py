"""客户终生价值 calculators: published figures and first principles."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import InputError, clv_closed_form, clv_finite_horizon, margin_multiple

# Gupta & Lehmann (2003), "Customers as assets", Journal of Interactive Marketing 17(1), Table 1:
# margin multiples r / (1 + i - r) for retention r and discount rate i.
GUPTA_LEHMANN_TABLE = {
    (0.60, 0.10): 1.20, (0.60, 0.12): 1.15, (0.60, 0.14): 1.11, (0.60, 0.16): 1.07,
    (0.70, 0.10): 1.75, (0.70, 0.12): 1.67, (0.70, 0.14): 1.59, (0.70, 0.16): 1.52,
    (0.80, 0.10): 2.67, (0.80, 0.12): 2.50, (0.80, 0.14): 2.35, (0.80, 0.16): 2.22,
    (0.90, 0.10): 4.50, (0.90, 0.12): 4.09, (0.90, 0.14): 3.75, (0.90, 0.16): 3.46,
}


@pytest.mark.parametrize(("rates", "published"), GUPTA_LEHMANN_TABLE.items())
def test_margin_multiple_matches_gupta_lehmann_table(rates, published):
    assert round(margin_multiple(*rates), 2) == published


def explicit_sum(margin, r, d, periods):
    return sum(margin * (r / (1 + d)) ** t for t in range(1, periods + 1))


@given(
    margin=st.floats(-1e4, 1e4),
    r=st.floats(0, 0.99),
    d=st.floats(0, 1),
    periods=st.integers(1, 60),
)
def test_finite_horizon_equals_explicit_discounted_sum(margin, r, d, periods):
    assert clv_finite_horizon(margin, r, d, periods) == pytest.approx(
        explicit_sum(margin, r, d, periods), rel=1e-9, abs=1e-6
    )


@given(margin=st.floats(0.01, 1e4), r=st.floats(0, 0.95), d=st.floats(0.01, 1))
def test_closed_form_is_the_limit_of_the_finite_sum(margin, r, d):
    assert clv_closed_form(margin, r, d) == pytest.approx(explicit_sum(margin, r, d, 2000), rel=1e-9)


def test_acquisition_cost_is_subtracted_once():
    assert clv_closed_form(100, 0.8, 0.12, acquisition_cost=50) == pytest.approx(250 - 50)
    assert clv_finite_horizon(100, 0.5, 0.0, 2, acquisition_cost=10) == pytest.approx(50 + 25 - 10)


def test_full_retention_without_discounting_is_linear_in_periods():
    assert clv_finite_horizon(10, 1.0, 0.0, 7) == pytest.approx(70)


@pytest.mark.parametrize(
    ("kwargs", "field", "shown"),
    [
        ({"retention": 1.2, "discount": 0.1}, "保留率 retention", "1.2"),
        ({"retention": -0.1, "discount": 0.1}, "保留率 retention", "-0.1"),
        ({"retention": 0.8, "discount": -0.05}, "折现率 discount", "-0.05"),
        ({"retention": 0.8, "discount": math.nan}, "折现率 discount", "nan"),
        ({"retention": "0.8", "discount": 0.1}, "保留率 retention", "'0.8'"),
        ({"retention": 1.0, "discount": 0.0}, "retention", "retention=1"),
    ],
)
def test_bad_rates_name_field_and_value(kwargs, field, shown):
    with pytest.raises(InputError) as info:
        margin_multiple(**kwargs)
    assert field in str(info.value) and shown in str(info.value)


def test_bad_periods_and_costs():
    with pytest.raises(InputError, match="期数 periods"):
        clv_finite_horizon(100, 0.8, 0.1, 0)
    with pytest.raises(InputError, match="期数 periods.*2.5"):
        clv_finite_horizon(100, 0.8, 0.1, 2.5)
    with pytest.raises(InputError, match="获取成本 acquisition_cost.*-1"):
        clv_closed_form(100, 0.8, 0.1, acquisition_cost=-1)


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(), st.none(), st.booleans()))
def test_retention_validation_accepts_only_fractions(x):
    ok = isinstance(x, float) and 0 <= x <= 1
    try:
        result = margin_multiple(x, 0.1)
    except InputError as exc:
        assert "保留率 retention" in str(exc)
        assert not ok
    else:
        assert ok
        assert math.isfinite(result) and result >= 0
