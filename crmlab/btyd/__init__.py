"""买到死模型 probabilistic customer-base models ("buy till you die"), fitted by maximum likelihood.

* :class:`BetaGeo` — BG/NBD (Fader, Hardie & Lee 2005), non-contractual, continuous time;
* :class:`ParetoNBD` — Pareto/NBD (Schmittlein, Morrison & Colombo 1987);
* :class:`GammaGamma` — spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV");

Estimators follow scikit-learn's habits: configure in ``__init__``, learn with ``fit(...)`` which
returns ``self``, read ``params_`` (dict), ``log_likelihood_`` (total), ``standard_errors_``.
"""

from __future__ import annotations

from ._base import FitError
from .bgnbd import BetaGeo
from .gammagamma import GammaGamma
from .paretonbd import ParetoNBD

__all__ = ["BetaGeo", "FitError", "GammaGamma", "ParetoNBD"]
