"""BG/NBD 模型 (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

While active, a customer buys in a Poisson process with rate λ ~ Gamma(r, α); after each purchase
they drop out with probability p ~ Beta(a, b). Inputs per customer: ``frequency`` x (number of
repeat purchases), ``recency`` t_x (time of the last purchase, measured from the first) and ``T``
(time since the first purchase), all in the same unit (weeks, say). Parameters: r, α (same time
unit as T), a, b.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1, log_expit

from ..errors import InputError, require_nonnegative
from ._base import FittedModel, check_array, check_weights, group_rows

__all__ = ["BetaGeo"]


def _rft(frequency: object, recency: object, T: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = check_array(frequency, "购买次数", "frequency", integer=True)
    tx = check_array(recency, "最近购买时间", "recency")
    T_ = check_array(T, "观察时长", "T", allow_equal=False)
    if not len(x) == len(tx) == len(T_):
        raise InputError(f"frequency、recency、T 的长度必须相同，收到 {len(x)}、{len(tx)}、{len(T_)}")
    bad = (tx > T_) | ((x == 0) & (tx != 0)) | ((x > 0) & (tx <= 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"第 {i + 1} 位客户的数据不一致 (inconsistent): 需要 0 ≤ recency ≤ T，且 frequency = 0 时 recency = 0、"
            f"frequency > 0 时 recency > 0；收到 frequency={x[i]:g}, recency={tx[i]:g}, T={T_[i]:g}"
        )
    return x, tx, T_


def _gauss_series(A: np.ndarray, B: float, C: np.ndarray, z: np.ndarray) -> np.ndarray:
    """2F1(A, B; C; z) for 0 ≤ z < 1 by Gauss's series, summed until the terms are negligible and shrinking.

    Slow as z nears 1 (about 40/(1 − z) terms), so it is used only where scipy's ``hyp2f1`` fails."""
    total = np.ones_like(z)
    term = np.ones_like(z)
    active = np.ones(z.shape, dtype=bool)
    n = 0
    while active.any() and n < 5_000_000:
        ratio = (A + n) * (B + n) / ((C + n) * (n + 1.0)) * z
        term = np.where(active, term * ratio, 0.0)
        total += term
        n += 1
        active &= ~((np.abs(term) <= 1e-17 * np.abs(total)) & (np.abs(ratio) < 1))
    return total


def _pfaff_term(A: object, B: float, C: object, z: object) -> np.ndarray:
    """2F1(A, B; C; z/(z−1)) for 0 ≤ z < 1, the bounded hypergeometric factor of the BG/NBD expectations.

    For z ≤ 1/2 the argument lies in [−1, 0] and scipy's ``hyp2f1`` is used. For z > 1/2 it is not
    trustworthy: it returned −2,184 instead of 0.061 for A = 39.5, B = 2.92, C = 61.8, z = 0.72, NaN or
    infinity when C − A − B is a whole number, and wrong values in all three of its equivalent forms for
    large parameters (checked against mpmath). There Pfaff's other transformation,
    2F1(A, B; C; z/(z−1)) = (1 − z)^B 2F1(C − A, B; C; z), is summed as Gauss's series. Euler's integral
    bounds the value — in [0, 1] when B > 0, ≥ 1 when B < 0 — and it is kept there.
    """
    z_ = np.atleast_1d(np.asarray(z, dtype=float))
    A_, C_, z_ = np.broadcast_arrays(np.asarray(A, dtype=float), np.asarray(C, dtype=float), z_)
    term = np.empty(z_.shape)
    near = z_ <= 0.5
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        term[near] = hyp2f1(A_[near], B, C_[near], z_[near] / (z_[near] - 1))
    lo, hi = (0.0, 1.0) if B > 0 else (1.0, np.inf)
    far = ~near | ~np.isfinite(term) | (term < lo) | (term > hi)
    if far.any():
        with np.errstate(over="ignore"):
            term[far] = (1 - z_[far]) ** B * _gauss_series(C_[far] - A_[far], B, C_[far], z_[far])
    return np.clip(term, lo, hi)


