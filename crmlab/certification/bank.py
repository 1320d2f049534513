"""题库 question bank: load the YAML files in ``crmlab/certification/bank/`` and check every question.

One file per topic (``lxg01.yml`` … ``lxg09.yml`` for 李先国《客户服务实务》, ``szh01.yml`` … ``szh10.yml`` for
苏朝晖《客户关系管理》)::

    topic: lxg01                 # = the file name without .yml
    title: 认识客户服务
    book: 李先国《客户服务实务》
    chapter: 第一章
    questions:
      - id: lxg01-001            # unique across the bank, starts with "<topic>-"
        type: single             # single | multiple | judge | calc | case
        difficulty: 1            # 1 易, 2 中, 3 难
        section: 第一节 客户服务的含义
        stem: ...
        options: {A: ..., B: ..., C: ..., D: ...}   # single / multiple: 2–6 options A, B, C, …
        answer: B                # single: one key; multiple: [A, C]; judge: true / false
        explanation: ...         # every type
        # calc: generator, params {name: number or [low, high, step]}, unit, tolerance (relative, default 0.01)
        # case: marking_guide [scoring points], points (total marks)

:func:`load_bank` raises one :class:`~crmlab.errors.InputError` that lists every problem, each naming the file,
the line and the question id. :func:`validate_bank` returns the same list without raising; run
``python -m crmlab.certification.bank [folder]`` to check a bank while writing it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import InputError
from .generators import (
    GENERATORS,
    ParamSpec,
    corner_params,
    parse_param_specs,
    render_stem,
    stem_fields,
)

__all__ = [
    "BANK_DIR",
    "DIFFICULTIES",
    "KNOWN_TOPICS",
    "OPTION_KEYS",
    "QUESTION_TYPES",
    "Question",
    "QuestionBank",
    "Topic",
    "load_bank",
    "parse_question",
    "validate_bank",
]

#: The packaged bank (package data ``crmlab/certification/bank/*.yml``).
BANK_DIR = Path(__file__).resolve().parent / "bank"

#: Question types in the order a paper lists them, with their Chinese names.
QUESTION_TYPES: dict[str, str] = {
    "single": "单项选择题",
    "multiple": "多项选择题",
    "judge": "判断题",
    "calc": "计算题",
    "case": "案例分析题",
}
DIFFICULTIES: dict[int, str] = {1: "易", 2: "中", 3: "难"}
OPTION_KEYS = "ABCDEF"

#: The chapters the bank covers: topic id → (book, chapter, title). Titles follow the books' tables of contents.
KNOWN_TOPICS: dict[str, tuple[str, str, str]] = {
    **{f"lxg{i:02d}": ("李先国《客户服务实务》", f"第{n}章", t) for i, (n, t) in enumerate([
        ("一", "认识客户服务"), ("二", "客户服务礼仪"), ("三", "客户服务中的沟通技巧"), ("四", "客户服务技巧"),
        ("五", "不同类型客户服务技巧"), ("六", "服务创新"), ("七", "客户投诉的处理技巧"),
        ("八", "处理客户服务压力的技巧"), ("九", "网络时代的客户服务")], start=1)},
    **{f"szh{i:02d}": ("苏朝晖《客户关系管理》", f"第{i}章", t) for i, t in enumerate([
        "客户关系管理的理念", "客户关系管理的技术", "客户的选择", "客户的开发", "客户的信息", "客户的分级",
        "客户的沟通", "客户的满意", "客户的忠诚", "客户的流失与挽回"], start=1)},
}

_COMMON = ("id", "type", "difficulty", "section", "stem", "explanation")
_ALLOWED: dict[str, tuple[str, ...]] = {
    "single": (*_COMMON, "options", "answer"),
    "multiple": (*_COMMON, "options", "answer"),
    "judge": (*_COMMON, "answer"),
    "calc": (*_COMMON, "generator", "params", "unit", "tolerance"),
    "case": (*_COMMON, "marking_guide", "points"),
}
_TOPIC_KEYS = ("topic", "title", "book", "chapter", "questions")
_TOPIC_ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Question:
    """一道题 one question of the bank, normalised.

    ``answer`` is a key (single), a sorted tuple of keys (multiple), a bool (judge) or None (calc, case).
    ``params`` maps each generator parameter to a fixed number or ``(low, high, step)``.
    """

    id: str
    topic: str
    type: str
    difficulty: int
    section: str
    stem: str
    explanation: str
    options: dict[str, str] = field(default_factory=dict)
    answer: str | tuple[str, ...] | bool | None = None
    generator: str | None = None
    params: dict[str, ParamSpec] = field(default_factory=dict)
    unit: str = ""
    tolerance: float = 0.01
    marking_guide: tuple[str, ...] = ()
    points: float | None = None
    file: str = ""

    @property
    def type_label(self) -> str:
        """题型 the Chinese name of the type, e.g. 单项选择题."""
        return QUESTION_TYPES[self.type]

    @property
    def difficulty_label(self) -> str:
        """难度 易 / 中 / 难."""
        return DIFFICULTIES[self.difficulty]

    def to_dict(self) -> dict[str, Any]:
        """The question in the bank's YAML schema (plus ``topic``), for JSON export."""
        out: dict[str, Any] = {"id": self.id, "topic": self.topic, "type": self.type,
                               "difficulty": self.difficulty, "section": self.section, "stem": self.stem}
        if self.type in ("single", "multiple"):
            out["options"] = dict(self.options)
        if self.type in ("single", "judge"):
            out["answer"] = self.answer
        elif self.type == "multiple":
            out["answer"] = list(self.answer)  # type: ignore[arg-type]
        elif self.type == "calc":
            out.update(generator=self.generator, unit=self.unit, tolerance=self.tolerance,
                       params={k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()})
        elif self.type == "case":
            out.update(marking_guide=list(self.marking_guide), points=self.points)
        out["explanation"] = self.explanation
        return out

    def __repr__(self) -> str:
        return f"Question({self.id}, {self.type_label}, 难度 {self.difficulty_label}: {self.stem[:30]}…)"


