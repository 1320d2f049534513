"""模拟 simulate customer summaries from the purchase models, for exercises and for checking fits.

Each function tells the model's story customer by customer with a :class:`numpy.random.Generator`
(``numpy.random.default_rng(seed)``: the same seed gives the same customers) and returns what an analyst
would observe. Nothing loops over customers or purchases: the summaries are drawn directly from their
exact distributions (a Poisson count, then the order statistics of uniform purchase times), so a million
customers take about a second.

Time is continuous and counted from each customer's first purchase ("birth", time 0, not counted as a
repeat purchase); ``T`` is how long each customer has been observed. Give one ``T`` for a cohort that was
born together, or one per customer for customers who joined at different dates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, require_int, require_positive
from ._base import check_array

__all__ = ["simulate_bgnbd", "simulate_gamma_gamma", "simulate_paretonbd"]


def _horizon(T: object, n: int) -> np.ndarray:
    t = check_array(T, "观察时长", "T", allow_equal=False)
    if t.size == 1:
        return np.full(n, t[0])
    if t.size != n:
        raise InputError(f"观察时长 T 必须是一个数或每位客户一个数 (length n_customers = {n})，收到 {t.size} 个")
    return t


def _last_of_uniform_times(rng: np.random.Generator, k: np.ndarray, n: np.ndarray, window: np.ndarray) -> np.ndarray:
    """Time of the k-th of n purchases spread uniformly over (0, window) — the k-th order statistic, window ·
    Beta(k, n − k + 1) — or 0 where k = 0."""
    pos = k > 0
    draw = rng.beta(np.where(pos, k, 1.0), np.where(pos, n - k + 1.0, 1.0))
    return np.where(pos, window * draw, 0.0)


def simulate_bgnbd(r: float, alpha: float, a: float, b: float, n_customers: int, T: object,
                   seed: int | None = None) -> pd.DataFrame:
    """模拟 BG/NBD 客户 simulate ``n_customers`` customers under the BG/NBD story (Fader, Hardie & Lee 2005).

    The story, for each customer:

    1. purchase rate λ ~ Gamma(shape r, rate α) — α in the time unit of ``T``, mean rate r/α;
    2. dropout probability p ~ Beta(a, b);
    3. while active, repeat purchases arrive in a Poisson process with rate λ;
    4. right after each repeat purchase the customer drops out for good with probability p, so the
       purchase at which they leave is J ~ Geometric(p) on 1, 2, …

    Observed over (0, T]: with N ~ Poisson(λT) purchases the process would make, ``frequency`` x = min(J, N)
    and ``recency`` is the time of the x-th purchase (N purchase times are uniform on (0, T), so this is T
    times a Beta(x, N − x + 1) draw); 0 when x = 0.

    Returns a DataFrame indexed by ``customer_id`` 0…n−1 with ``frequency``, ``recency``, ``T`` and the
    hidden truth: ``lambda``, ``p`` and ``alive`` (still active at T: J > N).
    """
    r_ = require_positive(r, "参数", "r")
    alpha_ = require_positive(alpha, "参数", "alpha")
    a_ = require_positive(a, "参数", "a")
    b_ = require_positive(b, "参数", "b")
    n = require_int(n_customers, "客户数", "n_customers", minimum=1)
    t = _horizon(T, n)
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r_, 1.0 / alpha_, n)
    p = rng.beta(a_, b_, n)
    u = 1.0 - rng.random(n)  # in (0, 1]
    with np.errstate(divide="ignore"):
        dropout_at = np.floor(np.log(u) / np.log1p(-p)) + 1.0  # Geometric(p) on 1, 2, … (inf when p = 0)
    would_buy = rng.poisson(lam * t).astype(float)
    x = np.minimum(dropout_at, would_buy)
    recency = _last_of_uniform_times(rng, x, would_buy, t)
    out = pd.DataFrame({"frequency": x.astype(np.int64), "recency": recency, "T": t, "lambda": lam, "p": p,
                        "alive": dropout_at > would_buy})
    out.index.name = "customer_id"
    return out


def simulate_paretonbd(r: float, alpha: float, s: float, beta: float, n_customers: int, T: object,
                       seed: int | None = None) -> pd.DataFrame:
    """模拟 Pareto/NBD 客户 simulate ``n_customers`` customers under the Pareto/NBD story (Schmittlein,
    Morrison & Colombo 1987).

    The story, for each customer:

    1. purchase rate λ ~ Gamma(shape r, rate α) and death rate μ ~ Gamma(shape s, rate β), independent;
    2. the customer's unobserved lifetime is τ ~ Exponential(μ) (mean 1/μ);
    3. while alive (0 < t < τ), repeat purchases arrive in a Poisson process with rate λ.

    Observed over (0, T]: the customer buys during ω = min(τ, T), so ``frequency`` x ~ Poisson(λω) and
    ``recency`` is the last of x uniform times on (0, ω) — ω times a Beta(x, 1) draw; 0 when x = 0.

    Returns a DataFrame indexed by ``customer_id`` with ``frequency``, ``recency``, ``T`` and the hidden
    truth ``lambda``, ``mu`` and ``alive`` (τ > T).
    """
    r_ = require_positive(r, "参数", "r")
    alpha_ = require_positive(alpha, "参数", "alpha")
    s_ = require_positive(s, "参数", "s")
    beta_ = require_positive(beta, "参数", "beta")
    n = require_int(n_customers, "客户数", "n_customers", minimum=1)
    t = _horizon(T, n)
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r_, 1.0 / alpha_, n)
    mu = rng.gamma(s_, 1.0 / beta_, n)
    with np.errstate(divide="ignore"):
        lifetime = rng.standard_exponential(n) / mu
    window = np.minimum(lifetime, t)
    x = rng.poisson(lam * window).astype(float)
    recency = _last_of_uniform_times(rng, x, x, window)
    out = pd.DataFrame({"frequency": x.astype(np.int64), "recency": recency, "T": t, "lambda": lam, "mu": mu,
                        "alive": lifetime > t})
    out.index.name = "customer_id"
    return out


def simulate_gamma_gamma(p: float, q: float, v: float, frequency: object, seed: int | None = None) -> np.ndarray:
    """模拟平均消费额 simulate each customer's mean spend per repeat purchase under the Gamma-Gamma story
    (Fader, Hardie & Lee 2005, "RFM and CLV").

    The story: customer i draws a scale ν_i ~ Gamma(shape q, rate v); each of their purchases is worth
    z ~ Gamma(shape p, rate ν_i), so their expected spend is p/ν_i, and across customers E[z] = p·v/(q − 1)
    (for q > 1). With x_i = ``frequency[i]`` purchases, the sum of the values is Gamma(p·x_i, ν_i), and the
    mean (returned) is that sum divided by x_i — 0 for customers with x_i = 0, as in
    :func:`~crmlab.btyd.summarize_transactions`. Spend is independent of how often the customer buys.

    Returns a float array, one mean per customer, in the money unit of ``v``.
    """
    p_ = require_positive(p, "参数", "p")
    q_ = require_positive(q, "参数", "q")
    v_ = require_positive(v, "参数", "v")
    x = check_array(frequency, "购买次数", "frequency", integer=True)
    rng = np.random.default_rng(seed)
    nu = rng.gamma(q_, 1.0 / v_, x.size)
    pos = x > 0
    total = rng.gamma(np.where(pos, p_ * x, 1.0), 1.0) / nu
    return np.where(pos, total / np.maximum(x, 1.0), 0.0)
