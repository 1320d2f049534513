"""投诉处理角色扮演 complaint-handling role-play (李先国《客户服务实务》第七章): a branching dialogue the learner
steers, each reply scored against five complaint-handling principles.

* :data:`PRINCIPLES` — listen first, apologise/empathise, don't argue, offer a concrete remedy, follow up;
* :func:`load_dialogue` / :func:`build_dialogue` — read a dialogue (YAML file or mapping) and check the graph:
  every edge points to an existing node, every non-ending node offers 2–4 replies, every node is reachable from
  the start and there are no cycles (so every path ends);
* :class:`Roleplay` — ``start()``, ``choose(option)`` → next node + feedback + points; ``result()`` at an ending
  gives the total, the best total possible, the percentage and a verdict.

The default dialogue (``crmlab/data/complaint_roleplay.yaml``) is a hotline call to 鲜果园 about spoiled
strawberries; :func:`default_dialogue` loads it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from .errors import InputError

__all__ = [
    "MAX_OPTIONS",
    "MIN_OPTIONS",
    "OUTCOMES",
    "POINT_RANGE",
    "PRINCIPLES",
    "VERDICT_BANDS",
    "Dialogue",
    "Ending",
    "Node",
    "Option",
    "Roleplay",
    "RoleplayResult",
    "Step",
    "Turn",
    "best_total",
    "build_dialogue",
    "default_dialogue",
    "load_dialogue",
    "verdict_for",
]

#: The five principles each reply is scored against (the workbook's summary of 李先国 7.2 and 7.3).
PRINCIPLES: dict[str, str] = {
    "listen": "先倾听：让客户把话说完，弄清事实和真正的需要",
    "empathise": "道歉与共情：承认客户的不便和情绪",
    "no_argue": "不争辩：不和客户比谁对谁错，不推卸、不指责",
    "remedy": "具体补救：当场给出做什么、何时做到的方案",
    "follow_up": "跟进回访：约定跟进，事后确认客户满意并改进",
}
#: How a dialogue can end.
OUTCOMES: dict[str, str] = {"retained": "客户留下并更加信任", "resolved": "问题解决但关系一般", "lost": "客户流失"}
#: Points a reply may carry, and how many replies a customer line offers.
POINT_RANGE: tuple[int, int] = (-2, 2)
MIN_OPTIONS, MAX_OPTIONS = 2, 4
#: Verdict by the share of the best possible total reached (checked from the top).
VERDICT_BANDS: tuple[tuple[float, str], ...] = (
    (0.8, "优秀：处理得当，客户的情绪和问题都得到了照顾"),
    (0.5, "合格：问题最终解决了，但有的回应欠妥"),
    (-math.inf, "需要改进：回顾一下五条原则，再试一次"),
)


@dataclass(frozen=True)
class Option:
    """一个回应选项 one reply the agent can give, its points and the node it leads to."""

    key: str
    text: str
    points: int
    feedback: str
    next: str
    principles: tuple[str, ...] = ()
    violates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Node:
    """对话节点 a customer line and the replies offered."""

    key: str
    customer: str
    options: tuple[Option, ...]

    def option(self, key: str) -> Option:
        """The option with this key; :class:`InputError` listing the keys otherwise."""
        for opt in self.options:
            if opt.key == key:
                return opt
        keys = "/".join(o.key for o in self.options)
        raise InputError(f"选项 option 必须是 {keys} 之一（节点 {self.key}），收到 {key!r}")


@dataclass(frozen=True)
class Ending:
    """结局 an ending: what happens and its outcome (a key of :data:`OUTCOMES`)."""

    key: str
    text: str
    outcome: str


@dataclass(frozen=True)
class Dialogue:
    """一段经过检查的对话 a checked dialogue graph: title, start node, nodes and endings by key."""

    title: str
    start: str
    nodes: dict[str, Node]
    endings: dict[str, Ending]

    def __getitem__(self, key: str) -> Node | Ending:
        return self.nodes[key] if key in self.nodes else self.endings[key]


# --- 读取与检查 ----------------------------------------------------------------------------------------

def _text(value: object, where: str, en: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where} 的 {en} 必须是非空文字 (non-empty text)，收到 {value!r}")
    return value.strip()


def _keys(value: object, where: str, en: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where} 的 {en} 必须是原则代码的列表 (a list)，收到 {value!r}")
    unknown = [v for v in value if v not in PRINCIPLES]
    if unknown:
        raise InputError(f"{where} 的 {en} 中有无法识别的原则 unknown principle {unknown[0]!r}；"
                         f"可用 allowed: {list(PRINCIPLES)}")
    return tuple(value)


def _option(raw: object, node: str, i: int) -> Option:
    where = f"对话 dialogue 节点 node {node!r} 的第 {i + 1} 个选项 option"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where} 必须是一个映射 (mapping)，收到 {raw!r}")
    unknown = set(raw) - {"key", "text", "points", "feedback", "next", "principles", "violates"}
    if unknown:
        raise InputError(f"{where} 有无法识别的字段 unknown fields {sorted(unknown)}")
    key = _text(raw.get("key"), where, "key")
    where = f"对话 dialogue 节点 node {node!r} 的选项 option {key!r}"
    points = raw.get("points")
    lo, hi = POINT_RANGE
    if isinstance(points, bool) or not isinstance(points, int) or not lo <= points <= hi:
        raise InputError(f"{where} 的得分 points 必须是 {lo} 到 {hi} 之间的整数，收到 {points!r}")
    principles = _keys(raw.get("principles"), where, "principles")
    violates = _keys(raw.get("violates"), where, "violates")
    both = set(principles) & set(violates)
    if both:
        raise InputError(f"{where} 的同一条原则不能既遵守又违反 (in principles and violates)，收到 {sorted(both)}")
    return Option(key=key, text=_text(raw.get("text"), where, "text"), points=points,
                  feedback=_text(raw.get("feedback"), where, "feedback"), next=_text(raw.get("next"), where, "next"),
                  principles=principles, violates=violates)


def build_dialogue(data: Mapping[str, object]) -> Dialogue:
    """检查并建立对话 build a :class:`Dialogue` from a mapping (e.g. parsed YAML) and check its graph.

    ``data`` has ``title``, ``start`` and ``nodes``: a mapping from node key to either a customer line
    (``customer`` text and 2–4 ``options``, each with ``key``, ``text``, ``points`` in −2…2, ``feedback``,
    ``next`` and optional lists ``principles`` / ``violates`` of :data:`PRINCIPLES` keys) or an ending
    (``ending`` text and ``outcome`` in :data:`OUTCOMES`). Raises :class:`InputError` naming the node and option
    when an edge points to a missing node, a node is unreachable from the start, or a cycle would let a
    conversation run forever.
    """
    if not isinstance(data, Mapping):
        raise InputError(f"对话 dialogue 必须是一个映射 (mapping)，收到 {type(data).__name__}")
    title = _text(data.get("title"), "对话 dialogue", "title")
    start = _text(data.get("start"), "对话 dialogue", "start")
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, Mapping) or not raw_nodes:
        raise InputError(f"对话 dialogue 的 nodes 必须是非空的映射 (non-empty mapping)，收到 {raw_nodes!r}")
    nodes: dict[str, Node] = {}
    endings: dict[str, Ending] = {}
    for key, raw in raw_nodes.items():
        where = f"对话 dialogue 节点 node {key!r}"
        if not isinstance(key, str) or not isinstance(raw, Mapping):
            raise InputError(f"{where} 必须是以文字为键的映射 (mapping)，收到 {raw!r}")
        if "ending" in raw:
            if set(raw) - {"ending", "outcome"}:
                raise InputError(f"{where} 是结局 (ending)，只能有 ending 和 outcome，收到字段 {sorted(raw)}")
            outcome = raw.get("outcome")
            if outcome not in OUTCOMES:
                raise InputError(f"{where} 的结局类型 outcome 必须是 {list(OUTCOMES)} 之一，收到 {outcome!r}")
            endings[key] = Ending(key, _text(raw["ending"], where, "ending"), str(outcome))
            continue
        if set(raw) - {"customer", "options"}:
            raise InputError(f"{where} 只能有 customer 和 options（或 ending 和 outcome），收到字段 {sorted(raw)}")
        customer = _text(raw.get("customer"), where, "customer")
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not MIN_OPTIONS <= len(raw_options) <= MAX_OPTIONS:
            n = len(raw_options) if isinstance(raw_options, list) else raw_options
            raise InputError(f"{where} 的选项 options 必须有 {MIN_OPTIONS}–{MAX_OPTIONS} 个，收到 {n!r}")
        options = tuple(_option(o, key, i) for i, o in enumerate(raw_options))
        seen: set[str] = set()
        for opt in options:
            if opt.key in seen:
                raise InputError(f"{where} 的选项键 option key 重复 (duplicate)，收到 {opt.key!r}")
            seen.add(opt.key)
        nodes[key] = Node(key, customer, options)
    dialogue = Dialogue(title=title, start=start, nodes=nodes, endings=endings)
    _check_graph(dialogue)
    return dialogue


def _check_graph(d: Dialogue) -> None:
    known = set(d.nodes) | set(d.endings)
    if d.start not in d.nodes:
        raise InputError(f"对话 dialogue 的起点 start 必须是一个有选项的节点，收到 {d.start!r}")
    for node in d.nodes.values():
        for opt in node.options:
            if opt.next not in known:
                raise InputError(f"对话 dialogue 节点 node {node.key!r} 的选项 option {opt.key!r} 指向不存在的节点 "
                                 f"next {opt.next!r}")
    # depth-first search from the start: grey = on the current path (a grey successor closes a cycle)
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(key: str) -> None:
        state[key] = "grey"
        path.append(key)
        for opt in d.nodes[key].options if key in d.nodes else ():
            if state.get(opt.next) == "grey":
                cycle = [*path[path.index(opt.next):], opt.next]
                raise InputError("对话 dialogue 有循环 (cycle)，对话可能永远不结束：" + " → ".join(cycle) +
                                 f"（节点 node {key!r} 的选项 option {opt.key!r}）")
            if opt.next not in state:
                visit(opt.next)
        path.pop()
        state[key] = "black"

    visit(d.start)
    unreachable = sorted(known - set(state))
    if unreachable:
        raise InputError(f"对话 dialogue 中有从起点 start 到达不了的节点 (unreachable nodes)：{unreachable}")


def load_dialogue(path: str | Path) -> Dialogue:
    """读取对话文件 read a dialogue from a YAML file and check it (see :func:`build_dialogue`)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"对话文件 dialogue file 无法读取 (cannot read)：{p}（{exc.strerror}）") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"对话文件 dialogue file {p.name} 不是有效的 YAML：{exc}") from None
    return build_dialogue(data)