@dataclass(frozen=True)
class Topic:
    """一个考点（章） one topic = one chapter of a book, with its questions."""

    id: str
    title: str
    book: str
    chapter: str
    file: str
    questions: tuple[Question, ...]

    @property
    def label(self) -> str:
        """显示名 e.g. ``lxg01 认识客户服务``."""
        return f"{self.id} {self.title}"


@dataclass(frozen=True)
class QuestionBank:
    """题库 the checked questions, by topic (in topic-id order) and by id."""

    topics: dict[str, Topic]
    questions: dict[str, Question]
    source: str = ""

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions.values())

    def __contains__(self, qid: object) -> bool:
        return qid in self.questions

    def __getitem__(self, qid: str) -> Question:
        try:
            return self.questions[qid]
        except KeyError:
            raise InputError(f"题库中没有这道题 unknown question id {qid!r}") from None

    def topic(self, topic_id: str) -> Topic:
        """The topic ``topic_id`` (InputError listing the topics if unknown)."""
        if topic_id not in self.topics:
            raise InputError(f"题库中没有这个考点 unknown topic {topic_id!r}；可用 available: {', '.join(self.topics)}")
        return self.topics[topic_id]

    def select(self, topics: Iterable[str] | None = None, types: Iterable[str] | None = None,
               difficulties: Iterable[int] | None = None) -> list[Question]:
        """The questions of ``topics`` (all if None) with one of ``types`` and ``difficulties``, in bank order."""
        tset = None if topics is None else set(_check_names(topics, self.topics, "考点", "topic"))
        kset = None if types is None else set(_check_names(types, QUESTION_TYPES, "题型", "type"))
        dset = None if difficulties is None else set(_check_names(difficulties, DIFFICULTIES, "难度", "difficulty"))
        return [q for q in self if (tset is None or q.topic in tset) and (kset is None or q.type in kset)
                and (dset is None or q.difficulty in dset)]

    def counts(self) -> pd.DataFrame:
        """题量 number of questions per topic × type × difficulty (long format: topic, type, difficulty, count)."""
        rows = pd.DataFrame([(q.topic, q.type, q.difficulty) for q in self], columns=["topic", "type", "difficulty"])
        return rows.value_counts().rename("count").reset_index().sort_values(
            ["topic", "type", "difficulty"], key=lambda s: s.map(_order_key)).reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """题库概况 one row per topic (title and book) with the number of questions of each type and in total."""
        rows = []
        for t in self.topics.values():
            row: dict[str, Any] = {"考点 topic": t.id, "章": f"{t.chapter} {t.title}", "教材": t.book}
            for key, label in QUESTION_TYPES.items():
                row[label] = sum(q.type == key for q in t.questions)
            row["合计"] = len(t.questions)
            rows.append(row)
        table = pd.DataFrame(rows)
        if len(table):
            total = {c: (table[c].sum() if c in (*QUESTION_TYPES.values(), "合计") else "") for c in table.columns}
            total["考点 topic"] = "合计"
            table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        return table

    def __repr__(self) -> str:
        return f"QuestionBank({len(self.topics)} 个考点 topics, {len(self)} 道题 questions)"


