"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Kernels started by tests show no progress bars. MPLBACKEND is deliberately left alone: a kernel that
# inherits MPLBACKEND=Agg draws no inline figures, and nbval would then miss every stored plot.
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.pop("MPLBACKEND", None)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
