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
from .complaint_handling import complaint_resolution_explorer, complaint_roleplay_panel, crisis_checklists
from .complaints import complaint_iceberg_explorer, complaint_steps_checklist
from .delivered import delivered_value_explorer
from .drills import checklist_drill, drill_explorer, ordering_drill
from .grading import grading_explorer
from .lifecycle import state_flow_explorer
from .loyalty import loyalty_programme_explorer
from .queue import queue_explorer
from .rfm import rfm_segment_explorer
from .satisfaction import kano_questionnaire_explorer, nps_explorer
from .selection import render_selection_ranking, selection_weights_explorer
from .service import erlang_staffing_explorer
from .service_innovation import value_added_service_explorer
from .service_team import faq_deflection_explorer, performance_pay_explorer
from .stress import pss10_explorer
from .value import clv_explorer, margin_multiple_explorer
from .warehouse import sql_explorer

__all__ = [
    "checklist_drill",
    "clv_explorer",
    "complaint_iceberg_explorer",
    "complaint_resolution_explorer",
    "complaint_roleplay_panel",
    "complaint_steps_checklist",
    "crisis_checklists",
    "delivered_value_explorer",
    "drill_explorer",
    "erlang_staffing_explorer",
    "exam_widget",
    "faq_deflection_explorer",
    "funnel_explorer",
    "grading_explorer",
    "item_analysis_explorer",
    "kano_questionnaire_explorer",
    "loyalty_programme_explorer",
    "mailing_depth_explorer",
    "margin_multiple_explorer",
    "nps_explorer",
    "ordering_drill",
    "p_alive_explorer",
    "performance_pay_explorer",
    "pg_walmart_inventory_explorer",
    "practice_explorer",
    "pss10_explorer",
    "queue_explorer",
    "render_selection_ranking",
    "rfm_segment_explorer",
    "selection_weights_explorer",
    "show_errors",
    "skyworth_service_explorer",
    "sql_explorer",
    "starbucks_budget_explorer",
    "state_flow_explorer",
    "taxi_long_trip_explorer",
    "taxi_premium_explorer",
    "value_added_service_explorer",
    "winback_budget_explorer",
]