_TYPE_ORDER = {k: i for i, k in enumerate(QUESTION_TYPES)}


def _order_key(value: Any) -> Any:
    return _TYPE_ORDER.get(value, value) if isinstance(value, str) and value in _TYPE_ORDER else value


def _check_names(values: Iterable[Any], allowed: Mapping[Any, Any], zh: str, en: str) -> list[Any]:
    if isinstance(values, str | int):
        values = [values]
    out = list(values)
    bad = [v for v in out if v not in allowed]
    if bad:
        raise InputError(f"{zh} {en} 无法识别 (unknown) {bad}；可用 allowed: {', '.join(map(str, allowed))}")
    return out


# --- YAML with line numbers and no silent duplicate keys --------------------------------------------------------

class _LineDict(dict):
    line = 0


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in out
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, f"键不可用 unhashable key {key!r}",
                                                    key_node.start_mark) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(None, None, f"重复的键 duplicate key {key!r}",
                                                    key_node.start_mark)
        out[key] = loader.construct_object(value_node)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: 文件不是 UTF-8 编码 (not UTF-8)：{exc}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" 第 {mark.line + 1} 行 line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{path.name}{where}: YAML 格式错误 (invalid YAML)：{problem}") from None


# --- checking one question ------------------------------------------------------------------------------------------

def _text(q: Mapping[str, Any], key: str, zh: str) -> str:
    v = q.get(key)
    if not isinstance(v, str) or not v.strip():
        raise InputError(f"{zh} {key} 必须是非空文字 (non-empty text)，收到 {v!r}")
    return v.strip()


def _options(q: Mapping[str, Any]) -> dict[str, str]:
    opts = q.get("options")
    if not isinstance(opts, Mapping):
        raise InputError(f"选项 options 必须是映射 {{A: …, B: …}}，收到 {opts!r}")
    keys = list(opts)
    if not 2 <= len(keys) <= 6:
        raise InputError(f"选项 options 必须有 2 到 6 个，收到 {len(keys)} 个")
    if keys != list(OPTION_KEYS[: len(keys)]):
        raise InputError(f"选项 options 的键必须依次为 {', '.join(OPTION_KEYS[: len(keys)])}，收到 {keys}")
    out: dict[str, str] = {}
    for k in keys:
        v = opts[k]
        if isinstance(v, bool) or not isinstance(v, str | int | float) or not str(v).strip():
            raise InputError(f"选项 {k} 必须是非空文字，收到 {v!r}")
        out[k] = str(v).strip()
    texts = list(out.values())
    dup = sorted({t for t in texts if texts.count(t) > 1})
    if dup:
        raise InputError(f"选项 options 的内容重复 (duplicate option text)：{dup}")
    return out


