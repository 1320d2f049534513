"""练习引擎 drill engine: choice, ordering and checklist drills with immediate, explained feedback.

Three kinds of drill, each a small frozen dataclass that checks itself when it is built (so a typo in the content
fails at import, naming the drill):

* :class:`Drill` — one scenario, several options, one right option (or several, then the learner ticks a set);
  scored by :func:`score_choice`;
* :class:`OrderingDrill` — steps of a procedure to put in order; scored by :func:`score_ordering`;
* :class:`ChecklistDrill` — things to do (required) mixed with things not to do (forbidden); scored by
  :func:`score_checklist`.

Scoring rules (``points`` = the most a drill is worth):

* **choice** (one right option): ``points`` for the right option, 0 for any other.
  Several right options: scored as a checklist (right options required, the other options forbidden).
* **ordering**: with ``n`` steps there are ``n(n−1)/2`` pairs of steps. ``pair_share`` = pairs that the learner
  put in the same relative order as the model answer (both steps present) ÷ all pairs — for a complete
  ordering this is (1 + Kendall's τ) / 2; ``position_share`` = steps in exactly the right slot ÷ ``n``.
  score = ``points`` × (``pair_weight`` × pair_share + (1 − ``pair_weight``) × position_share),
  ``pair_weight`` = 0.5 by default. So the right order scores ``points``; the exact reverse scores 0 (with an odd
  number of steps the middle step keeps its slot: 0.5 / n); swapping two neighbours of four steps costs one pair of
  six and two slots of four: 0.5 × 5/6 + 0.5 × 2/4 = 2/3 of the points.
* **checklist** with ``R`` required items: each required item ticked earns ``points / R``, each forbidden item
  ticked takes ``points / R`` away, the total is never below 0. Neutral items (neither required nor
  forbidden) change nothing.

A result is *correct* only when it earns every point. Its ``verdict`` reads ``✔ 回答正确`` (full marks),
``✘ 回答不正确`` (no marks) or ``△ 部分正确，还不对`` (some marks); ``feedback`` explains every choice.
:class:`DrillScoreboard` keeps a running score in which each drill's *first* submitted answer counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from .errors import InputError, require_fraction, require_positive

__all__ = [
    "ChecklistDrill",
    "ChecklistResult",
    "ChoiceResult",
    "Drill",
    "DrillScoreboard",
    "OrderingDrill",
    "OrderingResult",
    "classification_drill",
    "display_order",
    "score_checklist",
    "score_choice",
    "score_drill",
    "score_ordering",
    "verdict",
]

VERDICT_RIGHT = "✔ 回答正确"
VERDICT_WRONG = "✘ 回答不正确"
VERDICT_PARTIAL = "△ 部分正确，还不对"
_EPS = 1e-9


def verdict(score: float, max_score: float) -> str:
    """评语 the verdict for ``score`` out of ``max_score``: right (full marks), wrong (0) or partly right."""
    if score >= max_score - _EPS:
        return VERDICT_RIGHT
    if score <= _EPS:
        return VERDICT_WRONG
    return VERDICT_PARTIAL


# --- checking the content ---------------------------------------------------------------------------------------

def _text(value: object, zh: str, en: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}{zh} {en} 必须是非空文字 (non-empty text)，收到 {value!r}")
    return value


def _texts(values: object, zh: str, en: str, where: str, *, minimum: int = 0) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InputError(f"{where}{zh} {en} 必须是文字列表 (a list of texts)，收到 {values!r}")
    items = tuple(values)
    for i, item in enumerate(items):
        _text(item, f"{zh}第 {i + 1} 项", en, where)
    if len(set(items)) != len(items):
        dup = next(x for i, x in enumerate(items) if x in items[:i])
        raise InputError(f"{where}{zh} {en} 中有重复的项 (duplicate)：{dup!r}")
    if len(items) < minimum:
        raise InputError(f"{where}{zh} {en} 至少要有 {minimum} 项，收到 {len(items)} 项")
    return items


def _explanations(explanations: object, items: Sequence[str], where: str) -> Mapping[str, str]:
    if not isinstance(explanations, Mapping):
        raise InputError(f"{where}解释 explanations 必须是 {{选项: 解释}} 的字典 (a mapping)，收到 {explanations!r}")
    missing = [x for x in items if x not in explanations]
    extra = [k for k in explanations if k not in items]
    if missing or extra:
        raise InputError(f"{where}解释 explanations 必须逐项对应：缺少 {missing}，多出 {extra}")
    for k in items:
        _text(explanations[k], f"“{k}”的解释", "explanation", where)
    return MappingProxyType({k: explanations[k] for k in items})


def _points(points: object, where: str) -> float:
    try:
        return require_positive(points, "分值", "points")
    except InputError as exc:
        raise InputError(f"{where}{exc}") from None


@dataclass(frozen=True)
class Drill:
    """选择题练习 a multiple-choice drill: a scenario (``prompt``), ``options``, the right ``answer``.

    ``answer`` is one option (text) or a list of options (then the learner ticks a set, scored as a checklist).
    ``explanations`` says for *every* option why it is right or wrong. ``points`` > 0 (default 1); ``topic``
    is a short label shown above the scenario (e.g. 客户分类).
    """

    id: str
    prompt: str
    options: tuple[str, ...]
    answer: tuple[str, ...]
    explanations: Mapping[str, str]
    points: float = 1.0
    topic: str = ""

    def __post_init__(self) -> None:
        _text(self.id, "编号", "id", "练习 drill ")
        where = f"练习 drill {self.id!r} 的"
        _text(self.prompt, "题干", "prompt", where)
        options = _texts(self.options, "选项", "options", where, minimum=2)
        answer = (self.answer,) if isinstance(self.answer, str) else self.answer
        answer = _texts(answer, "答案", "answer", where, minimum=1)
        wrong = [a for a in answer if a not in options]
        if wrong:
            raise InputError(f"{where}答案 answer 必须是选项之一 {list(options)}，收到 {wrong}")
        if len(answer) == len(options):
            raise InputError(f"{where}答案 answer 不能包含全部选项 (all options right leaves nothing to choose)")
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "answer", answer)
        object.__setattr__(self, "explanations", _explanations(self.explanations, options, where))
        object.__setattr__(self, "points", _points(self.points, where))
        if not isinstance(self.topic, str):
            raise InputError(f"{where}主题 topic 必须是文字，收到 {self.topic!r}")

    @property
    def multiple(self) -> bool:
        """True when more than one option is right (the learner ticks a set)."""
        return len(self.answer) > 1


def classification_drill(id: str, prompt: str, answer: str, why: str, traits: Mapping[str, str], *,
                         topic: str = "", points: float = 1.0) -> Drill:
    """归类题 a “which type is this?” :class:`Drill`: the options are the keys of ``traits`` (type → its mark).

    The right option is explained by ``why`` (the clue in this scenario); every other option by its own trait,
    e.g. ``经济型客户：最在意价格……——本情境的线索不是这一点。``
    """
    if not isinstance(traits, Mapping):
        raise InputError(f"练习 drill {id!r} 的类型说明 traits 必须是 {{类型: 特征}} 的字典，收到 {traits!r}")
    explanations = {k: (why if k == answer else f"{k}：{v}——本情境的线索不是这一点。") for k, v in traits.items()}
    return Drill(id, prompt, tuple(traits), answer, explanations, points=points, topic=topic)


@dataclass(frozen=True)
class OrderingDrill:
    """排序练习 an ordering drill: the ``steps`` of a procedure in the right order.

    ``explanations`` says for every step why it sits where it does; ``points`` > 0 (default 1).
    """

    id: str
    prompt: str
    steps: tuple[str, ...]
    explanations: Mapping[str, str]
    points: float = 1.0
    topic: str = ""

    def __post_init__(self) -> None:
        _text(self.id, "编号", "id", "练习 drill ")
        where = f"排序练习 drill {self.id!r} 的"
        _text(self.prompt, "题干", "prompt", where)
        steps = _texts(self.steps, "步骤", "steps", where, minimum=2)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "explanations", _explanations(self.explanations, steps, where))
        object.__setattr__(self, "points", _points(self.points, where))


@dataclass(frozen=True)
class ChecklistDrill:
    """清单练习 a checklist drill: tick what should be done (``required``), leave what must not (``forbidden``).

    ``neutral`` items are neither (harmless either way). ``explanations`` covers every item; ``points`` > 0.
    """

    id: str
    prompt: str
    required: tuple[str, ...]
    forbidden: tuple[str, ...]
    explanations: Mapping[str, str]
    neutral: tuple[str, ...] = ()
    points: float = 1.0
    topic: str = ""

    def __post_init__(self) -> None:
        _text(self.id, "编号", "id", "练习 drill ")
        where = f"清单练习 drill {self.id!r} 的"
        _text(self.prompt, "题干", "prompt", where)
        required = _texts(self.required, "应做事项", "required", where, minimum=1)
        forbidden = _texts(self.forbidden, "禁忌事项", "forbidden", where)
        neutral = _texts(self.neutral, "中性事项", "neutral", where)
        _check_disjoint(required, forbidden, neutral, where)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "forbidden", forbidden)
        object.__setattr__(self, "neutral", neutral)
        object.__setattr__(self, "explanations",
                           _explanations(self.explanations, (*required, *forbidden, *neutral), where))
        object.__setattr__(self, "points", _points(self.points, where))

    @property
    def items(self) -> tuple[str, ...]:
        """All items, required first, then forbidden, then neutral (shuffle with :func:`display_order`)."""
        return (*self.required, *self.forbidden, *self.neutral)


def _check_disjoint(required: Sequence[str], forbidden: Sequence[str], neutral: Sequence[str], where: str) -> None:
    for a_name, a, b_name, b in (("应做 required", required, "禁忌 forbidden", forbidden),
                                 ("应做 required", required, "中性 neutral", neutral),
                                 ("禁忌 forbidden", forbidden, "中性 neutral", neutral)):
        both = [x for x in a if x in b]
        if both:
            raise InputError(f"{where}{a_name} 与 {b_name} 不能有相同的项，收到 {both}")


def display_order(items: Sequence[str], key: str) -> list[str]:
    """展示顺序 a fixed, mixed-up order of ``items`` (so the right order is not given away), the same every run.

    The order depends only on ``key`` (e.g. the drill id) and the item texts: each item is ranked by a hash of
    ``key`` and its text.
    """
    return sorted(items, key=lambda s: hashlib.sha256(f"{key}\x00{s}".encode()).hexdigest())


# --- results ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChoiceResult:
    """选择题结果 the score of one answer to a :class:`Drill`."""

    drill_id: str
    chosen: tuple[str, ...]
    right_answer: tuple[str, ...]
    score: float
    max_score: float
    correct: bool
    verdict: str
    feedback: tuple[str, ...]

    def __repr__(self) -> str:
        return f"ChoiceResult({self.drill_id}: {self.verdict}，得分 {self.score:g}/{self.max_score:g})"


@dataclass(frozen=True)
class OrderingResult:
    """排序结果 the score of one ordering: pairs in order, steps in place, score and per-step feedback."""

    drill_id: str
    learner_order: tuple[str | None, ...]
    right_order: tuple[str, ...]
    pairs_in_order: int
    total_pairs: int
    in_place: int
    pair_share: float
    position_share: float
    missing: tuple[str, ...]
    score: float
    max_score: float
    correct: bool
    verdict: str
    feedback: tuple[str, ...]

    def __repr__(self) -> str:
        return (f"OrderingResult({self.drill_id or '排序'}: {self.verdict}，得分 {self.score:.4g}/{self.max_score:g}，"
                f"顺序正确的步骤对 {self.pairs_in_order}/{self.total_pairs}，位置正确 {self.in_place}/"
                f"{len(self.right_order)})")


@dataclass(frozen=True)
class ChecklistResult:
    """清单结果 the score of one checklist: required items found and missed, forbidden items ticked."""

    drill_id: str
    found: tuple[str, ...]
    missed: tuple[str, ...]
    wrong: tuple[str, ...]
    neutral: tuple[str, ...]
    score: float
    max_score: float
    correct: bool
    verdict: str
    feedback: tuple[str, ...]

    def __repr__(self) -> str:
        return (f"ChecklistResult({self.drill_id or '清单'}: {self.verdict}，得分 {self.score:.4g}/{self.max_score:g}，"
                f"应做 {len(self.found)}/{len(self.found) + len(self.missed)}，误选 {len(self.wrong)})")


# --- scoring ----------------------------------------------------------------------------------------------------

def score_checklist(required: Iterable[str], chosen: Iterable[str], forbidden: Iterable[str] = (), *,
                    neutral: Iterable[str] = (), points: float = 100.0,
                    explanations: Mapping[str, str] | None = None, drill_id: str = "") -> ChecklistResult:
    """清单评分 score the items a learner ``chosen`` against ``required`` and ``forbidden`` items.

    score = ``points`` × max(0, (required items chosen − forbidden items chosen) / number of required items).
    ``neutral`` items may be chosen without effect; an item outside all three lists, or chosen twice, raises
    :class:`InputError`. ``explanations`` (optional, item → text) is quoted in the feedback.
    """
    where = f"清单练习 drill {drill_id!r} 的" if drill_id else ""
    req = _texts(required, "应做事项", "required", where, minimum=1)
    forb = _texts(forbidden, "禁忌事项", "forbidden", where)
    neut = _texts(neutral, "中性事项", "neutral", where)
    _check_disjoint(req, forb, neut, where)
    pts = _points(points, where)
    if isinstance(chosen, str) or not isinstance(chosen, Iterable):
        raise InputError(f"所选事项 chosen 必须是列表 (a list of items)，收到 {chosen!r}")
    picks = tuple(chosen)
    known = {*req, *forb, *neut}
    for i, item in enumerate(picks):
        if item not in known:
            raise InputError(f"所选事项 chosen 第 {i + 1} 项不是本题的选项 (unknown item)：{item!r}")
    if len(set(picks)) != len(picks):
        dup = next(x for i, x in enumerate(picks) if x in picks[:i])
        raise InputError(f"所选事项 chosen 中每一项只能选一次，收到重复的 {dup!r}")
    found = tuple(x for x in req if x in picks)
    missed = tuple(x for x in req if x not in picks)
    wrong = tuple(x for x in forb if x in picks)
    neutral_chosen = tuple(x for x in neut if x in picks)
    score = pts * max(0.0, (len(found) - len(wrong)) / len(req))
    why = explanations or {}

    def line(mark: str, item: str) -> str:
        return f"{mark}{item}" + (f"——{why[item]}" if item in why else "")

    feedback = [line("✔ 选对了：", x) for x in found]
    feedback += [line("✘ 漏选了：", x) for x in missed]
    feedback += [line("✘ 不该选：", x) for x in wrong]
    feedback += [line("○ 无关紧要：", x) for x in neutral_chosen]
    feedback += [line("✔ 没有选，对：", x) for x in forb if x not in picks]
    return ChecklistResult(drill_id, found, missed, wrong, neutral_chosen, score, pts, not missed and not wrong,
                           verdict(score, pts), tuple(feedback))


def score_choice(drill: Drill, answer: str | Iterable[str] | None) -> ChoiceResult:
    """选择题评分 score ``answer`` to ``drill``: an option text (or, when several options are right, a list).

    One right option: ``drill.points`` if ``answer`` is it, else 0. Several right options: scored as a checklist
    (:func:`score_checklist` with the right options required and the others forbidden). The feedback quotes the
    explanation of every option chosen and, when not fully right, the right answer with its explanation.
    """
    if not isinstance(drill, Drill):
        raise InputError(f"练习 drill 必须是 Drill，收到 {type(drill).__name__}")
    if not isinstance(answer, str) and isinstance(answer, Iterable):
        answer = tuple(answer)
    if answer is None or answer == "" or answer == ():
        raise InputError(f"练习 {drill.id} 还没有选择答案 (no answer chosen)：请先选一个选项")
    expl = drill.explanations
    if drill.multiple:
        if isinstance(answer, str):
            answer = (answer,)
        for a in answer:
            if a not in drill.options:
                raise InputError(f"答案 answer 必须是练习 {drill.id} 的选项之一 {list(drill.options)}，收到 {a!r}")
        others = tuple(o for o in drill.options if o not in drill.answer)
        check = score_checklist(drill.answer, answer, others, points=drill.points, explanations=expl,
                                drill_id=drill.id)
        chosen = tuple(o for o in drill.options if o in check.found + check.wrong)
        return ChoiceResult(drill.id, chosen, drill.answer, check.score, drill.points, check.correct, check.verdict,
                            check.feedback)
    if not isinstance(answer, str):
        raise InputError(f"练习 {drill.id} 只有一个正确选项，答案 answer 应是一个选项 (one option text)，"
                         f"收到 {answer!r}")
    if answer not in drill.options:
        raise InputError(f"答案 answer 必须是练习 {drill.id} 的选项之一 {list(drill.options)}，收到 {answer!r}")
    right = drill.answer[0]
    correct = answer == right
    score = drill.points if correct else 0.0
    feedback = [f"你的选择：{answer}——{expl[answer]}"]
    if not correct:
        feedback.append(f"正确答案：{right}——{expl[right]}")
    return ChoiceResult(drill.id, (answer,), drill.answer, score, drill.points, correct, verdict(score, drill.points),
                        tuple(feedback))


def score_ordering(correct_order: Sequence[str], learner_order: Sequence[str | None], *, points: float = 100.0,
                   pair_weight: float = 0.5, explanations: Mapping[str, str] | None = None,
                   drill_id: str = "") -> OrderingResult:
    """排序评分 score ``learner_order`` (steps in the learner's order; ``None`` for an empty slot) against
    ``correct_order``.

    score = ``points`` × (``pair_weight`` × pair_share + (1 − ``pair_weight``) × position_share), where
    pair_share = pairs of steps in the right relative order ÷ n(n−1)/2 (a missing step loses all its pairs; for a
    complete ordering this is (1 + Kendall's τ) / 2) and position_share = steps in exactly the right slot ÷ n.
    ``learner_order`` may be shorter than ``correct_order`` (the rest counts as empty) but not longer; each step at
    most once, and only steps of ``correct_order``.
    """
    where = f"排序练习 drill {drill_id!r} 的" if drill_id else ""
    right = _texts(correct_order, "正确顺序", "correct_order", where, minimum=2)
    pts = _points(points, where)
    w = require_fraction(pair_weight, "顺序对权重", "pair_weight")
    if isinstance(learner_order, str) or not isinstance(learner_order, Sequence):
        raise InputError(f"学员的顺序 learner_order 必须是步骤列表 (a list of steps)，收到 {learner_order!r}")
    order = tuple(learner_order)
    n = len(right)
    if len(order) > n:
        raise InputError(f"学员的顺序 learner_order 最多 {n} 步，收到 {len(order)} 步")
    seen: dict[str, int] = {}
    for i, step in enumerate(order):
        if step is None:
            continue
        if not isinstance(step, str) or step not in right:
            raise InputError(f"学员的顺序 learner_order 第 {i + 1} 步不是本题的步骤 (unknown step)：{step!r}")
        if step in seen:
            raise InputError(f"学员的顺序 learner_order 第 {i + 1} 步与第 {seen[step] + 1} 步重复 (duplicate)："
                             f"{step!r}")
        seen[step] = i
    rank = {s: k for k, s in enumerate(right)}
    placed = [s for s in order if s is not None]
    total_pairs = n * (n - 1) // 2
    pairs = sum(1 for i in range(len(placed)) for j in range(i + 1, len(placed)) if rank[placed[i]] < rank[placed[j]])
    in_place = sum(1 for i, s in enumerate(order) if s == right[i])
    pair_share = pairs / total_pairs
    position_share = in_place / n
    score = pts * (w * pair_share + (1.0 - w) * position_share)
    missing = tuple(s for s in right if s not in seen)
    why = explanations or {}
    feedback = []
    for i in range(n):
        step = order[i] if i < len(order) else None
        if step is None:
            feedback.append(f"✘ 第 {i + 1} 步空着：应是“{right[i]}”")
        elif step == right[i]:
            feedback.append(f"✔ 第 {i + 1} 步：{step}" + (f"——{why[step]}" if step in why else ""))
        else:
            feedback.append(f"✘ 第 {i + 1} 步放了“{step}”，它应是第 {rank[step] + 1} 步；这一步应是“{right[i]}”")
    if score < pts - _EPS:
        feedback.append("正确顺序：" + " → ".join(right))
    correct = in_place == n
    return OrderingResult(drill_id, order, right, pairs, total_pairs, in_place, pair_share, position_share, missing,
                          score, pts, correct, verdict(score, pts), tuple(feedback))


def score_drill(drill: Drill | OrderingDrill | ChecklistDrill,
                answer: str | Iterable[str] | Sequence[str | None] | None
                ) -> ChoiceResult | OrderingResult | ChecklistResult:
    """练习评分 score ``answer`` to any kind of drill with that drill's points and explanations."""
    if isinstance(drill, Drill):
        return score_choice(drill, answer)
    if isinstance(drill, OrderingDrill):
        if answer is None:
            raise InputError(f"排序练习 {drill.id} 还没有排好步骤 (no order given)")
        return score_ordering(drill.steps, answer, points=drill.points, explanations=drill.explanations,
                              drill_id=drill.id)
    if isinstance(drill, ChecklistDrill):
        if answer is None:
            answer = ()
        return score_checklist(drill.required, answer, drill.forbidden, neutral=drill.neutral, points=drill.points,
                               explanations=drill.explanations, drill_id=drill.id)
    raise InputError(f"练习 drill 必须是 Drill、OrderingDrill 或 ChecklistDrill，收到 {type(drill).__name__}")


# --- running score ----------------------------------------------------------------------------------------------

@dataclass
class DrillScoreboard:
    """累计得分 a running score over a set of drills: each drill's *first* submitted answer counts.

    Later answers to the same drill are still scored and explained (``record`` returns False for them) but do not
    change the total, so trying every option until one is right does not raise the score.
    """

    total_drills: int = 0
    first_scores: dict[str, tuple[float, float]] = field(default_factory=dict)

    def record(self, result: ChoiceResult | OrderingResult | ChecklistResult) -> bool:
        """Add ``result`` if it is the first for its drill; return whether it counted."""
        if result.drill_id in self.first_scores:
            return False
        self.first_scores[result.drill_id] = (result.score, result.max_score)
        return True

    @property
    def earned(self) -> float:
        """Points earned by first answers."""
        return sum(s for s, _m in self.first_scores.values())

    @property
    def possible(self) -> float:
        """Points that the drills answered so far were worth."""
        return sum(m for _s, m in self.first_scores.values())

    @property
    def answered(self) -> int:
        """Number of drills answered at least once."""
        return len(self.first_scores)

    def summary(self) -> str:
        """One line such as ``累计得分 3 / 4 分（已答 4 题，共 8 题；每题以第一次提交为准）``."""
        of = f"，共 {self.total_drills} 题" if self.total_drills else ""
        return (f"累计得分 {self.earned:.4g} / {self.possible:.4g} 分（已答 {self.answered} 题{of}；"
                f"每题以第一次提交为准）")
