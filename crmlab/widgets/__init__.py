"""交互部件 ipywidgets front-ends. Each widget calls the plain crmlab functions; none computes on its own."""

from __future__ import annotations

from .common import show_errors
from .lifecycle import state_flow_explorer
from .value import clv_explorer, margin_multiple_explorer

__all__ = ["clv_explorer", "margin_multiple_explorer", "show_errors", "state_flow_explorer"]