def _answer(q: Mapping[str, Any], qtype: str, options: dict[str, str]) -> str | tuple[str, ...] | bool | None:
    has = "answer" in q
    a = q.get("answer")
    if qtype in ("calc", "case"):
        if has:
            how = "由生成器计算 (computed by the generator)" if qtype == "calc" else "由评分要点评判 (marking_guide)"
            raise InputError(f"{QUESTION_TYPES[qtype]}不要填写答案 answer：答案{how}")
        return None
    if not has:
        raise InputError("缺少答案 answer")
    if qtype == "judge":
        if not isinstance(a, bool):
            raise InputError(f"判断题的答案 answer 必须是 true 或 false，收到 {a!r}")
        return a
    if qtype == "single":
        if isinstance(a, list | tuple):
            raise InputError(f"单项选择题只能有一个答案 (exactly one key)，收到 {list(a)}")
        if not isinstance(a, str) or a not in options:
            raise InputError(f"答案 answer {a!r} 不在选项中 (not among the options {list(options)})")
        return a
    # multiple
    if not isinstance(a, list | tuple):
        raise InputError(f"多项选择题的答案 answer 必须是列表，如 [A, C]，收到 {a!r}")
    bad = [k for k in a if not isinstance(k, str) or k not in options]
    if bad:
        raise InputError(f"答案 answer 中的 {bad} 不在选项中 (not among the options {list(options)})")
    if len(set(a)) != len(a):
        raise InputError(f"答案 answer 中有重复的选项 (duplicate keys)：{list(a)}")
    if len(a) < 2:
        raise InputError(f"多项选择题的答案至少要有两个选项 (≥ 2 keys)，收到 {list(a)}")
    if len(a) == len(options):
        raise InputError(f"多项选择题的答案不能是全部选项 (all options)，收到 {list(a)}")
    return tuple(sorted(a))


def parse_question(raw: Any, topic: str, file: str = "") -> Question:
    """Check one question mapping (the YAML schema) of topic ``topic`` and return a :class:`Question`.

    Raises :class:`InputError` with a message about the first problem found (without file or id: the caller
    adds those).
    """
    if not isinstance(raw, Mapping):
        raise InputError(f"题目必须是映射 mapping (id: …, type: …)，收到 {raw!r:.60}")
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid.startswith(f"{topic}-") or len(qid) == len(topic) + 1:
        raise InputError(f"题号 id 必须以考点 topic 开头，形如 {topic}-001，收到 {qid!r}")
    qtype = raw.get("type")
    if not isinstance(qtype, str) or qtype not in QUESTION_TYPES:
        raise InputError(f"题型 type 无法识别 (unknown type) {qtype!r}；可用 allowed: {', '.join(QUESTION_TYPES)}")
    unknown = [k for k in raw if k not in (*_ALLOWED[qtype], "topic", "answer")]
    if unknown:
        raise InputError(f"{QUESTION_TYPES[qtype]} {qtype} 不认识的字段 unknown fields {unknown}；"
                         f"可用 allowed: {', '.join(_ALLOWED[qtype])}")
    if "topic" in raw and raw["topic"] != topic:
        raise InputError(f"题目的考点 topic {raw['topic']!r} 与文件的考点 {topic!r} 不一致")
    diff = raw.get("difficulty")
    if isinstance(diff, bool) or not isinstance(diff, int) or diff not in DIFFICULTIES:
        raise InputError(f"难度 difficulty 必须是 1、2 或 3（易、中、难），收到 {diff!r}")
    section = _text(raw, "section", "章节")
    stem = _text(raw, "stem", "题干")
    explanation = _text(raw, "explanation", "解析")
    options = _options(raw) if qtype in ("single", "multiple") else {}
    answer = _answer(raw, qtype, options)
    q = Question(id=qid, topic=topic, type=qtype, difficulty=int(diff), section=section, stem=stem,
                 explanation=explanation, options=options, answer=answer, file=file)
    if qtype == "calc":
        q = _calc_fields(raw, q)
    elif qtype == "case":
        q = _case_fields(raw, q)
    return q