def default_dialogue() -> Dialogue:
    """默认对话 the workbook's dialogue: a 鲜果园 customer whose birthday strawberries arrived spoiled."""
    with resources.as_file(resources.files("crmlab") / "data" / "complaint_roleplay.yaml") as p:
        return load_dialogue(p)


def best_total(dialogue: Dialogue, start: str | None = None) -> int:
    """最高可得分 the largest total of points along any path from ``start`` (default: the dialogue's start) to an
    ending (the graph is acyclic, so this is a longest-path search)."""
    memo: dict[str, int] = {}

    def best(key: str) -> int:
        if key in dialogue.endings:
            return 0
        if key not in memo:
            memo[key] = max(o.points + best(o.next) for o in dialogue.nodes[key].options)
        return memo[key]

    return best(dialogue.start if start is None else start)


def verdict_for(share: float) -> str:
    """评语 the verdict for a share of the best total (see :data:`VERDICT_BANDS`)."""
    for low, text in VERDICT_BANDS:
        if share >= low:
            return text
    return VERDICT_BANDS[-1][1]


# --- 角色扮演引擎 ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Turn:
    """对话记录中的一轮 one turn of the transcript: the customer's line and the reply chosen."""

    node: str
    customer: str
    option: str
    reply: str
    points: int
    feedback: str


