"""买到死模型 probabilistic customer-base models ("buy till you die"), fitted by maximum likelihood.

* :class:`BetaGeo` — BG/NBD (Fader, Hardie & Lee 2005), non-contractual, continuous time;
* :class:`ParetoNBD` — Pareto/NBD (Schmittlein, Morrison & Colombo 1987);
* :class:`GammaGamma` — spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV");
* :class:`ShiftedBetaGeo` — sBG retention, contractual, discrete time (Fader & Hardie 2007), with DERL;
* :class:`BetaGeoBetaBinom` — BG/BB, non-contractual, discrete time (Fader, Hardie & Shang 2010);
* :func:`summarize_transactions` — transaction log → frequency/recency/T/monetary value (+ hold-out);
* :func:`first_purchase_times`, :func:`cumulative_repeat_transactions` — a cohort's births and its
  cumulative repeat purchases per week, for the tracking plot;
* :func:`simulate_bgnbd`, :func:`simulate_paretonbd`, :func:`simulate_gamma_gamma` — simulated customers;
* :func:`load_cdnow_transactions`, :func:`load_cdnow_summary`, :func:`cdnow_path` — the CDNOW data;
* :func:`customer_lifetime_value` — expected discounted margin from a purchase model + Gamma-Gamma;
* :mod:`crmlab.btyd.plots` — histogram, calibration vs holdout, P(alive) matrix, tracking, survival.

Estimators follow scikit-learn's habits: configure in ``__init__``, learn with ``fit(...)`` which
returns ``self``, read ``params_`` (dict), ``log_likelihood_`` (total), ``standard_errors_``.
"""

from __future__ import annotations

from ._base import FitError
from .bgbb import BetaGeoBetaBinom, simulate_bgbb
from .bgnbd import BetaGeo
from .clv import customer_lifetime_value
from .data import cdnow_path, load_cdnow_summary, load_cdnow_transactions
from .gammagamma import GammaGamma
from .paretonbd import ParetoNBD
from .sbg import ShiftedBetaGeo, simulate_sbg, survivors_from_customers
from .simulate import simulate_bgnbd, simulate_gamma_gamma, simulate_paretonbd
from .summary import cumulative_repeat_transactions, first_purchase_times, summarize_transactions

__all__ = [
    "BetaGeo",
    "BetaGeoBetaBinom",
    "FitError",
    "GammaGamma",
    "ParetoNBD",
    "ShiftedBetaGeo",
    "cdnow_path",
    "cumulative_repeat_transactions",
    "customer_lifetime_value",
    "first_purchase_times",
    "load_cdnow_summary",
    "load_cdnow_transactions",
    "simulate_bgbb",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "simulate_paretonbd",
    "simulate_sbg",
    "summarize_transactions",
    "survivors_from_customers",
]