def _calc_fields(raw: Mapping[str, Any], q: Question) -> Question:
    from dataclasses import replace

    generator = raw.get("generator")
    if not isinstance(generator, str) or generator not in GENERATORS:
        raise InputError(f"未知的生成器 unknown generator {generator!r}；"
                         f"可用 available: {', '.join(sorted(GENERATORS))}")
    params = parse_param_specs(generator, raw.get("params"))
    unit = raw.get("unit", "")
    if not isinstance(unit, str):
        raise InputError(f"单位 unit 必须是文字，收到 {unit!r}")
    if GENERATORS[generator].share and unit.strip() not in ("", "%"):
        raise InputError(f"生成器 {generator} 的结果是比例，单位 unit 只能是 '%' 或空（小数），收到 {unit!r}")
    tol = raw.get("tolerance", 0.01)
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not 0 < tol < 1:
        raise InputError(f"容差 tolerance（相对误差）必须在 0 和 1 之间，收到 {tol!r}")
    q = replace(q, generator=generator, params=params, unit=unit.strip(), tolerance=float(tol))
    unknown = stem_fields(q.stem) - set(params)
    if unknown:
        raise InputError(f"题干 stem 中的占位符 {sorted(unknown)} 不是生成器 {generator} 的参数 {list(params)}")
    for corner in corner_params(q):
        render_stem(q, corner)
        try:
            GENERATORS[generator](**corner)
        except InputError as exc:
            raise InputError(f"参数范围 params 的端点 {corner} 不被计算器接受 (not accepted)：{exc}") from None
    return q


def _case_fields(raw: Mapping[str, Any], q: Question) -> Question:
    from dataclasses import replace

    guide = raw.get("marking_guide")
    if not isinstance(guide, list) or not guide:
        raise InputError(f"评分要点 marking_guide 必须是非空列表，收到 {guide!r}")
    for i, item in enumerate(guide, start=1):
        if not isinstance(item, str) or not item.strip():
            raise InputError(f"评分要点 marking_guide 第 {i} 条必须是非空文字，收到 {item!r}")
    points = raw.get("points")
    if isinstance(points, bool) or not isinstance(points, int | float) or not points > 0:
        raise InputError(f"分值 points 必须是大于 0 的数字，收到 {points!r}")
    return replace(q, marking_guide=tuple(s.strip() for s in guide), points=float(points))


# --- checking a file and the bank ----------------------------------------------------------------------------------

def _where(file: str, raw: Any) -> str:
    line = getattr(raw, "line", 0)
    return f"{file} 第 {line} 行 line {line}" if line else file


def _check_file(path: Path, seen: dict[str, str], stems: dict[str, str],
                problems: list[str]) -> Topic | None:
    name = path.name
    try:
        data = _read_yaml(path)
    except InputError as exc:
        problems.append(str(exc))
        return None
    if not isinstance(data, Mapping):
        problems.append(f"{name}: 文件必须是映射 mapping (topic, title, book, chapter, questions)")
        return None
    file_problems = []
    unknown = [k for k in data if k not in _TOPIC_KEYS]
    if unknown:
        file_problems.append(f"不认识的字段 unknown fields {unknown}；可用 allowed: {', '.join(_TOPIC_KEYS)}")
    topic = data.get("topic")
    if not isinstance(topic, str) or not _TOPIC_ID.fullmatch(topic):
        file_problems.append(f"考点 topic 必须是小写字母开头的标识，如 lxg01，收到 {topic!r}")
    elif topic != path.stem:
        file_problems.append(f"考点 topic {topic!r} 必须与文件名 {path.stem!r} 相同")
    for key, zh in (("title", "标题"), ("book", "教材"), ("chapter", "章")):
        v = data.get(key)
        if not isinstance(v, str) or not v.strip():
            file_problems.append(f"{zh} {key} 必须是非空文字，收到 {v!r}")
    raws = data.get("questions")
    if not isinstance(raws, list) or not raws:
        file_problems.append("题目 questions 必须是非空列表 (non-empty list)")
    problems.extend(f"{name}: {p}" for p in file_problems)
    if file_problems:
        return None
    questions = []
    for i, raw in enumerate(raws, start=1):
        qid = raw.get("id") if isinstance(raw, Mapping) else None
        label = f"题目 question {qid}" if isinstance(qid, str) else f"第 {i} 题 (question #{i})"
        try:
            q = parse_question(raw, topic, name)
        except InputError as exc:
            problems.append(f"{_where(name, raw)}: {label}: {exc}")
            continue
        if q.id in seen:
            problems.append(f"{_where(name, raw)}: 题目 question {q.id}: 题号 id 重复 (duplicate id)，"
                            f"已出现在 {seen[q.id]}")
            continue
        key = re.sub(r"\s+", "", q.stem)
        if q.type != "calc" and key in stems:
            problems.append(f"{_where(name, raw)}: 题目 question {q.id}: 题干 stem 与 {stems[key]} 完全相同 "
                            f"(duplicate stem)")
            continue
        seen[q.id] = name
        stems.setdefault(key, q.id)
        questions.append(q)
    return Topic(topic, data["title"].strip(), data["book"].strip(), data["chapter"].strip(), name, tuple(questions))


