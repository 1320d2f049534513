"""Gamma-Gamma 消费额模型 (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013 note).

A customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, so the
mean spend per transaction varies between customers but not with how often they buy. Inputs per
customer with at least one repeat purchase: ``frequency`` x (> 0) and ``monetary_value`` m̄ (their
mean spend per repeat transaction, > 0, in 元 or dollars). Parameters p, q, v (= γ, in the money unit).
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln

from ..errors import InputError
from ._base import FittedModel, check_array, check_weights, group_rows

__all__ = ["GammaGamma"]


def _fm(frequency: object, monetary_value: object) -> tuple[np.ndarray, np.ndarray]:
    x = check_array(frequency, "购买次数", "frequency", integer=True, minimum=0, allow_equal=False)
    m = check_array(monetary_value, "平均消费额", "monetary_value", minimum=0, allow_equal=False)
    if len(x) != len(m):
        raise InputError(f"frequency 与 monetary_value 的长度必须相同，收到 {len(x)} 和 {len(m)}")
    return x, m


class GammaGamma(FittedModel):
    """Gamma-Gamma 模型: params_ = {"p", "q", "v"}; use only customers with frequency > 0."""

    param_names = ("p", "q", "v")

    @staticmethod
    def _negll_and_grad(logp, x, m, w):
        p, q, v = np.exp(logp)
        px = p * x
        log_vxm = np.log(v + x * m)
        ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * np.log(m)
              + px * np.log(x) - (px + q) * log_vxm)
        dig = digamma(px + q)
        d_p = x * (dig - digamma(px) + np.log(m) + np.log(x) - log_vxm)
        d_q = dig - digamma(q) + np.log(v) - log_vxm
        d_v = q / v - (px + q) / (v + x * m)
        grad = np.array([np.dot(w, d_p) * p, np.dot(w, d_q) * q, np.dot(w, d_v) * v])
        return -float(np.dot(w, ll)), -grad

    def fit(self, frequency: object, monetary_value: object, weights: object | None = None) -> GammaGamma:
        """拟合 fit by maximum likelihood on customers with ``frequency`` > 0 and ``monetary_value`` > 0."""
        x, m = _fm(frequency, monetary_value)
        w = check_weights(weights, len(x))
        (x, m), w = group_rows([x, m], w)
        scale = float(np.mean(m))
        ms = m / scale  # fit in units of the average spend; v scales with money, the density by 1/scale

        self._fit_ml(lambda logp: self._negll_and_grad(logp, x, ms, w), np.zeros(3), w.sum(),
                     hint="可以尝试：只用有重复购买且消费额为正的客户，检查金额单位，或使用更多数据 (more data)。")
        self.params_["v"] *= scale
        self.standard_errors_["v"] *= scale
        self.log_likelihood_ -= float(np.sum(w)) * np.log(scale)
        return self

    def expected_average_spend(self) -> float:
        """总体平均每笔消费 E[M] = pν/(q − 1) for a randomly chosen customer (needs q > 1)."""
        p, q, v = self._p()
        if q <= 1:
            raise InputError(f"参数 q = {q:.3g} ≤ 1 时平均消费额不存在 (mean undefined)")
        return p * v / (q - 1)

    def conditional_expected_average_spend(self, frequency: object, monetary_value: object) -> np.ndarray:
        """条件平均消费额 E[M | x, m̄] = (p(v + x m̄))/(px + q − 1): a weighted mean of the population
        mean and the customer's own mean. Customers with x = 0 get the population mean."""
        p, q, v = self._p()
        x = check_array(frequency, "购买次数", "frequency", integer=True)
        m = check_array(monetary_value, "平均消费额", "monetary_value")
        if len(x) != len(m):
            raise InputError(f"frequency 与 monetary_value 的长度必须相同，收到 {len(x)} 和 {len(m)}")
        return p * (v + x * m) / (p * x + q - 1)
