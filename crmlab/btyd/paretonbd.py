"""Pareto/NBD 模型 (Schmittlein, Morrison & Colombo 1987; likelihood as in Fader & Hardie's note).

While alive, a customer buys in a Poisson process with rate λ ~ Gamma(r, α); the lifetime is
exponential with rate μ ~ Gamma(s, β). Inputs as for BG/NBD: ``frequency`` x, ``recency`` t_x, ``T``.
Parameters: r, α, s, β (α and β in the time unit of T).

Numerics: the Gaussian hypergeometric terms are evaluated after Euler's transformation,
2F1(A, B; A+1; z) = (1 − z)^{1−B} 2F1(1, A+1−B; A+1; z), whose second factor lies between 1 and
1/(1 − z); everything else is in logarithms, so large frequencies do not overflow.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln, hyp2f1

from ..errors import InputError
from ._base import FittedModel, check_array, check_weights, group_rows
from .bgnbd import _rft

__all__ = ["ParetoNBD"]


def _log_A0_parts(r, alpha, s, beta, x, t):
    """log of 2F1(·)/(max(α,β)+t)^{r+s+x} in the form of Fader & Hardie's A0 terms, for one time t."""
    rsx = r + s + x
    if alpha >= beta:
        z = (alpha - beta) / (alpha + t)
        b_par = s + 1.0          # 2F1(r+s+x, s+1; r+s+x+1; z)
        base = alpha + t
    else:
        z = (beta - alpha) / (beta + t)
        b_par = r + x            # 2F1(r+s+x, r+x; r+s+x+1; z)
        base = beta + t
    with np.errstate(divide="ignore"):
        log_f = (1.0 - b_par) * np.log1p(-z) + np.log(hyp2f1(1.0, rsx + 1.0 - b_par, rsx + 1.0, z))
    return log_f - rsx * np.log(base)


class ParetoNBD(FittedModel):
    """Pareto/NBD 模型: fit by maximum likelihood; params_ = {"r", "alpha", "s", "beta"}."""

    param_names = ("r", "alpha", "s", "beta")

    @staticmethod
    def _parts(params, x, tx, T):
        r, alpha, s, beta = params
        common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        log_T = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        l1 = _log_A0_parts(r, alpha, s, beta, x, tx)
        l2 = _log_A0_parts(r, alpha, s, beta, x, T)
        with np.errstate(divide="ignore", invalid="ignore"):
            diff = np.where(l2 < l1, l1 + np.log1p(-np.exp(np.minimum(l2 - l1, 0.0))), -np.inf)
        log_second = np.log(s) - np.log(r + s + x) + diff
        return common, log_T, log_second

    @classmethod
    def _loglik_rows(cls, params, x, tx, T):
        common, log_T, log_second = cls._parts(params, x, tx, T)
        return common + np.logaddexp(log_T, log_second)

    def fit(self, frequency: object, recency: object, T: object, weights: object | None = None) -> ParetoNBD:
        """拟合 fit by maximum likelihood (identical rows grouped; ``weights`` count customers per row)."""
        x, tx, T_ = _rft(frequency, recency, T)
        w = check_weights(weights, len(x))
        (x, tx, T_), w = group_rows([x, tx, T_], w)
        if not (x > 0).any():
            raise InputError("Pareto/NBD 至少需要一位有重复购买的客户 (needs some repeat purchases)")
        scale = float(np.max(T_))
        txs, Ts = tx / scale, T_ / scale

        def negll(logp):
            val = -float(np.dot(w, self._loglik_rows(np.exp(logp), x, txs, Ts)))
            return val if np.isfinite(val) else 1e300

        self._fit_ml(self.numerical_gradient(negll), np.zeros(4), w.sum(),
                     hint="可以尝试：检查时间单位、去掉异常客户、或使用更多数据 (more data)；"
                          "Pareto/NBD 对很少重复购买的数据不稳定，可改用 BG/NBD。")
        for k in ("alpha", "beta"):
            self.params_[k] *= scale
            self.standard_errors_[k] *= scale
        self.log_likelihood_ -= float(np.dot(w, x)) * np.log(scale)
        return self

    def log_likelihood(self, frequency: object, recency: object, T: object) -> np.ndarray:
        """每位客户的对数似然 log-likelihood of each customer under the fitted parameters."""
        x, tx, T_ = _rft(frequency, recency, T)
        return self._loglik_rows(self._p(), x, tx, T_)

    def probability_alive(self, frequency: object, recency: object, T: object) -> np.ndarray:
        """仍活跃概率 P(alive | x, t_x, T), in [0, 1]."""
        x, tx, T_ = _rft(frequency, recency, T)
        _, log_T, log_second = self._parts(self._p(), x, tx, T_)
        return np.exp(log_T - np.logaddexp(log_T, log_second))

    def expected_purchases(self, t: object) -> np.ndarray:
        """期望购买次数 E[X(t)] = rβ/(α(s−1)) [1 − (β/(β+t))^{s−1}] for a new customer (s ≠ 1)."""
        r, alpha, s, beta = self._p()
        t_ = check_array(t, "时长", "t")
        if s == 1:
            return r * beta / alpha * np.log1p(t_ / beta)
        return r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t_)) ** (s - 1))

    def conditional_expected_purchases(self, t: object, frequency: object, recency: object, T: object) -> np.ndarray:
        """条件期望购买次数 E[Y(t) | x, t_x, T] in the next ``t`` time units."""
        r, alpha, s, beta = self._p()
        x, tx, T_ = _rft(frequency, recency, T)
        t_ = check_array(t, "预测时长", "t")
        if s == 1:
            head = (r + x) * (beta + T_) / (alpha + T_) * np.log1p(t_ / (beta + T_))
        else:
            head = (r + x) * (beta + T_) / ((alpha + T_) * (s - 1)) * (1 - ((beta + T_) / (beta + T_ + t_)) ** (s - 1))
        return head * self.probability_alive(x, tx, T_)