class BetaGeo(FittedModel):
    """BG/NBD 模型 (beta-geometric/NBD): fit by maximum likelihood; params_ = {"r", "alpha", "a", "b"}."""

    param_names = ("r", "alpha", "a", "b")
    #: distinct rows above which the fit starts from a subsample's optimum (same answer, fewer passes)
    subsample_threshold = 40_000

    # --- likelihood --------------------------------------------------------------------------------
    @staticmethod
    def _terms(logp: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray):
        r, alpha, a, b = np.exp(logp)
        A = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        t1 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
        with np.errstate(divide="ignore", invalid="ignore"):
            t2 = np.where(x > 0, betaln(a + 1, np.maximum(b + x - 1, 1e-300)) - betaln(a, b)
                          - (r + x) * np.log(alpha + tx), -np.inf)
        return (r, alpha, a, b), A, t1, t2

    @classmethod
    def _loglik_rows(cls, logp, x, tx, T) -> np.ndarray:
        _, A, t1, t2 = cls._terms(logp, x, tx, T)
        return A + np.logaddexp(t1, t2)

    @staticmethod
    def _objective(x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray):
        """Negative log-likelihood and its gradient in log-parameters, as one function.

        Customers without repeat purchases contribute only −r·log(α + T). For the others,
        log L = B1(x) − (r + x) log(α + T) + softplus(d) with d = log(a/(b + x − 1)) + (r + x)(log(α + T) −
        log(α + t_x)). Special functions depend on the frequency only, so they are evaluated once per
        distinct x and summed with per-x weights (``bincount``); per row there remain a few logs.
        """
        zero = x == 0
        T0, w0 = T[zero], w[zero]
        xp, txp, Tp, wp = x[~zero], tx[~zero], T[~zero], w[~zero]
        ux, inv = np.unique(xp, return_inverse=True)
        inv = inv.reshape(-1)
        Wu = np.bincount(inv, weights=wp, minlength=len(ux))
        W_total = float(w.sum())
        wx = wp * xp

        def fun_grad(logp: np.ndarray) -> tuple[float, np.ndarray]:
            r, alpha, a, b = np.exp(logp)
            log_alpha = np.log(alpha)
            # customers with x = 0
            LT0 = np.log(alpha + T0)
            s0_log, s0_inv = float(w0 @ LT0), float(w0 @ (1.0 / (alpha + T0)))
            # customers with x > 0
            LT = np.log(alpha + Tp)
            Ltx = np.log(alpha + txp)
            D = LT - Ltx
            B1 = betaln(a, b + ux) - betaln(a, b)
            C = np.log(a) - np.log(b + ux - 1)
            d = C[inv] + r * D + xp * D
            p2 = expit(d)
            ll = (float(Wu @ (gammaln(r + ux) - gammaln(r) + B1)) + r * log_alpha * W_total - r * s0_log
                  - r * float(wp @ LT) - float(wx @ LT) - float(wp @ log_expit(-d)))
            wp2 = wp * p2
            P2 = np.bincount(inv, weights=wp2, minlength=len(ux))
            P1 = Wu - P2
            dig_ab, dig_abx = digamma(a + b), digamma(a + b + ux)
            d_r = (float(Wu @ (digamma(r + ux) - digamma(r))) + log_alpha * W_total - s0_log
                   - float(wp @ LT) + float(wp2 @ D))
            inv_T, inv_tx = 1.0 / (alpha + Tp), 1.0 / (alpha + txp)
            rx_w1 = r * (wp - wp2) + (wx - wp2 * xp)   # w·p1·(r + x)
            rx_w2 = r * wp2 + wp2 * xp                 # w·p2·(r + x)
            d_alpha = r * W_total / alpha - r * s0_inv - float(rx_w1 @ inv_T) - float(rx_w2 @ inv_tx)
            d_a = float(P1 @ (dig_ab - dig_abx) + P2 @ (digamma(a + 1) - digamma(a) + dig_ab - dig_abx))
            d_b1 = digamma(b + ux) - dig_abx - digamma(b) + dig_ab
            d_b2 = digamma(b + ux - 1) - dig_abx - digamma(b) + dig_ab
            d_b = float(P1 @ d_b1 + P2 @ d_b2)
            grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
            return -ll, -grad

        return fun_grad

    def fit(self, frequency: object, recency: object, T: object, weights: object | None = None) -> BetaGeo:
        """拟合 fit by maximum likelihood. ``weights`` (optional, ≥ 0) counts customers per row.

        Identical (frequency, recency, T) rows are grouped first, so the cost grows with the number of
        distinct rows, not of customers. Returns ``self``.
        """
        x, tx, T_ = _rft(frequency, recency, T)
        w = check_weights(weights, len(x))
        (x, tx, T_), w = group_rows([x, tx, T_], w)
        if w.sum() <= 0 or not (x > 0).any():
            raise InputError("BG/NBD 至少需要一位有重复购买的客户 (needs some repeat purchases)")
        scale = float(np.max(T_))
        xs, txs, Ts = x, tx / scale, T_ / scale  # fit on a unit time scale, convert alpha back

        x0, H0 = np.zeros(4), None
        if len(xs) > self.subsample_threshold:
            # Large data: fit a subsample (a fifth of the rows, 10,000–50,000, weights scaled up to the full
            # total) first, then a few Newton steps on all rows with the subsample's Hessian — a handful of
            # full passes instead of ~20.
            size = max(10_000, min(50_000, len(xs) // 5))
            pick = np.random.default_rng(0).choice(len(xs), size, replace=False)
            sub = self._objective(xs[pick], txs[pick], Ts[pick], w[pick] * (w.sum() / w[pick].sum()))
            x0 = self._warm_start(sub, x0)
            H0 = self._hessian(sub, x0)
        self._fit_ml(self._objective(xs, txs, Ts, w), x0, w.sum(), hessian0=H0,
                     hint="可以尝试：检查时间单位 (T 以周或月计)、去掉异常客户、或使用更多数据 (more data)。")
        # back to the caller's time unit: alpha scales with time; the likelihood gains x·log(scale)
        self.params_["alpha"] *= scale
        self.standard_errors_["alpha"] *= scale
        self.log_likelihood_ -= float(np.dot(w, x)) * np.log(scale)
        return self

    # --- predictions -------------------------------------------------------------------------------
    def log_likelihood(self, frequency: object, recency: object, T: object) -> np.ndarray:
        """每位客户的对数似然 the log-likelihood of each customer under the fitted parameters."""
        x, tx, T_ = _rft(frequency, recency, T)
        return self._loglik_rows(np.log(self._p()), x, tx, T_)

    def expected_purchases(self, t: object) -> np.ndarray:
        """期望购买次数 E[X(t)]: expected purchases of a new customer in ``t`` time units (t ≥ 0)."""
        r, alpha, a, b = self._p()
        t_ = check_array(t, "时长", "t")
        z = t_ / (alpha + t_)
        if a == 1:
            raise InputError("BG/NBD 参数 a = 1 时该期望公式不适用")
        # (alpha/(alpha+t))^r 2F1(r, b; a+b-1; z) = 2F1(r, a-1; a+b-1; z/(z-1))  (Pfaff), bounded
        term = _pfaff_term(r, a - 1, a + b - 1, z)
        return (a + b - 1) / (a - 1) * (1 - term)

    def probability_alive(self, frequency: object, recency: object, T: object) -> np.ndarray:
        """仍活跃概率 P(alive | x, t_x, T), in [0, 1]."""
        r, alpha, a, b = self._p()
        x, tx, T_ = _rft(frequency, recency, T)
        with np.errstate(divide="ignore"):
            log_odds = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                                + (r + x) * (np.log(alpha + T_) - np.log(alpha + tx)), -np.inf)
        return expit(-log_odds)

    def conditional_expected_purchases(self, t: object, frequency: object, recency: object, T: object) -> np.ndarray:
        """条件期望购买次数 E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` time units."""
        r, alpha, a, b = self._p()
        x, tx, T_ = _rft(frequency, recency, T)
        t_ = require_nonnegative(float(t), "预测时长", "t") if np.ndim(t) == 0 else check_array(t, "预测时长", "t")
        z = t_ / (alpha + T_ + t_)
        # ((α+T)/(α+T+t))^{r+x} 2F1(r+x, b+x; a+b+x-1; z) = 2F1(r+x, a-1; a+b+x-1; z/(z-1))
        term = _pfaff_term(r + x, a - 1, a + b + x - 1, z)
        head = (a + b + x - 1) / (a - 1) * (1 - term)
        return head * self.probability_alive(x, tx, T_)

    def probability_of_n_purchases(self, t: object, n: object) -> np.ndarray:
        """购买 n 次的概率 P(X(t) = n) for a new customer in ``t`` time units (FHL 2005 eq. 8)."""
        r, alpha, a, b = self._p()
        t_ = require_nonnegative(float(t), "时长", "t")
        n_ = check_array(n, "次数", "n", integer=True)
        first = (betaln(a, b + n_) - betaln(a, b) + gammaln(r + n_) - gammaln(r) - gammaln(n_ + 1)
                 + r * np.log(alpha / (alpha + t_)) + n_ * np.log(t_ / (alpha + t_)) if t_ > 0 else
                 np.where(n_ == 0, 0.0, -np.inf))
        out = np.exp(first)
        # second term for n > 0: B(a+1, b+n-1)/B(a,b) [1 - (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j]
        pos = n_ > 0
        if pos.any() and t_ > 0:
            nmax = int(n_.max())
            j = np.arange(nmax)
            logs = gammaln(r + j) - gammaln(r) - gammaln(j + 1) + r * np.log(alpha / (alpha + t_)) + j * np.log(
                t_ / (alpha + t_))
            cums = np.concatenate([[0.0], np.cumsum(np.exp(logs))])
            idx = n_[pos].astype(int)
            out[pos] += np.exp(betaln(a + 1, b + idx - 1) - betaln(a, b)) * (1 - cums[idx])
        return out
