"""服务创新 service innovation (李先国《客户服务实务》第六章): four kinds of innovative service, a drill that asks
which kind an example shows, and the economics of a value-added service.

* :data:`INNOVATION_KINDS` — 超值服务 value-added, 顾问式服务 consultative, 体验服务 experience and 个性化服务
  personalised service, each with a one-line idea (the workbook's own wording);
* :data:`EXPERIENCE_MODULES` — the five kinds of experience of Schmitt (1999): sense, feel, think, act, relate;
* :data:`INNOVATION_EXAMPLES` / :data:`INNOVATION_DRILLS` and :func:`check_innovation_kind` — the classification
  drill on the workbook's drill engine (:mod:`crmlab.drills`: 1 point for the right kind, 0 for a wrong one);
* :func:`value_added_service_economics` — what a value-added service costs and what the customers it keeps are
  worth, with the retention uplift at which it breaks even. CLV formulas come from :mod:`crmlab.value`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .display import html_rows, uplift_label
from .drills import ChoiceResult, Drill, score_choice
from .errors import InputError, require_finite, require_fraction, require_nonnegative
from .value import clv_closed_form, margin_multiple, retention_for_margin_multiple

__all__ = [
    "COST_TIMINGS",
    "EXPERIENCE_MODULES",
    "INNOVATION_DRILLS",
    "INNOVATION_EXAMPLES",
    "INNOVATION_KINDS",
    "InnovationExample",
    "ServiceKind",
    "ValueAddedServiceResult",
    "check_innovation_kind",
    "innovation_kind_key",
    "value_added_service_economics",
]


# --- 四种创新服务 ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceKind:
    """一种创新服务 one kind of innovative service: key, Chinese name and its core idea."""

    key: str
    name: str
    idea: str
    signal: str


#: The four kinds of service of 李先国 chapter 6 (sections 1–4), described in the workbook's own words.
INNOVATION_KINDS: dict[str, ServiceKind] = {
    "value_added": ServiceKind(
        "value_added", "超值服务",
        "在客户付钱买到的、企业承诺过的之外，再主动多给一点，让客户得到的超过他的预期",
        "线索：客户没要求、合同里也没有，企业却多做了一步"),
    "consultative": ServiceKind(
        "consultative", "顾问式服务",
        "像专业顾问一样先了解客户的处境和目标，再帮他判断该买什么、怎么用，必要时劝他不买",
        "线索：先问清需求、给出专业建议或方案，卖的是解决问题的能力"),
    "experience": ServiceKind(
        "experience", "体验服务",
        "把客户接触企业的过程设计成值得记住的经历：让客户看、听、尝、动手、参与，而不只是完成交易",
        "线索：让客户亲身试用、参与或沉浸在某种氛围里"),
    "personalised": ServiceKind(
        "personalised", "个性化服务",
        "依据每位客户的档案和偏好，为这一个人调整产品、服务内容或沟通方式",
        "线索：因人而异——用到了这位客户的资料、记录或特殊要求"),
}

#: Schmitt (1999), *Experiential Marketing*: five strategic experiential modules, with the workbook's examples.
EXPERIENCE_MODULES: dict[str, str] = {
    "感官 sense": "看、听、闻、尝、摸：门店的灯光、音乐和试吃台",
    "情感 feel": "让客户产生好感、温暖或惊喜：生日当天收到手写贺卡",
    "思考 think": "激发好奇和思考：讲解一颗草莓从种植到上架的过程",
    "行动 act": "邀请客户动手做：周末亲子采摘、烘焙课",
    "关联 relate": "让客户感到自己属于某个群体：会员社群、老客户开放日",
}


# --- 判断题：这是哪一种服务创新？ -------------------------------------------------------------------------

@dataclass(frozen=True)
class InnovationExample:
    """一道判断题 one example of service and the kind of innovation it shows, with the reason."""

    key: str
    text: str
    kind: str
    reason: str


#: Examples for the drill (written for this workbook; 鲜果园 is the workbook's fictional fresh-food app).
INNOVATION_EXAMPLES: tuple[InnovationExample, ...] = (
    InnovationExample(
        "E1", "空调安装师傅装完机器后，顺手把客户家里松动的插座也修好了，没有另外收费。", "value_added",
        "修插座不在购买的安装服务之内，是主动多做的一步，超出客户预期。"),
    InnovationExample(
        "E2", "鲜果园给每位连续下单满一年的会员，在周年日附送一盒当季水果，事先不做任何宣传。", "value_added",
        "附送的水果不在订单里，也没有事先承诺，属于额外给予的价值。"),
    InnovationExample(
        "E3", "一位客户想买最贵的净水器，导购先问了他家的水质、人口和预算，建议他买一款便宜一半的就够了。",
        "consultative", "导购先诊断需求、再给专业建议，甚至劝客户少花钱——典型的顾问角色。"),
    InnovationExample(
        "E4", "鲜果园的企业客户经理帮一家新开的餐厅按菜单测算每周的水果用量，给出分批配送方案。", "consultative",
        "卖的是专业判断和解决方案，不只是水果本身。"),
    InnovationExample(
        "E5", "一家家电卖场辟出一间样板厨房，客户可以亲手用新款烤箱烤一盘饼干，再决定买不买。", "experience",
        "让客户动手、闻到香味、亲身感受产品，核心是体验。"),
    InnovationExample(
        "E6", "鲜果园每逢周末在合作果园办亲子采摘日，会员带孩子摘完草莓还能参加果酱课。", "experience",
        "把购买变成一段可参与、可回忆的经历（行动、情感、关联）。"),
    InnovationExample(
        "E7", "酒店前台查到某位常客不吃辣、喜欢高楼层，这次入住前已经按他的习惯安排好房间和早餐。",
        "personalised", "依据这一位客户的档案来调整服务，因人而异。"),
    InnovationExample(
        "E8", "鲜果园根据每位客户过去的订单和忌口，在 App 首页为他单独排列推荐的水果和分量。", "personalised",
        "用客户自己的记录为他量身定制内容，是一对一的个性化服务。"),
)
_EXAMPLES = {e.key: e for e in INNOVATION_EXAMPLES}
_BY_NAME = {k.name: k.key for k in INNOVATION_KINDS.values()}


def _explanations(ex: InnovationExample) -> dict[str, str]:
    right = INNOVATION_KINDS[ex.kind]
    out = {right.name: f"对，这是{right.name}：{ex.reason}"}
    for kind in INNOVATION_KINDS.values():
        if kind.key != ex.kind:
            out[kind.name] = f"不是{kind.name}（{kind.signal}）。本例是{right.name}：{ex.reason}"
    return out


#: The drill as :class:`crmlab.drills.Drill` objects, one per example: options are the four kinds (Chinese names),
#: scored by :func:`crmlab.drills.score_choice` — 1 point for the right kind, 0 for any other.
INNOVATION_DRILLS: tuple[Drill, ...] = tuple(
    Drill(id=f"服务创新-{ex.key}", prompt=f"{ex.text}这属于哪一种服务创新？",
          options=tuple(k.name for k in INNOVATION_KINDS.values()), answer=INNOVATION_KINDS[ex.kind].name,
          explanations=_explanations(ex), points=1.0, topic="服务创新的类型")
    for ex in INNOVATION_EXAMPLES
)
_DRILLS = dict(zip(_EXAMPLES, INNOVATION_DRILLS, strict=True))


def innovation_kind_key(answer: object) -> str:
    """Normalise an answer to a key of :data:`INNOVATION_KINDS`: accepts the key (``"value_added"``) or the
    Chinese name (``"超值服务"``); anything else raises :class:`InputError` listing the choices."""
    if isinstance(answer, str):
        text = answer.strip()
        if text in INNOVATION_KINDS:
            return text
        if text in _BY_NAME:
            return _BY_NAME[text]
    allowed = ", ".join(f"{k.key}（{k.name}）" for k in INNOVATION_KINDS.values())
    raise InputError(f"服务类型 kind 必须是以下之一 must be one of: {allowed}；收到 {answer!r}")


def check_innovation_kind(example_key: str, answer: str) -> ChoiceResult:
    """判断服务创新的类型 check one answer of the drill.

    ``example_key`` is a key of :data:`INNOVATION_EXAMPLES` (``"E1"`` …), ``answer`` a kind key
    (``"value_added"``) or Chinese name (``"超值服务"``). Scored by :func:`crmlab.drills.score_choice`: 1 point for
    the right kind, 0 for a wrong one; the feedback says which kind it is and why.
    """
    if not isinstance(example_key, str) or example_key not in _DRILLS:
        raise InputError(f"题号 example 必须是 {list(_DRILLS)} 之一，收到 {example_key!r}")
    return score_choice(_DRILLS[example_key], INNOVATION_KINDS[innovation_kind_key(answer)].name)


# --- 超值服务的经济账 -----------------------------------------------------------------------------------

#: When the value-added service is paid for: once up front per customer, or each period to every customer still
#: there (at the end of the period, like the margin).
COST_TIMINGS: dict[str, str] = {
    "per_period": "每期向仍在的客户提供一次（如每年免费保养）",
    "upfront": "一次性，在开始时向每位客户提供（如免费安装培训）",
}


@dataclass(frozen=True)
class ValueAddedServiceResult:
    """超值服务的经济账 a value-added service's cost and the customer value it keeps (元, present values)."""

    customers: float
    margin: float
    baseline_retention: float
    new_retention: float
    discount: float
    cost_per_customer: float
    cost_timing: str
    clv_before: float
    clv_after: float
    service_cost: float
    fixed_cost: float
    break_even_uplift: float

    @property
    def retention_uplift(self) -> float:
        """保留率提升 new − baseline retention."""
        return self.new_retention - self.baseline_retention

    @property
    def extra_clv(self) -> float:
        """增加的客户终生价值 customers × (CLV after − CLV before), 元."""
        return self.customers * (self.clv_after - self.clv_before)

    @property
    def total_cost(self) -> float:
        """总成本 service cost + fixed cost, 元."""
        return self.service_cost + self.fixed_cost

    @property
    def net_value(self) -> float:
        """净价值 extra CLV − service cost − fixed cost, 元."""
        return self.extra_clv - self.total_cost

    @property
    def roi(self) -> float:
        """投资回报率 net value / total cost (inf when nothing is spent)."""
        return self.net_value / self.total_cost if self.total_cost > 0 else math.inf

    def __repr__(self) -> str:
        be = uplift_label(self.break_even_uplift)
        return (f"ValueAddedServiceResult(保留率 {self.baseline_retention:.1%} → {self.new_retention:.1%}, "
                f"增加的 CLV {self.extra_clv:,.0f} 元, 服务成本 {self.service_cost:,.0f} 元, "
                f"固定成本 {self.fixed_cost:,.0f} 元, 净价值 {self.net_value:,.0f} 元, 盈亏平衡提升 {be})")

    def _repr_html_(self) -> str:
        be = uplift_label(self.break_even_uplift)
        rows = [("客户数", f"{self.customers:,.0f}"),
                ("保留率：原来 → 提供服务后", f"{self.baseline_retention:.1%} → {self.new_retention:.1%}"),
                ("每位客户的 CLV：原来 → 之后", f"{self.clv_before:,.1f} → {self.clv_after:,.1f} 元"),
                ("增加的客户终生价值（合计）", f"{self.extra_clv:,.0f} 元"),
                (f"服务成本（{COST_TIMINGS[self.cost_timing]}，现值）", f"{self.service_cost:,.0f} 元"),
                ("固定成本", f"{self.fixed_cost:,.0f} 元"), ("净价值", f"<b>{self.net_value:,.0f} 元</b>"),
                ("盈亏平衡所需的保留率提升", be)]
        return html_rows(rows)