def _files(path: str | Path | Sequence[str | Path] | None) -> tuple[list[Path], str]:
    if path is None:
        path = BANK_DIR
    if isinstance(path, str | Path):
        p = Path(path)
        if p.is_dir():
            files = sorted(p.glob("*.yml")) + sorted(p.glob("*.yaml"))
            if not files:
                raise InputError(f"题库目录 bank folder 中没有 .yml 文件 (no question files)：{p}")
            return sorted(files, key=lambda f: f.name), str(p)
        if p.is_file():
            return [p], str(p)
        raise InputError(f"题库 question bank 不存在 (not found)：{p}")
    files = [Path(f) for f in path]
    missing = [str(f) for f in files if not f.is_file()]
    if missing or not files:
        raise InputError(f"题库文件 bank files 不存在 (not found)：{missing or '（空列表 empty list）'}")
    return files, ", ".join(f.name for f in files)


def _build(path: str | Path | Sequence[str | Path] | None) -> tuple[QuestionBank | None, list[str]]:
    files, source = _files(path)
    problems: list[str] = []
    seen: dict[str, str] = {}
    stems: dict[str, str] = {}
    topics: dict[str, Topic] = {}
    for f in files:
        t = _check_file(f, seen, stems, problems)
        if t is None:
            continue
        if t.id in topics:
            problems.append(f"{f.name}: 考点 topic {t.id} 重复 (duplicate topic)，已出现在 {topics[t.id].file}")
            continue
        topics[t.id] = t
    if problems:
        return None, problems
    ordered = dict(sorted(topics.items()))
    questions = {q.id: q for t in ordered.values() for q in t.questions}
    return QuestionBank(ordered, questions, source), []


def validate_bank(path: str | Path | Sequence[str | Path] | None = None) -> list[str]:
    """题库检查 every problem in the bank at ``path`` (a folder, one file or a list of files; default: the
    packaged bank), one message per problem naming file, line and question id; an empty list if it is clean."""
    return _build(path)[1]


def load_bank(path: str | Path | Sequence[str | Path] | None = None) -> QuestionBank:
    """加载题库 load and check the question bank at ``path`` (default: the packaged ``bank/`` folder).

    Raises :class:`InputError` listing every malformed question (file, line, question id and what is wrong).
    """
    bank, problems = _build(path)
    if problems:
        shown = problems[:40]
        more = f"\n  …另有 {len(problems) - 40} 处 (and {len(problems) - 40} more)" if len(problems) > 40 else ""
        raise InputError(f"题库 question bank 有 {len(problems)} 处错误 (problems):\n  " + "\n  ".join(shown) + more)
    assert bank is not None
    return bank


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m crmlab.certification.bank [PATH]``: check a bank and print a summary or the problems."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        problems = validate_bank(args[0] if args else None)
    except InputError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 2
    if problems:
        print(f"题库有 {len(problems)} 处错误 (problems):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    bank = load_bank(args[0] if args else None)
    print(f"题库检查通过 bank OK：{len(bank.topics)} 个考点，{len(bank)} 道题")
    print(bank.summary().to_string(index=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
