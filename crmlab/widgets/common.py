"""Shared widget plumbing: show a calculator's error inside the widget instead of losing it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..errors import InputError

__all__ = ["show_errors"]


def show_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a widget callback so an :class:`InputError` is printed (in the widget's output) as a message.

    Other exceptions propagate: they are bugs and must be seen as such.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            print(f"⚠ 输入有误 invalid input：{exc}")
            return None

    return wrapper
