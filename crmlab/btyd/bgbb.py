"""BG/BB 模型 (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time noncontractual
setting", Marketing Science 29(6), 1086–1108) — repeat business at fixed occasions (an annual
fund-raising drive, a yearly conference, a weekly market day) with no record of who has quit.

The story, for each customer: at every transaction opportunity a customer who is still "alive"
transacts with probability p; before each opportunity they may quit for good with probability θ
(so they are alive at opportunity t with probability (1 − θ)^t). Across customers p ~ Beta(α, β)
and θ ~ Beta(γ, δ), independently.

Inputs per customer, after n opportunities (``n_periods``): ``frequency`` x = the number of
opportunities with a transaction, and ``recency`` t_x = the last such opportunity (0 if none), so
0 ≤ x ≤ t_x ≤ n and x = 0 exactly when t_x = 0. The likelihood (FHS 2010, eq. 5) adds one term for
"still alive after n opportunities" and one for each opportunity t_x + i (i = 0, …, n − t_x − 1)
after which the customer might have quit:

    L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
        + Σ_i B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ).

We sum the terms in log space (logsumexp), so long histories never underflow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma, gammaln, logsumexp

from ..errors import InputError, require_int, require_positive
from ._base import FittedModel, check_array, check_weights, group_rows
from .sbg import _as_output, _fit_checked

__all__ = ["BetaGeoBetaBinom", "simulate_bgbb"]


def _xtn(frequency: object, recency: object, n_periods: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = check_array(frequency, "交易次数", "frequency", integer=True)
    tx = check_array(recency, "最近交易机会", "recency", integer=True)
    n = check_array(n_periods, "交易机会数", "n_periods", integer=True, minimum=1)
    size = max(x.size, tx.size, n.size)
    arrays = []
    for arr in (x, tx, n):
        if arr.size not in (1, size):
            raise InputError(
                f"frequency、recency、n_periods 的长度必须相同 (或为单个数)，收到 {x.size}、{tx.size}、{n.size}"
            )
        arrays.append(np.broadcast_to(arr, size).astype(float))
    x, tx, n = arrays
    bad = (x > tx) | (tx > n) | ((x == 0) != (tx == 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"第 {i + 1} 位客户的数据不一致 (inconsistent): 需要 0 ≤ frequency ≤ recency ≤ n_periods，"
            f"且 frequency = 0 当且仅当 recency = 0；收到 frequency={x[i]:g}, recency={tx[i]:g}, n_periods={n[i]:g}"
        )
    return x, tx, n


def simulate_bgbb(alpha: float, beta: float, gamma: float, delta: float, n_customers: int, n_periods: int,
                  seed: int | None = None) -> pd.DataFrame:
    """模拟 simulate ``n_customers`` new customers for ``n_periods`` transaction opportunities.

    Each customer draws p ~ Beta(α, β) and θ ~ Beta(γ, δ); they survive to opportunity t with
    probability (1 − θ)^t and, while alive, transact at each opportunity with probability p. Returns a
    DataFrame with columns ``frequency``, ``recency``, ``n_periods`` and ``alive_next`` (still alive at
    opportunity n + 1, the event whose probability :meth:`BetaGeoBetaBinom.probability_alive` gives).
    Uses ``numpy.random.default_rng(seed)``, so the same seed gives the same data.
    """
    a = require_positive(alpha, "参数", "alpha")
    b = require_positive(beta, "参数", "beta")
    g = require_positive(gamma, "参数", "gamma")
    d = require_positive(delta, "参数", "delta")
    m = require_int(n_customers, "客户数", "n_customers", minimum=1)
    n = require_int(n_periods, "交易机会数", "n_periods", minimum=1)
    rng = np.random.default_rng(seed)
    p = rng.beta(a, b, m)
    theta = rng.beta(g, d, m)
    # quits just before opportunity G ~ geometric(θ) (support 1, 2, …): alive at opportunities 1..G−1
    quits_at = rng.geometric(np.clip(theta, 1e-300, 1.0))
    alive_for = np.minimum(quits_at - 1, n)
    t = np.arange(1, n + 1)
    buys = (rng.random((m, n)) < p[:, None]) & (t[None, :] <= alive_for[:, None])
    frequency = buys.sum(axis=1)
    recency = np.where(frequency > 0, n - np.argmax(buys[:, ::-1], axis=1), 0)
    return pd.DataFrame({"frequency": frequency, "recency": recency, "n_periods": n, "alive_next": quits_at > n + 1})


class BetaGeoBetaBinom(FittedModel):
    """BG/BB 模型 (beta-geometric/beta-Bernoulli): params_ = {"alpha", "beta", "gamma", "delta"}.

    α, β describe the transaction probability p (mean α/(α+β)); γ, δ the dropout probability θ
    (mean γ/(γ+δ)).
    """

    param_names = ("alpha", "beta", "gamma", "delta")

    # --- likelihood --------------------------------------------------------------------------------
    @staticmethod
    def _terms(logp: np.ndarray, x: np.ndarray, tx: np.ndarray, n: np.ndarray):
        """Log of every term of the likelihood: column 0 "alive after n", column 1 + i "quit after t_x + i"."""
        a, b, g, d = np.exp(logp)
        width = int(np.max(n - tx))
        i = np.arange(width)[None, :]
        m = np.concatenate([n[:, None], tx[:, None] + i], axis=1)  # opportunities survived in each term
        alive = np.zeros(m.shape, bool)
        alive[:, 0] = True
        valid = np.concatenate([np.ones((len(n), 1), bool), i < (n - tx)[:, None]], axis=1)
        xx = x[:, None]
        log_t = (betaln(a + xx, b + m - xx) - betaln(a, b)
                 + np.where(alive, betaln(g, d + m), betaln(g + 1, d + m)) - betaln(g, d))
        log_t = np.where(valid, log_t, -np.inf)
        return (a, b, g, d), m, alive, log_t

    @classmethod
    def _loglik_rows(cls, logp, x, tx, n) -> np.ndarray:
        return logsumexp(cls._terms(logp, x, tx, n)[-1], axis=1)

    @classmethod
    def _negll_and_grad(cls, logp, x, tx, n, w):
        (a, b, g, d), m, alive, log_t = cls._terms(logp, x, tx, n)
        ll = logsumexp(log_t, axis=1)
        share = np.exp(log_t - ll[:, None])  # each term's share of the likelihood (0 where invalid)
        xx = x[:, None]
        d_ab, d_gd = digamma(a + b), digamma(g + d)
        da = digamma(a + xx) - digamma(a + b + m) - digamma(a) + d_ab
        db = digamma(b + m - xx) - digamma(a + b + m) - digamma(b) + d_ab
        dg = np.where(alive, d_gd - digamma(g + d + m),
                      digamma(g + 1) - digamma(g + d + m + 1) - digamma(g) + d_gd)
        dd = np.where(alive, digamma(d + m) - digamma(g + d + m),
                      digamma(d + m) - digamma(g + d + m + 1)) - digamma(d) + d_gd
        grad = np.array([np.dot(w, np.sum(share * der, axis=1)) for der in (da, db, dg, dd)])
        return -float(np.dot(w, ll)), -grad * np.array([a, b, g, d])

    def fit(self, frequency: object, recency: object, n_periods: object,
            weights: object | None = None) -> BetaGeoBetaBinom:
        """拟合 fit by maximum likelihood. ``weights`` (optional, ≥ 0) counts customers per row.

        Rows with the same (frequency, recency, n_periods) are grouped first, so a data set of any size
        costs no more than its distinct patterns (at most (n + 1)(n + 2)/2 for a common n). Returns ``self``.
        """
        x, tx, n = _xtn(frequency, recency, n_periods)
        w = check_weights(weights, x.size)
        (x, tx, n), w = group_rows([x, tx, n], w)
        keep = w > 0
        (x, tx, n), w = (x[keep], tx[keep], n[keep]), w[keep]
        if w.sum() <= 0 or not (x > 0).any():
            raise InputError("BG/BB 至少需要一位有交易的客户 (needs some customers with transactions)")

        def f(logp):
            return self._negll_and_grad(logp, x, tx, n, w)

        hint = "可以尝试：检查 frequency/recency 是否按交易机会计数、合并过短的历史，或使用更多客户 (more data)。"
        _fit_checked(self, f, np.zeros(4), float(w.sum()), hint)
        return self

    # --- predictions -------------------------------------------------------------------------------
    def log_likelihood(self, frequency: object, recency: object, n_periods: object) -> np.ndarray:
        """每位客户的对数似然 log L(α, β, γ, δ | x, t_x, n) of each customer under the fitted parameters."""
        x, tx, n = _xtn(frequency, recency, n_periods)
        return self._loglik_rows(np.log(self._p()), x, tx, n)

    def probability_alive(self, frequency: object, recency: object, n_periods: object) -> float | np.ndarray:
        """仍活跃概率 P(alive at opportunity n + 1 | x, t_x, n) (FHS 2010, eq. 11), in [0, 1]."""
        a, b, g, d = self._p()
        x, tx, n = _xtn(frequency, recency, n_periods)
        ll = self._loglik_rows(np.log([a, b, g, d]), x, tx, n)
        log_alive = betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n + 1) - betaln(g, d)
        out = np.clip(np.exp(log_alive - ll), 0.0, 1.0)
        return _as_output(out, frequency) if out.size == 1 else out

    def _cumulative_survival(self, horizon: int) -> np.ndarray:
        """C[N] = Σ_{t=1}^{N} E[(1 − θ)^t] for N = 0..horizon (expected opportunities alive)."""
        _, _, g, d = self._p()
        t = np.arange(1, horizon + 1)
        return np.concatenate([[0.0], np.cumsum(np.exp(betaln(g, d + t) - betaln(g, d)))])

    def expected_transactions(self, n_future: object) -> float | np.ndarray:
        """期望交易次数 E[X(n)] of a new customer over the next n opportunities (FHS 2010, eq. 8).

        Computed as α/(α+β) · Σ_{t=1}^{n} E[(1 − θ)^t], which equals the closed form
        α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ)Γ(1+δ+n)/(Γ(γ+δ+n)Γ(1+δ))] but stays accurate near γ = 1.
        """
        a, b, _, _ = self._p()
        n = check_array(n_future, "交易机会数", "n_future", integer=True)
        cum = self._cumulative_survival(int(n.max()))
        return _as_output(a / (a + b) * cum[n.astype(int)], n_future)

    def conditional_expected_transactions(self, n_future: int, frequency: object, recency: object,
                                          n_periods: object) -> float | np.ndarray:
        """条件期望交易次数 E[X(n, n + n*) | x, t_x, n]: expected transactions in the next ``n_future``
        opportunities of a customer with history (x, t_x, n) (FHS 2010, eq. 13)."""
        a, b, g, d = self._p()
        k = require_int(n_future, "预测机会数", "n_future", minimum=0)
        x, tx, n = _xtn(frequency, recency, n_periods)
        ll = self._loglik_rows(np.log([a, b, g, d]), x, tx, n)
        out = np.zeros(x.size)
        if k > 0:
            # Σ_{j=1}^{n*} B(γ, δ+n+j)/B(γ, δ) depends only on n: one sum per distinct n
            log_tail = np.empty(x.size)
            j = np.arange(1, k + 1)
            for value in np.unique(n):
                log_tail[n == value] = logsumexp(betaln(g, d + value + j)) - betaln(g, d)
            out = np.exp(betaln(a + x + 1, b + n - x) - betaln(a, b) + log_tail - ll)
        return _as_output(out, frequency) if out.size == 1 else out

    def probability_of_n_transactions(self, n_periods: int, k: object) -> float | np.ndarray:
        """交易 k 次的概率 P(X(n) = k) for a new customer over n opportunities (FHS 2010, eq. 7).

        Either still alive after n opportunities (k of n transactions), or quit after opportunity
        i ≥ k with k transactions among the first i. Values of k above n get probability 0.
        """
        a, b, g, d = self._p()
        n = require_int(n_periods, "交易机会数", "n_periods", minimum=0)
        kk = check_array(k, "交易次数", "k", integer=True)

        def log_choose(top, low):
            return gammaln(top + 1) - gammaln(low + 1) - gammaln(top - low + 1)

        out = np.zeros(kk.size)
        for idx, x in enumerate(kk):
            if x > n:
                continue
            terms = [log_choose(n, x) + betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n) - betaln(g, d)]
            i = np.arange(x, n)
            if i.size:
                terms.extend(log_choose(i, x) + betaln(a + x, b + i - x) - betaln(a, b)
                             + betaln(g + 1, d + i) - betaln(g, d))
            out[idx] = np.exp(logsumexp(terms))
        return _as_output(out, k)
