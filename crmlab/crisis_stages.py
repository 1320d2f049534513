"""投诉引发的危机 crisis handling in three stages (李先国《客户服务实务》7.6): what to do before, during and after a
crisis, as checklist drills on the workbook's drill engine (:mod:`crmlab.drills`).

* :data:`CRISIS_STAGES` — 事前 before, 事中 during, 事后 after, each with its aim;
* :data:`CRISIS_PRINCIPLES` — the "5S" principles of crisis communication common in Chinese PR writing (游昌乔);
* :data:`CRISIS_ACTIONS` — the right actions of each stage, and tempting mistakes;
* :data:`CRISIS_DRILLS` and :func:`score_crisis_stage` — one :class:`~crmlab.drills.ChecklistDrill` per stage:
  tick what belongs to that stage. Scoring (:func:`crmlab.drills.score_checklist`): with R right actions, each
  ticked right action earns 100 / R points, each ticked mistake takes 100 / R away (never below 0); an action of
  another stage is neutral (no points either way; the feedback says where it belongs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .drills import ChecklistDrill, ChecklistResult, score_drill
from .errors import InputError

__all__ = [
    "CRISIS_ACTIONS",
    "CRISIS_DRILLS",
    "CRISIS_MISTAKES",
    "CRISIS_PRINCIPLES",
    "CRISIS_STAGES",
    "CrisisAction",
    "score_crisis_stage",
]

#: The three stages and what each is for (the workbook's wording).
CRISIS_STAGES: dict[str, str] = {
    "before": "事前：预防与预警——在危机爆发之前发现苗头、做好准备",
    "during": "事中：快速应对——控制事态，保护客户，统一说法",
    "after": "事后：恢复与改进——修复信任，找到根源，防止再犯",
}

#: The "5S" principles of crisis communication (游昌乔), described in the workbook's own words.
CRISIS_PRINCIPLES: dict[str, str] = {
    "承担责任 shouldering": "先关心受影响的人，不推卸、不找替罪羊",
    "真诚沟通 sincerity": "说真话、说已知的事实，不隐瞒、不狡辩",
    "速度第一 speed": "越早回应越主动，沉默会被理解为心虚",
    "系统运行 system": "按预案分工行动，统一指挥、统一口径",
    "权威证实 standard": "请检测机构、主管部门等第三方说明事实",
}


@dataclass(frozen=True)
class CrisisAction:
    """危机处理中的一项行动 an action, the stage it belongs to, and why."""

    text: str
    stage: str
    why: str


#: Right actions by stage (written for this workbook).
CRISIS_ACTIONS: tuple[CrisisAction, ...] = (
    CrisisAction("监测投诉和网上舆情，同类投诉突然增多时立即预警", "before",
                 "危机往往从几起相似的投诉开始，平时的数据就是预警信号"),
    CrisisAction("成立危机处理小组，事先指定发言人和各部门的职责", "before",
                 "事到临头再找人拍板会错过最关键的几个小时"),
    CrisisAction("制定应急预案（停售、召回、声明模板）并定期演练", "before",
                 "演练过的预案才能在压力下照着执行"),
    CrisisAction("第一时间公开回应，说明已知的事实和正在采取的措施", "during",
                 "速度第一：先表态、先行动，不给谣言留空间"),
    CrisisAction("立即停售并召回可能有问题的批次，先保护客户的安全", "during",
                 "承担责任：客户的安全比短期销售额重要"),
    CrisisAction("由统一的发言人发布信息，各个渠道口径一致", "during",
                 "系统运行：说法不一会让公众怀疑企业在隐瞒"),
    CrisisAction("主动联系受影响的客户，道歉并给予合理的补偿", "during",
                 "真诚沟通：受影响的客户最需要被照顾"),
    CrisisAction("复盘危机的起因和应对中的得失，修订制度和预案", "after",
                 "找到根源、改进流程，才能防止同样的事再次发生"),
    CrisisAction("向公众通报整改措施和进展，用行动重建信任", "after",
                 "信任要靠看得见的改变来恢复"),
    CrisisAction("回访受影响的客户，跟踪他们的满意度和流失情况", "after",
                 "确认补救是否真的让客户满意，并挽回动摇的客户"),
)

#: Tempting mistakes by stage, with why they are wrong.
CRISIS_MISTAKES: tuple[CrisisAction, ...] = (
    CrisisAction("投诉不多就不必统计，等出了大事再说", "before", "没有平时的统计，就看不到危机的苗头"),
    CrisisAction("把个别客户的严重投诉当作偶发事件，不向上报告", "before",
                 "严重投诉可能是系统问题的第一个信号，应当及时上报"),
    CrisisAction("调查结果出来之前一律“无可奉告”", "during", "沉默会被理解为心虚；可以先说已知的事实和正在做的事"),
    CrisisAction("先对外声明责任在供应商，与本公司无关", "during",
                 "推卸责任会激怒公众；客户是从你这里买的，应先承担起来"),
    CrisisAction("删除网上的负面帖子，阻止消息扩散", "during", "封堵消息往往适得其反，还会被视为掩盖真相"),
    CrisisAction("风波一过就不再提起，尽快让大家忘掉这件事", "after", "不总结、不通报，问题还会再来，信任也无从恢复"),
    CrisisAction("处分几名一线员工了事，流程一概不改", "after", "只追究个人而不改流程，根源还在"),
)


#: Actions of other stages shown in each stage's checklist (by index in CRISIS_ACTIONS): neutral, no points.
_NEUTRAL: dict[str, tuple[int, int]] = {"before": (3, 7), "during": (2, 7), "after": (1, 4)}


def _drill(stage: str) -> ChecklistDrill:
    name = CRISIS_STAGES[stage].split("：")[0]
    required = [a for a in CRISIS_ACTIONS if a.stage == stage]
    forbidden = [a for a in CRISIS_MISTAKES if a.stage == stage]
    neutral = [CRISIS_ACTIONS[i] for i in _NEUTRAL[stage]]
    explanations = {a.text: f"属于{name}：{a.why}" for a in required}
    explanations |= {a.text: f"不该这样做：{a.why}" for a in forbidden}
    explanations |= {a.text: f"这是{CRISIS_STAGES[a.stage].split('：')[0]}的工作（不计分）：{a.why}" for a in neutral}
    return ChecklistDrill(
        id=f"危机处理-{stage}", prompt=f"危机处理的{CRISIS_STAGES[stage]}。这一阶段应当做哪些事？请勾选。",
        required=tuple(a.text for a in required), forbidden=tuple(a.text for a in forbidden),
        neutral=tuple(a.text for a in neutral), explanations=explanations, points=100.0, topic="危机处理的三个阶段")


#: One checklist drill per stage (before, during, after).
CRISIS_DRILLS: dict[str, ChecklistDrill] = {stage: _drill(stage) for stage in CRISIS_STAGES}


def score_crisis_stage(stage: str, chosen: Iterable[str]) -> ChecklistResult:
    """危机处理清单评分 score the actions a learner ticked for ``stage`` (``"before"``, ``"during"`` or
    ``"after"``) with :func:`crmlab.drills.score_checklist` (points 100; see the module docstring)."""
    if stage not in CRISIS_DRILLS:
        raise InputError(f"危机阶段 stage 必须是 {list(CRISIS_DRILLS)} 之一，收到 {stage!r}")
    return score_drill(CRISIS_DRILLS[stage], list(chosen) if not isinstance(chosen, str) else chosen)