@dataclass(frozen=True)
class Step:
    """一次选择的结果 the result of one choice: points, feedback, principles followed/broken and what comes next
    (a :class:`Node`, or an :class:`Ending` when ``finished``)."""

    points: int
    feedback: str
    principles: tuple[str, ...]
    violates: tuple[str, ...]
    next: Node | Ending

    @property
    def finished(self) -> bool:
        """对话是否结束 True when the next item is an ending."""
        return isinstance(self.next, Ending)


@dataclass(frozen=True)
class RoleplayResult:
    """角色扮演的结果 total points, best possible total, share, verdict, ending and the transcript."""

    total: int
    best: int
    ending: Ending
    transcript: tuple[Turn, ...]

    @property
    def share(self) -> float:
        """得分率 total / best (may be negative)."""
        return self.total / self.best if self.best > 0 else 0.0

    @property
    def verdict(self) -> str:
        """评语 from :data:`VERDICT_BANDS`."""
        return verdict_for(self.share)

    def __repr__(self) -> str:
        return (f"RoleplayResult(得分 {self.total}/{self.best}（{self.share:.0%}），"
                f"结局 {OUTCOMES[self.ending.outcome]}，{self.verdict.split('：')[0]})")


@dataclass
class Roleplay:
    """投诉处理角色扮演 the engine: ``start()`` shows the first customer line; ``choose(option)`` scores a reply and
    moves on; at an ending ``result()`` gives the verdict.

    Scoring: the points of the chosen replies are added up (each −2 … +2, see the dialogue file); the verdict
    depends on total / best possible total (:data:`VERDICT_BANDS`: ≥ 80 % 优秀, ≥ 50 % 合格).
    """

    dialogue: Dialogue = field(default_factory=default_dialogue)
    _current: Node | Ending | None = field(default=None, init=False, repr=False)
    _transcript: list[Turn] = field(default_factory=list, init=False, repr=False)

    def start(self) -> Node:
        """开始（或重新开始）对话 (re)start and return the first customer line."""
        self._current = self.dialogue.nodes[self.dialogue.start]
        self._transcript = []
        return self._current

    @property
    def current(self) -> Node | Ending | None:
        """当前节点 the current customer line, the ending reached, or None before ``start()``."""
        return self._current

    @property
    def finished(self) -> bool:
        """是否已到结局 True once an ending is reached."""
        return isinstance(self._current, Ending)

    @property
    def total(self) -> int:
        """目前得分 points so far."""
        return sum(t.points for t in self._transcript)

    @property
    def best(self) -> int:
        """最高可得分 the best total possible from the start."""
        return best_total(self.dialogue)

    @property
    def transcript(self) -> tuple[Turn, ...]:
        """对话记录 the turns so far."""
        return tuple(self._transcript)

    def choose(self, option: str) -> Step:
        """选择回应 answer the current customer line with the reply ``option`` (its key, e.g. ``"a"``)."""
        if self._current is None:
            raise InputError("对话尚未开始 (not started)：请先调用 start()")
        if isinstance(self._current, Ending):
            raise InputError(f"对话已经结束 (finished)，结局 {self._current.key!r}：请调用 start() 重新开始")
        opt = self._current.option(option)
        self._transcript.append(Turn(node=self._current.key, customer=self._current.customer, option=opt.key,
                                     reply=opt.text, points=opt.points, feedback=opt.feedback))
        self._current = self.dialogue[opt.next]
        return Step(points=opt.points, feedback=opt.feedback, principles=opt.principles, violates=opt.violates,
                    next=self._current)

    def result(self) -> RoleplayResult:
        """结果 total, verdict and transcript; only once an ending is reached."""
        if not isinstance(self._current, Ending):
            raise InputError("对话尚未结束 (not finished)：继续选择回应，直到出现结局")
        return RoleplayResult(total=self.total, best=self.best, ending=self._current,
                              transcript=tuple(self._transcript))
