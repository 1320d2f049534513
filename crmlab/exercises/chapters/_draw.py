"""Drawing an exercise's knobs from its seed: values on a grid, so numbers look like a textbook's."""

from __future__ import annotations

import numpy as np


def grid(rng: np.random.Generator, low: float, high: float, step: float, digits: int = 4) -> float:
    """A value drawn uniformly from ``low, low + step, …, high`` (rounded to ``digits`` decimals)."""
    n = round((high - low) / step)
    return round(low + step * int(rng.integers(0, n + 1)), digits)


def rng_for(seed: int, salt: int) -> np.random.Generator:
    """The random generator of one exercise's knobs (``salt`` keeps chapters independent)."""
    return np.random.default_rng([int(seed), int(salt)])
