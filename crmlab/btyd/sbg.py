"""sBG 模型 shifted-beta-geometric (Fader & Hardie 2007, "How to project customer retention",
Journal of Interactive Marketing 21(1), 76–90) — retention in a contractual, discrete-time setting.

The story: at the end of every period (a year, a month) each customer renews with a constant
probability 1 − θ of their own, so their lifetime T (the period in which they cancel) is shifted
geometric, P(T = t | θ) = θ(1 − θ)^{t−1}, t = 1, 2, …; across customers θ ~ Beta(α, β). Mixing gives

* P(T = t) = B(α + 1, β + t − 1) / B(α, β)            (churn in period t)
* S(t) = P(T > t) = B(α, β + t) / B(α, β)             (still a customer after t periods)
* r_t = S(t) / S(t − 1) = (β + t − 1)/(α + β + t − 1)  (retention rate in period t)

r_t rises with t although no individual changes: the customers likely to leave leave first
("heterogeneity, not loyalty").

Input to :meth:`ShiftedBetaGeo.fit`: ``survivors`` — how many customers of one cohort are still
customers at the start of each period (the first number is the cohort size). Those lost in period t
contribute P(T = t) each, those still there at the end contribute S(last period) each.

Customer value (Fader & Hardie 2010, "Customer-base valuation in a contractual setting: the perils of
ignoring heterogeneity", Marketing Science 29(1), 85–93): the discounted expected residual lifetime of
a customer who has renewed n − 1 times,

    DERL(d | n − 1) = Σ_{t ≥ n} S(t)/S(n − 1) · (1 + d)^{−(t − n)}
                    = (β + n − 1)/(α + β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d)),

counted in payments: the next renewal payment (if it happens) is not discounted, the one after by
one period, and so on.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import integrate
from scipy.special import betaln, digamma, polygamma

from ..errors import InputError, require_finite, require_int, require_nonnegative, require_positive
from ._base import FitError, FittedModel, check_array

__all__ = ["ShiftedBetaGeo", "simulate_sbg", "survivors_from_customers"]


# --- helpers shared with the BG/BB module ------------------------------------------------------------
def _as_output(values: np.ndarray, given: object) -> float | np.ndarray:
    """A float when the caller passed one number, else the array."""
    return float(values.reshape(-1)[0]) if np.ndim(given) == 0 else values


def _fit_checked(model: FittedModel, fun_grad, x0: np.ndarray, n_customers: float, hint: str) -> None:
    """Run the shared ML fit, then refuse estimates the data cannot pin down.

    Besides the checks of ``_fit_ml`` (boundary, singular Hessian) a fit fails when a standard error is
    more than ten times its estimate: the likelihood is then flat along that direction (for example an
    sBG cohort with no heterogeneity at all, where α and β drift off to infinity together), and the
    reported numbers would only show where the optimiser stopped. A failed fit leaves the model unfitted.
    """
    model.__dict__.pop("params_", None)
    try:
        model._fit_ml(fun_grad, x0, n_customers, hint=hint)
        rel = {k: se / model.params_[k] for k, se in model.standard_errors_.items()}
        vague = [k for k, v in rel.items() if not (np.isfinite(v) and v < 10.0)]
        if vague:
            raise FitError(
                f"{type(model).__name__} 未收敛 (did not converge): 参数 {vague} 的标准误超过估计值的 10 倍，"
                f"数据无法确定它们 (not identified; the likelihood is flat)。{hint}"
            )
    except FitError:
        model.__dict__.pop("params_", None)
        raise


def _derl(a: float, b: float, d: float) -> float:
    """(1 + d) E[(1 − θ)/(θ + d)] for θ ~ Beta(a, b), integrated over u = log θ ∈ (−∞, 0)."""
    log_b = betaln(a, b)

    def integrand(u: float) -> float:
        return float(np.exp(a * u + b * np.log(-np.expm1(u)) - np.log(np.exp(u) + d) - log_b))

    # split where the integrand changes: around the bulk of log θ (centre, a few spreads either side)
    # and where θ ≈ d
    centre = np.log(a / (a + b))
    spread = np.sqrt(polygamma(1, a) - polygamma(1, a + b))  # sd of log θ
    marks = {min(m, -1e-3) for m in (centre - 8 * spread, centre - 3 * spread, centre, centre + 3 * spread, np.log(d))}
    edges = sorted({min(marks) - 2.0, *marks, 0.0})
    total = sum(integrate.quad(integrand, lo, hi, epsabs=0.0, epsrel=1e-12, limit=200)[0]
                for lo, hi in itertools.pairwise(edges))
    # the far left tail is tiny: ask for accuracy relative to the rest, not to its own (denormal) size
    total += integrate.quad(integrand, -np.inf, edges[0], epsabs=1e-15 * total, epsrel=1e-12, limit=200)[0]
    return (1.0 + d) * total


# --- data ----------------------------------------------------------------------------------------
def _survivors(survivors: object) -> np.ndarray:
    s = check_array(survivors, "存活人数", "survivors", integer=True)
    if s.size < 3:
        raise InputError(
            f"存活人数 survivors 至少需要 3 个值 (cohort size + at least 2 periods)，收到 {s.size} 个: {s.tolist()}"
        )
    if s[0] <= 0:
        raise InputError(f"存活人数 survivors 的第 1 个值 (cohort size) 必须大于 0，收到 {s[0]:g}")
    up = np.flatnonzero(np.diff(s) > 0)
    if up.size:
        i = int(up[0]) + 1
        raise InputError(
            f"存活人数 survivors 必须逐期不增 (non-increasing): 第 {i + 1} 个值 {s[i]:g} 大于前一个值 {s[i - 1]:g}"
        )
    if s[-1] == s[0]:
        raise InputError(f"存活人数 survivors 没有任何流失 (no churn observed)，无法估计流失率，收到 {s.tolist()}")
    if s[1] == 0:
        raise InputError(
            "存活人数 survivors 显示所有客户在第 1 期全部流失 (everyone churned in period 1)，"
            f"无法区分客户差异，收到 {s.tolist()}"
        )
    return s


def survivors_from_customers(recency: object, T: object) -> np.ndarray:
    """从客户明细得到存活人数 survivors from a per-customer file of one cohort.

    ``recency`` is the last period each customer was seen active (1, 2, …) and ``T`` the number of
    periods observed (the same for the whole cohort). A customer with recency < T cancelled at the end
    of period ``recency``; recency = T means still a customer. Returns the number of customers at the
    start of periods 1, …, T (``T`` values, the first being the cohort size), ready for
    :meth:`ShiftedBetaGeo.fit`.
    """
    r = check_array(recency, "最近活跃期", "recency", integer=True, minimum=1)
    t = check_array(T, "观察期数", "T", integer=True, minimum=1)
    if t.size == 1:
        t = np.full(r.size, t[0])
    if t.size != r.size:
        raise InputError(f"recency 与 T 的长度必须相同，收到 {r.size} 和 {t.size}")
    if np.unique(t).size != 1:
        raise InputError(
            f"观察期数 T 在同一群组 (cohort) 内必须相同，收到 {np.unique(t)[:5].tolist()}；请按 cohort 分开计算"
        )
    horizon = int(t[0])
    bad = np.flatnonzero(r > horizon)
    if bad.size:
        i = int(bad[0])
        raise InputError(f"第 {i + 1} 位客户的最近活跃期 recency={r[i]:g} 超过观察期数 T={horizon}")
    k = np.arange(horizon)
    return (r[None, :] > k[:, None]).sum(axis=1).astype(int)


def simulate_sbg(alpha: float, beta: float, cohort_size: int, periods: int, seed: int | None = None) -> np.ndarray:
    """模拟一个群组 simulate one cohort under the sBG story; returns survivors at t = 0, 1, …, periods.

    Each of ``cohort_size`` customers draws a churn probability θ ~ Beta(α, β) and then cancels in
    period T ~ shifted-geometric(θ); ``survivors[t]`` counts those with T > t. Uses
    ``numpy.random.default_rng(seed)``, so the same seed gives the same cohort.
    """
    a = require_positive(alpha, "参数", "alpha")
    b = require_positive(beta, "参数", "beta")
    n = require_int(cohort_size, "群组人数", "cohort_size", minimum=1)
    k = require_int(periods, "期数", "periods", minimum=1)
    rng = np.random.default_rng(seed)
    theta = rng.beta(a, b, n)
    lifetime = rng.geometric(np.clip(theta, 1e-300, 1.0))  # support 1, 2, …
    return (lifetime[None, :] > np.arange(k + 1)[:, None]).sum(axis=1).astype(int)


class ShiftedBetaGeo(FittedModel):
    """sBG 模型 (shifted-beta-geometric): fit on a cohort's survivor counts; params_ = {"alpha", "beta"}."""

    param_names = ("alpha", "beta")

    # --- likelihood --------------------------------------------------------------------------------
    @staticmethod
    def _negll_and_grad(logp: np.ndarray, lost: np.ndarray, last: float) -> tuple[float, np.ndarray]:
        """lost[t−1] customers cancelled in period t = 1..K; ``last`` are still there after K periods."""
        a, b = np.exp(logp)
        K = lost.size
        t = np.arange(1, K + 1)
        ll_churn = betaln(a + 1, b + t - 1) - betaln(a, b)
        ll_surv = betaln(a, b + K) - betaln(a, b)
        ll = float(np.dot(lost, ll_churn) + last * ll_surv)
        d_ab = digamma(a + b)
        # ∂/∂α, ∂/∂β of log P(T = t) and log S(K)
        da_churn = digamma(a + 1) - digamma(a + b + t) - digamma(a) + d_ab
        db_churn = digamma(b + t - 1) - digamma(a + b + t) - digamma(b) + d_ab
        da_surv = d_ab - digamma(a + b + K)
        db_surv = digamma(b + K) - digamma(a + b + K) - digamma(b) + d_ab
        grad = np.array([
            (np.dot(lost, da_churn) + last * da_surv) * a,
            (np.dot(lost, db_churn) + last * db_surv) * b,
        ])
        return -ll, -grad

    def fit(self, survivors: object) -> ShiftedBetaGeo:
        """拟合 fit by maximum likelihood to one cohort.

        ``survivors``: customers still with the firm at the start of each period, the first value being
        the cohort size (non-increasing whole numbers ≥ 0, at least three values). With K + 1 values the
        fit uses K periods of churn. Returns ``self``.
        """
        s = _survivors(survivors)
        lost = -np.diff(s)
        last = float(s[-1])
        self.survivors_ = s.copy()

        def f(logp):
            return self._negll_and_grad(logp, lost, last)

        hint = ("可以尝试：检查存活人数是否为同一群组；若各期保留率没有上升，说明客户之间差异很小，"
                "sBG 退化为几何分布 (constant retention, use a geometric model)。")
        _fit_checked(self, f, np.zeros(2), float(s[0]), hint)
        return self

    def fit_customers(self, recency: object, T: object) -> ShiftedBetaGeo:
        """拟合客户明细 fit from per-customer ``recency`` and ``T`` (see :func:`survivors_from_customers`)."""
        return self.fit(survivors_from_customers(recency, T))

    survivors_from_customers = staticmethod(survivors_from_customers)

    # --- predictions -------------------------------------------------------------------------------
    def churn_probability(self, t: object) -> float | np.ndarray:
        """流失概率 P(T = t): probability that a new customer cancels in period t (t = 1, 2, …)."""
        a, b = self._p()
        t_ = check_array(t, "期数", "t", integer=True, minimum=1)
        return _as_output(np.exp(betaln(a + 1, b + t_ - 1) - betaln(a, b)), t)

    def survival(self, t: object) -> float | np.ndarray:
        """存活函数 S(t) = P(T > t) = B(α, β + t)/B(α, β) (t = 0, 1, 2, …; S(0) = 1)."""
        a, b = self._p()
        t_ = check_array(t, "期数", "t", integer=True)
        return _as_output(np.exp(betaln(a, b + t_) - betaln(a, b)), t)

    def retention_rate(self, t: object) -> float | np.ndarray:
        """保留率 r_t = S(t)/S(t − 1) = (β + t − 1)/(α + β + t − 1) (t = 1, 2, …)."""
        a, b = self._p()
        t_ = check_array(t, "期数", "t", integer=True, minimum=1)
        return _as_output((b + t_ - 1) / (a + b + t_ - 1), t)

    def expected_survivors(self, cohort_size: float, periods: int) -> np.ndarray:
        """期望存活人数 cohort_size · S(t) for t = 0, 1, …, periods (``periods`` + 1 values)."""
        n = require_nonnegative(cohort_size, "群组人数", "cohort_size")
        k = require_int(periods, "期数", "periods", minimum=0)
        return n * np.asarray(self.survival(np.arange(k + 1)), dtype=float).reshape(-1)

    def derl(self, discount: float, renewals: object = 0) -> float | np.ndarray:
        """折现期望剩余寿命 DERL(d | n − 1 renewals) (Fader & Hardie 2010).

        The expected number of future payments, discounted at rate ``discount`` (> 0) per period, of a
        customer who has renewed ``renewals`` = n − 1 times and is about to decide on the next renewal;
        payments fall at the start of each period, so the next one is not discounted:

            DERL = Σ_{t ≥ n} S(t)/S(n − 1) (1 + d)^{−(t − n)}
                 = (β + n − 1)/(α + β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d)).

        Library routines for ₂F₁ lose accuracy (or return NaN) for large β + n, so we evaluate the same
        number as an integral: given n − 1 renewals, θ ~ Beta(α, β + n − 1), and
        DERL = (1 + d) E[(1 − θ)/(θ + d)], integrated over log θ (smooth for every α, β and d > 0).
        """
        a, b = self._p()
        d = require_positive(discount, "折现率", "discount")
        r = check_array(renewals, "续约次数", "renewals", integer=True)
        value = np.array([_derl(a, b + k, d) for k in r])
        return _as_output(value, renewals)

    def expected_lifetime_value(self, margin: float, discount: float, renewals: object = 0) -> float | np.ndarray:
        """剩余价值 expected residual lifetime value = margin × DERL(discount | renewals).

        For a customer who has just signed up (``renewals`` = 0) and already paid the first period,
        this is the value of the renewals still to come; add ``margin`` for the value including that
        first payment.
        """
        m = require_finite(margin, "每期利润", "margin")
        return m * self.derl(discount, renewals)
