"""输入错误 (input errors): one exception type and the checks that raise it.

Every public calculator validates its inputs at the boundary with these helpers, so a student
always gets a message that names the field (in Chinese, with the English term) and the value
that was received, e.g. ``保留率 retention 必须在 0 和 1 之间，收到 1.2``.
"""

from __future__ import annotations

import math
from numbers import Real

__all__ = [
    "InputError",
    "require_finite",
    "require_fraction",
    "require_int",
    "require_nonnegative",
    "require_positive",
]


class InputError(ValueError):
    """输入错误 invalid input: raised when a value given to crmlab is out of range or malformed.

    Subclasses :class:`ValueError`, so existing ``except ValueError`` code keeps working.
    """


def _label(zh: str, en: str) -> str:
    return f"{zh} {en}"


def require_finite(value: object, zh: str, en: str) -> float:
    """Return ``value`` as a float, or raise :class:`InputError` if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InputError(f"{_label(zh, en)} 必须是数字 (a number)，收到 {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise InputError(f"{_label(zh, en)} 必须是有限的数字 (finite number)，收到 {value!r}")
    return x


def require_fraction(
    value: object, zh: str, en: str, *, closed_low: bool = True, closed_high: bool = True
) -> float:
    """Return ``value`` if it lies in [0, 1] (bounds open where asked), else raise :class:`InputError`."""
    x = require_finite(value, zh, en)
    low_ok = x >= 0 if closed_low else x > 0
    high_ok = x <= 1 if closed_high else x < 1
    if not (low_ok and high_ok):
        lo = "[0" if closed_low else "(0"
        hi = "1]" if closed_high else "1)"
        raise InputError(f"{_label(zh, en)} 必须在 0 和 1 之间 {lo}, {hi}，收到 {value!r}")
    return x


def require_nonnegative(value: object, zh: str, en: str) -> float:
    """Return ``value`` if it is a finite number ≥ 0, else raise :class:`InputError`."""
    x = require_finite(value, zh, en)
    if x < 0:
        raise InputError(f"{_label(zh, en)} 不能为负数 (must be ≥ 0)，收到 {value!r}")
    return x


def require_positive(value: object, zh: str, en: str) -> float:
    """Return ``value`` if it is a finite number > 0, else raise :class:`InputError`."""
    x = require_finite(value, zh, en)
    if x <= 0:
        raise InputError(f"{_label(zh, en)} 必须大于 0 (must be > 0)，收到 {value!r}")
    return x


def require_int(value: object, zh: str, en: str, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is a whole number (≥ ``minimum`` when given), else raise :class:`InputError`."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InputError(f"{_label(zh, en)} 必须是整数 (an integer)，收到 {value!r}")
    x = float(value)
    if not math.isfinite(x) or x != int(x):
        raise InputError(f"{_label(zh, en)} 必须是整数 (an integer)，收到 {value!r}")
    n = int(x)
    if minimum is not None and n < minimum:
        raise InputError(f"{_label(zh, en)} 必须 ≥ {minimum}，收到 {value!r}")
    return n
