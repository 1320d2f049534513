"""crmlab — 客户关系管理 executable workbook.

Calculators for customer lifecycle, value, satisfaction, loyalty and service, used by the
chapter notebooks, widgets, exercises and certification practice of the workbook.
"""

from __future__ import annotations

from .errors import InputError
from .value import (
    clv_closed_form,
    clv_finite_horizon,
    clv_from_cash_flows,
    delivered_value,
    expected_lifetime,
    margin_multiple,
    markov_clv,
)

__version__ = "0.1.0"
__all__ = [
    "InputError",
    "__version__",
    "clv_closed_form",
    "clv_finite_horizon",
    "clv_from_cash_flows",
    "delivered_value",
    "expected_lifetime",
    "margin_multiple",
    "markov_clv",
]
