"""Shared maximum-likelihood machinery for the purchase models (买到死模型 "buy till you die").

Every model works on the logarithms of its (positive) parameters, so the optimiser never steps
outside the parameter space; minimises the *total* negative log-likelihood (weighted by how many
customers share each row); uses analytic gradients where the model supplies them; and reports
standard errors from the Hessian of the log-likelihood at the optimum (delta method back to the
natural scale). A fit that does not converge raises :class:`FitError` with advice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize

from ..errors import InputError

__all__ = ["FitError", "FittedModel", "check_array", "group_rows"]


class FitError(RuntimeError):
    """拟合失败 the maximum-likelihood fit did not converge; the message says what to try."""


def check_array(values: object, zh: str, en: str, *, minimum: float | None = 0.0, integer: bool = False,
                allow_equal: bool = True) -> np.ndarray:
    """A 1-D float array with every value finite (and ≥ ``minimum``, whole if ``integer``), else InputError."""
    try:
        arr = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"{zh} {en} 必须是数字数组 (numeric array)，收到 {values!r:.80}") from None
    if arr.size == 0:
        raise InputError(f"{zh} {en} 不能为空 (empty)")
    bad = ~np.isfinite(arr)
    if minimum is not None:
        bad |= (arr < minimum) if allow_equal else (arr <= minimum)
    if integer:
        bad |= arr != np.round(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        need = "整数 whole number" if integer else "数字 number"
        bound = "" if minimum is None else (f" ≥ {minimum:g}" if allow_equal else f" > {minimum:g}")
        raise InputError(f"{zh} {en} 第 {i + 1} 个值必须是有限的{need}{bound}，收到 {values_repr(arr[i])}")
    return arr


def values_repr(x: float) -> str:
    return repr(float(x)) if np.isfinite(x) else str(x)


def group_rows(columns: Sequence[np.ndarray], weights: np.ndarray | None) -> tuple[list[np.ndarray], np.ndarray]:
    """Collapse identical rows: returns the distinct rows (one array per column) and their summed weights."""
    n = len(columns[0])
    w = np.ones(n) if weights is None else weights
    stacked = np.column_stack(columns)
    uniq, inverse = np.unique(stacked, axis=0, return_inverse=True)
    summed = np.bincount(inverse.reshape(-1), weights=w, minlength=len(uniq))
    return [uniq[:, j] for j in range(uniq.shape[1])], summed


class FittedModel:
    """Base of the estimators: ``param_names`` (all > 0); after ``fit``: ``params_`` (dict),
    ``log_likelihood_`` (total, not mean), ``standard_errors_`` (dict), ``n_customers_``."""

    param_names: tuple[str, ...] = ()

    def _fit_ml(
        self,
        negll: Callable[[np.ndarray], float],
        grad: Callable[[np.ndarray], np.ndarray] | None,
        x0: np.ndarray,
        n_customers: float,
        hint: str,
    ) -> None:
        """Minimise ``negll`` over log-parameters, set ``params_``, ``log_likelihood_``, ``standard_errors_``."""
        best = None
        for start in (x0, x0 + 0.5, x0 - 0.5):
            try:
                res = optimize.minimize(negll, start, jac=grad, method="L-BFGS-B",
                                        bounds=[(-25.0, 25.0)] * len(start),
                                        options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-8})
            except (FloatingPointError, ValueError):
                continue
            if np.isfinite(res.fun) and (best is None or res.fun < best.fun - 1e-9):
                best = res
            if best is not None and best.success and np.all(np.abs(best.x) < 24.9):
                break
        if best is None or not np.isfinite(best.fun) or not np.all(np.isfinite(best.x)):
            raise FitError(f"{type(self).__name__} 拟合失败 (fit failed): 似然函数无法计算。{hint}")
        if np.any(np.abs(best.x) >= 24.9):
            names = [n for n, v in zip(self.param_names, best.x, strict=True) if abs(v) >= 24.9]
            raise FitError(
                f"{type(self).__name__} 未收敛 (did not converge): 参数 {names} 趋于 0 或无穷大 (ran to the boundary)。"
                f"{hint}"
            )
        theta = np.exp(best.x)
        self.params_ = dict(zip(self.param_names, map(float, theta), strict=True))
        self.log_likelihood_ = float(-best.fun)
        self.n_customers_ = float(n_customers)
        self.standard_errors_ = self._standard_errors(negll, grad, best.x)
        self.converged_ = bool(best.success)

    def _standard_errors(self, negll, grad, x: np.ndarray) -> dict[str, float]:
        """Standard errors on the natural scale from the numerical Hessian in log space (delta method)."""
        k = len(x)
        H = np.zeros((k, k))
        h = 1e-4
        if grad is not None:
            for i in range(k):
                e = np.zeros(k)
                e[i] = h
                H[i] = (grad(x + e) - grad(x - e)) / (2 * h)
            H = (H + H.T) / 2
        else:
            f0 = negll(x)
            for i in range(k):
                for j in range(i, k):
                    ei, ej = np.zeros(k), np.zeros(k)
                    ei[i], ej[j] = h, h
                    val = (negll(x + ei + ej) - negll(x + ei - ej) - negll(x - ei + ej) + negll(x - ei - ej)) / (
                        4 * h * h) if i != j else (negll(x + ei) - 2 * f0 + negll(x - ei)) / (h * h)
                    H[i, j] = H[j, i] = val
        try:
            cov_log = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            return dict.fromkeys(self.param_names, float("nan"))
        theta = np.exp(x)
        var = np.diag(cov_log) * theta**2
        return {n: float(np.sqrt(v)) if v > 0 else float("nan") for n, v in zip(self.param_names, var, strict=True)}

    def _require_fitted(self) -> dict[str, float]:
        params = getattr(self, "params_", None)
        if params is None:
            raise InputError(f"{type(self).__name__} 尚未拟合 (not fitted): 请先调用 fit(...)")
        return params

    def summary(self) -> pd.DataFrame:
        """参数表 estimates and standard errors."""
        p = self._require_fitted()
        return pd.DataFrame({"估计值 estimate": p, "标准误 std. error": self.standard_errors_})

    def __repr__(self) -> str:
        p = getattr(self, "params_", None)
        if p is None:
            return f"{type(self).__name__}() (未拟合 not fitted)"
        inner = ", ".join(f"{k}={v:.4g}" for k, v in p.items())
        return f"{type(self).__name__}({inner}; log-likelihood={self.log_likelihood_:,.2f})"
