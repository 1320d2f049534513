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

__all__ = ["FitError", "FittedModel", "check_array", "check_weights", "group_rows"]


_EDGE = 12.0  # |log parameter| beyond which a fit is treated as having run to the boundary


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


def check_weights(weights: object, n: int) -> np.ndarray | None:
    """Optional per-row customer counts: None, or n finite values ≥ 0 (InputError otherwise)."""
    if weights is None:
        return None
    w = check_array(weights, "权重", "weights")
    if len(w) != n:
        raise InputError(f"权重 weights 的长度必须等于客户数 {n}，收到 {len(w)}")
    return w


def values_repr(x: float) -> str:
    return repr(float(x)) if np.isfinite(x) else str(x)


def group_rows(columns: Sequence[np.ndarray], weights: np.ndarray | None) -> tuple[list[np.ndarray], np.ndarray]:
    """Collapse identical rows: returns the distinct rows (one array per column) and their summed weights.

    Hash-based (pandas groupby without sorting), so it costs about one pass over the data.
    """
    frame = pd.DataFrame({f"c{j}": col for j, col in enumerate(columns)})
    frame["w"] = 1.0 if weights is None else weights
    grouped = frame.groupby([f"c{j}" for j in range(len(columns))], sort=False)["w"].sum()
    keys = grouped.index
    if len(columns) == 1:
        return [keys.to_numpy(dtype=float)], grouped.to_numpy(dtype=float)
    return [keys.get_level_values(j).to_numpy(dtype=float) for j in range(len(columns))], grouped.to_numpy(dtype=float)


