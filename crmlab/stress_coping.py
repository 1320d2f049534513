"""客服压力的来源与应对 sources of stress in customer service and ways to cope (李先国《客户服务实务》第八章), with a
checklist drill on the workbook's drill engine (:mod:`crmlab.drills`).

* :data:`STRESS_SOURCES` — where the stress of customer-service work comes from, by level;
* :data:`COPING_TECHNIQUES` / :data:`COPING_TRAPS` — helpful ways to cope and tempting but harmful ones;
* :data:`COPING_DRILL` and :func:`score_coping` — tick the helpful ones. Scoring (:func:`crmlab.drills.
  score_checklist`): with R helpful techniques, each ticked one earns 100 / R points, each ticked trap takes
  100 / R away, never below 0.
* :data:`EMPLOYER_MEASURES` — what the company can do.
"""

from __future__ import annotations

from collections.abc import Iterable

from .drills import ChecklistDrill, ChecklistResult, score_drill

__all__ = ["COPING_DRILL", "COPING_TECHNIQUES", "COPING_TRAPS", "EMPLOYER_MEASURES", "STRESS_SOURCES", "score_coping"]

#: Sources of stress in customer-service work, by level (the workbook's summary).
STRESS_SOURCES: dict[str, tuple[str, ...]] = {
    "工作本身": ("连续接听、来电排队不断，几乎没有喘息的时间", "要一直保持微笑和耐心（情绪劳动）",
               "面对愤怒、无理甚至辱骂的客户", "通话时长、满意度、差错率等指标被实时考核"),
    "组织与环境": ("排班不规律、夜班和节假日值班", "权限太小：客户要的东西自己做不了主",
                 "流程和系统不顺，客户的问题卡在别的部门", "缺少主管和同事的支持与认可"),
    "个人因素": ("把客户的怒气当成对自己的否定", "技能不足，遇到难题心里没底",
               "完美主义，不允许自己出一点差错", "工作之外的家庭、经济、健康压力"),
}

#: Helpful ways to cope, with why they help.
COPING_TECHNIQUES: dict[str, str] = {
    "接完一通难缠的电话后，做几次缓慢的深呼吸再接下一通":
        "放慢呼吸能让身体从紧张状态中退出来，避免把情绪带给下一位客户",
    "每周安排几次快走、跑步或游泳等运动": "规律运动是公认有效的减压方式，也能改善睡眠",
    "把要做的事列成清单，分清轻重缓急，一件一件来": "让看似堆成山的工作变得可控，减少失控感",
    "向同事、主管或朋友说说自己的感受，寻求支持": "社会支持能缓冲压力；同事往往最懂这份工作的难处",
    "提醒自己：客户是冲着问题生气，不是冲着我": "换个角度看待客户的怒气，就不会把它当成对自己的攻击",
    "保证睡眠，下班后不再查看工作消息": "恢复精力需要真正的休息时间",
    "学习处理投诉和沟通的技巧，提高自己的把握": "胜任感越强，遇到难题时越不慌",
}

#: Tempting but harmful ways to "cope", with why they backfire.
COPING_TRAPS: dict[str, str] = {
    "靠喝酒、抽烟或暴饮暴食来解压": "短暂的放松换来健康问题，压力本身并没有减少",
    "把情绪憋在心里，假装什么都没发生": "压抑的情绪会累积，迟早以更糟的方式爆发",
    "下班后熬夜加班，想一口气把活干完": "透支睡眠只会让第二天更累、更容易出错",
    "把火气撒在下一位客户或家人身上": "把压力转嫁给别人，会制造新的冲突和投诉",
    "遇到难缠的客户就找借口推给同事": "逃避不能提高应对能力，还会让同事和客户都不满",
}

#: What the company can do to prevent and relieve stress (the workbook's summary of 李先国 8.2).
EMPLOYER_MEASURES: tuple[str, ...] = (
    "按话务量科学排班，留出必要的休息时间（第 2 章的 Erlang C 可以算出需要多少坐席）",
    "给一线员工适当的处理权限，例如一定金额以内的补偿可以当场决定",
    "提供投诉处理、情绪管理等培训，遇到辱骂时允许按规范结束通话",
    "主管及时支援难缠的来电，事后一起复盘而不是只追究责任",
    "考核指标兼顾质量与数量，不只盯通话时长",
    "提供员工心理援助（EAP）和畅通的反馈渠道",
)

#: The checklist drill: tick the helpful ways to cope.
COPING_DRILL = ChecklistDrill(
    id="压力应对", prompt="下面哪些是缓解客服工作压力的有效做法？请勾选。",
    required=tuple(COPING_TECHNIQUES), forbidden=tuple(COPING_TRAPS),
    explanations={**{k: f"有效：{v}" for k, v in COPING_TECHNIQUES.items()},
                  **{k: f"适得其反：{v}" for k, v in COPING_TRAPS.items()}},
    points=100.0, topic="压力的应对")


def score_coping(chosen: Iterable[str]) -> ChecklistResult:
    """压力应对清单评分 score the techniques a learner ticked (see the module docstring for the points)."""
    return score_drill(COPING_DRILL, list(chosen) if not isinstance(chosen, str) else chosen)
