"""交互部件 ipywidgets front-ends. Each widget calls the plain crmlab functions; none computes on its own."""

from __future__ import annotations

from .common import show_errors
from .value import margin_multiple_explorer

__all__ = ["margin_multiple_explorer", "show_errors"]