class FittedModel:
    """Base of the estimators: ``param_names`` (all > 0); after ``fit``: ``params_`` (dict),
    ``log_likelihood_`` (total, not mean), ``standard_errors_`` (dict), ``n_customers_``."""

    param_names: tuple[str, ...] = ()

    def _fit_ml(self, fun_grad: Callable, *args: object, hint: str | None = None,
                hessian0: np.ndarray | None = None) -> None:
        """Minimise the total negative log-likelihood over log-parameters.

        Called as ``_fit_ml(fun_grad, x0, n_customers, hint)`` where ``fun_grad(logp)`` returns
        ``(negll, gradient)``, or as ``_fit_ml(negll, grad, x0, n_customers, hint)`` with separate
        functions (``grad`` may be None: central differences are used). With ``hessian0`` (an
        approximate Hessian at ``x0``, e.g. from a subsample) the fit first tries a few Newton steps
        with that fixed matrix, which converge in a handful of passes over the data when ``x0`` is close.
        Sets ``params_``, ``log_likelihood_``,
        ``standard_errors_``, ``n_customers_``; raises :class:`FitError` when the optimum is not finite
        or lies on the boundary (a parameter running to 0 or infinity).
        """
        if hint is not None:
            args = (*args, hint)
        if len(args) == 4:  # (negll, grad, x0, n, hint) form
            negll, grad = fun_grad, args[0]
            args = args[1:]
            if grad is None:
                fun_grad = self.numerical_gradient(negll)
            else:
                def fun_grad(logp, _f=negll, _g=grad):
                    return _f(logp), _g(logp)
        x0, n_customers, hint = np.asarray(args[0], dtype=float), float(args[1]), str(args[2])

        def safe(logp):
            with np.errstate(all="ignore"):
                f, g = fun_grad(logp)
            if not np.isfinite(f) or not np.all(np.isfinite(g)):
                return 1e300, np.zeros_like(logp)
            return f, g

        best = self._newton_polish(safe, x0, hessian0) if hessian0 is not None else None
        for start in () if best is not None else (x0, x0 + 0.5, x0 - 0.5):
            res = optimize.minimize(safe, start, jac=True, method="L-BFGS-B",
                                    bounds=[(-25.0, 25.0)] * len(start),
                                    options={"maxiter": 3000, "ftol": 1e-14, "gtol": 1e-9})
            if np.isfinite(res.fun) and res.fun < 1e299 and (best is None or res.fun < best.fun - 1e-9):
                best = res
            if best is not None and best.success and np.all(np.abs(best.x) < _EDGE):
                break
        if best is None or not np.all(np.isfinite(best.x)):
            raise FitError(f"{type(self).__name__} 拟合失败 (fit failed): 似然函数无法计算。{hint}")
        # Parameters are fitted on a unit time (or money) scale, where sensible values lie well inside
        # e^±12; beyond that the likelihood is flat and the "estimate" is only where the optimiser gave up.
        if np.any(np.abs(best.x) >= _EDGE):
            names = [n for n, v in zip(self.param_names, best.x, strict=True) if abs(v) >= _EDGE]
            raise FitError(
                f"{type(self).__name__} 未收敛 (did not converge): 参数 {names} 趋于 0 或无穷大 (ran to the boundary)。"
                f"{hint}"
            )
        theta = np.exp(best.x)
        errors = self._standard_errors(lambda p: safe(p)[1], best.x)
        bad = [n for n, v in errors.items() if not np.isfinite(v)]
        if bad:
            raise FitError(
                f"{type(self).__name__} 未收敛 (did not converge): 在估计值处似然函数不是严格的最大值，参数 {bad} "
                f"无法确定 (not identified; Hessian not positive definite)。{hint}"
            )
        # only a successful fit changes the estimator's state
        self.params_ = dict(zip(self.param_names, map(float, theta), strict=True))
        self.log_likelihood_ = float(-best.fun)
        self.n_customers_ = float(n_customers)
        self.standard_errors_ = errors
        self.converged_ = bool(best.success)

    @staticmethod
    def _newton_polish(fun_grad, x0: np.ndarray, H: np.ndarray, max_iter: int = 25):
        """Chord-Newton iterations x ← x − H⁻¹∇f(x) with a fixed H; None unless they converge and descend."""
        from types import SimpleNamespace

        try:
            H_inv = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(H_inv)) or np.any(np.linalg.eigvalsh((H + H.T) / 2) <= 0):
            return None
        x = np.asarray(x0, dtype=float)
        f, g = fun_grad(x)
        for _ in range(max_iter):
            step = H_inv @ g
            x_new = x - step
            f_new, g_new = fun_grad(x_new)
            if not np.isfinite(f_new) or f_new > f + 1e-9 * max(1.0, abs(f)):
                return None
            x, f, g = x_new, f_new, g_new
            if np.max(np.abs(step)) < 1e-10:
                return SimpleNamespace(x=x, fun=f, success=True)
        return None

    @staticmethod
    def _hessian(fun_grad, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
        """Forward-difference Hessian of an objective that returns (value, gradient)."""
        g0 = fun_grad(x)[1]
        H = np.array([(fun_grad(x + e)[1] - g0) / h for e in np.eye(len(x)) * h])
        return (H + H.T) / 2

    @staticmethod
    def _warm_start(fun_grad: Callable[[np.ndarray], tuple[float, np.ndarray]], x0: np.ndarray) -> np.ndarray:
        """A quick optimum of a cheaper objective (e.g. a subsample), used as the full fit's starting point."""
        def safe(logp):
            with np.errstate(all="ignore"):
                f, g = fun_grad(logp)
            return (f, g) if np.isfinite(f) and np.all(np.isfinite(g)) else (1e300, np.zeros_like(logp))

        res = optimize.minimize(safe, x0, jac=True, method="L-BFGS-B", bounds=[(-_EDGE, _EDGE)] * len(x0))
        return res.x if np.all(np.isfinite(res.x)) and np.all(np.abs(res.x) < _EDGE - 0.1) else x0

    def _standard_errors(self, grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> dict[str, float]:
        """Standard errors on the natural scale from the Hessian in log space (forward differences of the
        analytic or numerical gradient), mapped back with the delta method: se(θ) = θ · se(log θ)."""
        k = len(x)
        H = np.zeros((k, k))
        h = 1e-6
        g0 = grad(x)
        for i in range(k):
            e = np.zeros(k)
            e[i] = h
            H[i] = (grad(x + e) - g0) / h
        H = (H + H.T) / 2
        try:
            cov_log = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            return dict.fromkeys(self.param_names, float("nan"))
        var = np.diag(cov_log) * np.exp(x) ** 2
        return {n: float(np.sqrt(v)) if v > 0 else float("nan") for n, v in zip(self.param_names, var, strict=True)}

    @staticmethod
    def numerical_gradient(fun: Callable[[np.ndarray], float]) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        """Turn a plain objective into ``(value, central-difference gradient)`` for :meth:`_fit_ml`."""
        def fun_grad(logp: np.ndarray, h: float = 1e-6) -> tuple[float, np.ndarray]:
            g = np.zeros_like(logp)
            for i in range(len(logp)):
                e = np.zeros_like(logp)
                e[i] = h
                g[i] = (fun(logp + e) - fun(logp - e)) / (2 * h)
            return fun(logp), g
        return fun_grad

    def _p(self) -> tuple[float, ...]:
        """The fitted parameters in ``param_names`` order (InputError if not fitted)."""
        p = self._require_fitted()
        return tuple(p[k] for k in self.param_names)

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