def _break_even_uplift(n: float, m: float, c: float, r0: float, d: float, fixed: float, timing: str) -> float:
    """Smallest uplift u ≥ 0 at which the net value is 0, or inf when no retention ≤ 1 is enough."""
    m0 = margin_multiple(r0, d)
    if n == 0:
        return 0.0 if fixed == 0 else math.inf
    if timing == "per_period":
        # n [m (M(r1) − M(r0)) − c M(r1)] = fixed  ⇔  M(r1) = (fixed / n + m M(r0)) / (m − c)
        if m <= c:
            return 0.0 if (m == c == 0 and fixed == 0) else math.inf
        target = (fixed / n + m * m0) / (m - c)
    else:
        # n m (M(r1) − M(r0)) = n c + fixed  ⇔  M(r1) = M(r0) + (c + fixed / n) / m
        if m == 0:
            return 0.0 if (c == 0 and fixed == 0) else math.inf
        target = m0 + (c + fixed / n) / m
    r1 = retention_for_margin_multiple(target, d)
    return math.inf if math.isinf(r1) else max(r1 - r0, 0.0)


def value_added_service_economics(
    customers: float, cost_per_customer: float, baseline_retention: float, retention_uplift: float,
    margin_per_period: float, discount: float = 0.10, *, cost_timing: str = "per_period", fixed_cost: float = 0.0,
) -> ValueAddedServiceResult:
    """超值服务的经济账 value-added service economics: the customer value a service keeps against what it costs.

    Model: ``customers`` (≥ 0) each bring ``margin_per_period`` 元 (≥ 0) at the end of every period they stay,
    as in :func:`crmlab.value.clv_closed_form`. Without the service they stay from one period to the next with
    probability r = ``baseline_retention`` (0–1); with it, r' = r + ``retention_uplift``. ``discount`` is the
    discount rate per period (≥ 0). With the margin multiple M(r) = r / (1 + d − r) (:func:`margin_multiple`):

        extra_clv    = customers × (CLV(r') − CLV(r))                  CLV from clv_closed_form
        service_cost = customers × cost_per_customer × M(r')           cost_timing = "per_period": every
                                                                       customer still there gets it each period
                     = customers × cost_per_customer                   cost_timing = "upfront": once, now
        net_value    = extra_clv − service_cost − fixed_cost

    ``cost_per_customer`` and ``fixed_cost`` are in 元 (≥ 0). ``break_even_uplift`` is the retention uplift
    at which ``net_value`` = 0 (inf when no retention ≤ 1 is enough, e.g. a per-period cost ≥ the margin).
    """
    n = require_nonnegative(customers, "客户数", "customers")
    c = require_nonnegative(cost_per_customer, "每位客户的服务成本", "cost_per_customer")
    r0 = require_fraction(baseline_retention, "原保留率", "baseline_retention")
    u = require_finite(retention_uplift, "保留率提升", "retention_uplift")
    m = require_nonnegative(margin_per_period, "每期毛利", "margin_per_period")
    d = require_nonnegative(discount, "折现率", "discount")
    f = require_nonnegative(fixed_cost, "固定成本", "fixed_cost")
    if cost_timing not in COST_TIMINGS:
        raise InputError(f"成本发生方式 cost_timing 必须是 {list(COST_TIMINGS)} 之一，收到 {cost_timing!r}")
    r1 = r0 + u
    if not 0 <= r1 <= 1:
        raise InputError(f"提供服务后的保留率 baseline_retention + retention_uplift 必须在 0 和 1 之间，"
                         f"收到 {r0:g} + {u:g} = {r1:g}")
    if d == 0 and (r0 >= 1 or r1 >= 1):
        raise InputError("折现率 discount = 0 且保留率为 1 时客户终生价值无限大，请降低保留率或设定折现率，"
                         f"收到 baseline_retention={r0:g}, retention_uplift={u:g}")
    clv0 = clv_closed_form(m, r0, d)
    clv1 = clv_closed_form(m, r1, d)
    per_customer = c * margin_multiple(r1, d) if cost_timing == "per_period" else c
    return ValueAddedServiceResult(
        customers=n, margin=m, baseline_retention=r0, new_retention=r1, discount=d, cost_per_customer=c,
        cost_timing=cost_timing, clv_before=clv0, clv_after=clv1, service_cost=n * per_customer, fixed_cost=f,
        break_even_uplift=_break_even_uplift(n, m, c, r0, d, f, cost_timing),
    )
