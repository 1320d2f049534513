"""交互部件 ipywidgets front-ends. Each widget calls the plain crmlab functions; none computes on its own."""

from __future__ import annotations

from .acquisition import funnel_explorer
from .campaign import mailing_depth_explorer
from .cases import (
    pg_walmart_inventory_explorer,
    skyworth_service_explorer,
    starbucks_budget_explorer,
    taxi_long_trip_explorer,
    taxi_premium_explorer,
)
from .certification import exam_widget, item_analysis_explorer, practice_explorer
from .churn import p_alive_explorer, winback_budget_explorer
from .common import show_errors
from .complaints import complaint_iceberg_explorer, complaint_steps_checklist
from .delivered import delivered_value_explorer
from .grading import grading_explorer
from .lifecycle import state_flow_explorer
from .loyalty import loyalty_programme_explorer
from .rfm import rfm_segment_explorer
from .satisfaction import kano_questionnaire_explorer, nps_explorer
from .selection import render_selection_ranking, selection_weights_explorer
from .service import erlang_staffing_explorer
from .value import clv_explorer, margin_multiple_explorer

__all__ = [
    "clv_explorer",
    "complaint_iceberg_explorer",
    "complaint_steps_checklist",
    "delivered_value_explorer",
    "erlang_staffing_explorer",
    "exam_widget",
    "funnel_explorer",
    "grading_explorer",
    "item_analysis_explorer",
    "kano_questionnaire_explorer",
    "loyalty_programme_explorer",
    "mailing_depth_explorer",
    "margin_multiple_explorer",
    "nps_explorer",
    "p_alive_explorer",
    "pg_walmart_inventory_explorer",
    "practice_explorer",
    "render_selection_ranking",
    "rfm_segment_explorer",
    "selection_weights_explorer",
    "show_errors",
    "skyworth_service_explorer",
    "starbucks_budget_explorer",
    "state_flow_explorer",
    "taxi_long_trip_explorer",
    "taxi_premium_explorer",
    "winback_budget_explorer",
]
