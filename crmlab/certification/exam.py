"""模拟考试 mock exams: a blueprint says how many questions of each kind; a seed picks them.

Blueprint (YAML)::

    title: 客户服务职业资格模拟考试
    time_limit_minutes: 60
    pass_percent: 60                  # optional, default 60
    instructions: 考生须知 …           # optional
    points: {single: 1, multiple: 2, judge: 1, calc: 5, case: 10}   # marks per question of each type
    counts:                           # topic → type → count (any difficulty) or {difficulty: count}
      lxg01: {single: {1: 2, 2: 1}, judge: 2}
      szh01: {calc: {2: 1}}

:func:`assemble_exam` honours every cell exactly and is deterministic for a seed; when the bank is short it
raises one :class:`~crmlab.errors.InputError` naming each short cell (topic, type, difficulty, wanted,
available). :func:`write_exam` writes the paper, the answer key (both HTML, printable) and ``exam_seed<N>.json``
for :func:`crmlab.widgets.certification.exam_widget`; ``crmlab exam`` (:func:`exam_main`) does both.

The JSON holds the answer key (the widget marks with it): hand students the HTML paper for a proctored
exam and keep the key and the JSON for yourself.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ..errors import InputError, require_int
from ..fileio import atomic_write_bytes, atomic_write_text
from .answers import Feedback, format_number, mark, normalize_response
from .bank import DIFFICULTIES, QUESTION_TYPES, Question, QuestionBank, load_bank, parse_question
from .generators import draw_params, expected_answer, render_stem

__all__ = [
    "EXAMPLE_BLUEPRINT",
    "Blueprint",
    "BlueprintCell",
    "Exam",
    "ExamFiles",
    "ExamItem",
    "ExamResult",
    "add_exam_arguments",
    "assemble_exam",
    "cmd_exam",
    "exam_main",
    "find_pdf_converter",
    "load_blueprint",
    "load_exam",
    "parse_blueprint",
    "write_exam",
]

#: The example blueprint shipped with the package (package data ``certification/blueprints/*.yml``).
EXAMPLE_BLUEPRINT = Path(__file__).resolve().parent / "blueprints" / "example.yml"
EXAM_FORMAT = "crmlab-exam/1"
_BLUEPRINT_KEYS = ("title", "time_limit_minutes", "pass_percent", "instructions", "points", "counts")
DEFAULT_INSTRUCTIONS = (
    "1. 请先在答题卡上写清姓名和准考证号。\n"
    "2. 单项选择题只有一个正确选项；多项选择题有两个或以上正确选项，多选、少选、错选均不得分。\n"
    "3. 判断题正确的打“√”，错误的打“×”。\n"
    "4. 计算题写出计算过程，结果按题中要求的单位填写，允许题中注明的相对误差。\n"
    "5. 案例分析题按评分要点给分，请分条作答。"
)


# --- blueprint -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BlueprintCell:
    """蓝图的一格 ``count`` questions of ``type`` from ``topic`` at ``difficulty`` (None = any difficulty)."""

    topic: str
    type: str
    difficulty: int | None
    count: int

    @property
    def label(self) -> str:
        d = "任意 any" if self.difficulty is None else f"{self.difficulty}（{DIFFICULTIES[self.difficulty]}）"
        return f"考点 topic={self.topic}, 题型 type={self.type}（{QUESTION_TYPES[self.type]}）, 难度 difficulty={d}"


@dataclass(frozen=True)
class Blueprint:
    """试卷蓝图 what a paper must contain: cells, marks per type, time limit (minutes) and pass mark (%)."""

    title: str
    time_limit_minutes: float
    points: dict[str, float]
    cells: tuple[BlueprintCell, ...]
    pass_percent: float = 60.0
    instructions: str = DEFAULT_INSTRUCTIONS
    source: str = ""

    @property
    def total_questions(self) -> int:
        """题量 number of questions on the paper."""
        return sum(c.count for c in self.cells)

    @property
    def total_points(self) -> float:
        """满分 total marks."""
        return float(sum(c.count * self.points[c.type] for c in self.cells))

    def table(self) -> pd.DataFrame:
        """蓝图表 questions per topic (rows) and type (columns), with totals."""
        frame = pd.DataFrame([(c.topic, QUESTION_TYPES[c.type], c.count) for c in self.cells],
                             columns=["考点 topic", "type", "count"])
        cols = [QUESTION_TYPES[t] for t in QUESTION_TYPES if any(c.type == t for c in self.cells)]
        table = frame.pivot_table(index="考点 topic", columns="type", values="count", aggfunc="sum",
                                  fill_value=0).reindex(columns=cols, fill_value=0)
        table.columns.name = None
        table["合计"] = table.sum(axis=1)
        table.loc["合计"] = table.sum(axis=0)
        return table.astype(int)


def _number(value: object, zh: str, en: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InputError(f"{where}: {zh} {en} 必须是大于 0 的数字，收到 {value!r}")
    return float(value)


def _count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{where}: 题数 count 必须是 ≥ 0 的整数，收到 {value!r}")
    return value


def parse_blueprint(data: object, source: str = "blueprint") -> Blueprint:
    """Check a blueprint mapping (the YAML schema above) and return a :class:`Blueprint`.
    Raises :class:`InputError` naming ``source`` and the offending entry."""
    if not isinstance(data, Mapping):
        raise InputError(f"{source}: 试卷蓝图 blueprint 必须是映射 mapping (title, time_limit_minutes, points, counts)")
    unknown = [k for k in data if k not in _BLUEPRINT_KEYS]
    if unknown:
        raise InputError(f"{source}: 不认识的字段 unknown fields {unknown}；可用 allowed: {', '.join(_BLUEPRINT_KEYS)}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"{source}: 标题 title 必须是非空文字，收到 {title!r}")
    minutes = _number(data.get("time_limit_minutes"), "考试时间", "time_limit_minutes", source)
    pass_percent = data.get("pass_percent", 60)
    if isinstance(pass_percent, bool) or not isinstance(pass_percent, int | float) or not 0 < pass_percent <= 100:
        raise InputError(f"{source}: 及格线 pass_percent 必须在 0 和 100 之间，收到 {pass_percent!r}")
    instructions = data.get("instructions", DEFAULT_INSTRUCTIONS)
    if not isinstance(instructions, str):
        raise InputError(f"{source}: 考生须知 instructions 必须是文字，收到 {instructions!r}")
    points_raw = data.get("points")
    if not isinstance(points_raw, Mapping):
        raise InputError(f"{source}: 分值 points 必须是映射，如 {{single: 1, multiple: 2}}，收到 {points_raw!r}")
    bad_types = [t for t in points_raw if t not in QUESTION_TYPES]
    if bad_types:
        raise InputError(f"{source}: 分值 points 中的题型 {bad_types} 无法识别；可用: {', '.join(QUESTION_TYPES)}")
    points = {t: _number(v, "分值", f"points.{t}", source) for t, v in points_raw.items()}
    counts = data.get("counts")
    if not isinstance(counts, Mapping) or not counts:
        raise InputError(f"{source}: 题量 counts 必须是非空映射 topic → type → count")
    cells: list[BlueprintCell] = []
    for topic, by_type in counts.items():
        where = f"{source}: counts.{topic}"
        if not isinstance(topic, str) or not isinstance(by_type, Mapping) or not by_type:
            raise InputError(f"{where} 必须是映射 type → count，收到 {by_type!r}")
        for qtype, spec in by_type.items():
            w = f"{where}.{qtype}"
            if qtype not in QUESTION_TYPES:
                raise InputError(f"{w}: 题型 type 无法识别 {qtype!r}；可用: {', '.join(QUESTION_TYPES)}")
            if qtype not in points:
                raise InputError(f"{w}: 分值 points 中没有题型 {qtype}（{QUESTION_TYPES[qtype]}）的分值")
            if isinstance(spec, Mapping):
                for diff, n in spec.items():
                    if isinstance(diff, bool) or diff not in DIFFICULTIES:
                        raise InputError(f"{w}: 难度 difficulty 必须是 1、2 或 3，收到 {diff!r}")
                    cells.append(BlueprintCell(topic, qtype, int(diff), _count(n, f"{w}.{diff}")))
            else:
                cells.append(BlueprintCell(topic, qtype, None, _count(spec, w)))
    cells = [c for c in cells if c.count > 0]
    if not cells:
        raise InputError(f"{source}: 蓝图 blueprint 一道题也没有要求 (all counts are 0)")
    return Blueprint(title.strip(), minutes, points, tuple(cells), float(pass_percent), instructions.strip(), source)


def load_blueprint(path: str | Path) -> Blueprint:
    """读取试卷蓝图 load and check a blueprint YAML file."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"试卷蓝图 blueprint 文件不存在 (not found)：{p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{p.name}: YAML 格式错误 (invalid YAML)：{exc}") from None
    return parse_blueprint(data, p.name)


# --- the exam -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExamItem:
    """试卷上的一道题 number on the paper, marks, filled-in stem, drawn numbers and (calc) expected answer."""

    number: int
    question: Question
    points: float
    stem: str
    params: dict[str, float | int] = field(default_factory=dict)

    @property
    def expected(self) -> float | None:
        """计算题标准答案 the calculator's answer in the question's unit (None for other types)."""
        return expected_answer(self.question, self.params) if self.question.type == "calc" else None


@dataclass(frozen=True)
class Exam:
    """试卷 an assembled paper: items in paper order (grouped by type), with its blueprint settings."""

    title: str
    seed: int
    time_limit_minutes: float
    pass_percent: float
    instructions: str
    items: tuple[ExamItem, ...]
    topics: dict[str, str]
    blueprint: Blueprint | None = None

    @property
    def total_points(self) -> float:
        """满分 total marks."""
        return float(sum(i.points for i in self.items))

    def sections(self) -> list[tuple[str, list[ExamItem]]]:
        """大题 the items grouped by type, in paper order: [(type, items), …]."""
        return [(t, [i for i in self.items if i.question.type == t]) for t in QUESTION_TYPES
                if any(i.question.type == t for i in self.items)]

    def item(self, key: int | str) -> ExamItem:
        """The item with paper number ``key`` (1-based) or question id ``key``."""
        for it in self.items:
            if it.number == key or it.question.id == key:
                return it
        raise InputError(f"试卷中没有这道题 (no such item)：{key!r}")

    def table(self) -> pd.DataFrame:
        """试卷一览 one row per item: number, id, topic, type, difficulty, points."""
        return pd.DataFrame([{"题号": i.number, "question_id": i.question.id, "topic": i.question.topic,
                              "题型": i.question.type_label, "难度": i.question.difficulty_label,
                              "分值": i.points} for i in self.items])

    def score(self, responses: Mapping[int | str, object],
              self_scores: Mapping[int | str, float] | None = None, *, unreadable: str = "error") -> ExamResult:
        """评分 mark a candidate's ``responses`` (keyed by paper number or question id; missing = blank).

        ``self_scores`` gives the marks of case items (self- or trainer-assessed); without them a case item is
        pending and scores 0. A response that cannot be read (e.g. text in a calc answer) raises
        :class:`InputError` with ``unreadable="error"`` and counts as blank with ``"blank"``.
        """
        if unreadable not in ("error", "blank"):
            raise InputError(f"unreadable 只能是 'error' 或 'blank'，收到 {unreadable!r}")
        resp = {self.item(k).number: v for k, v in responses.items()}
        selfs = {self.item(k).number: v for k, v in (self_scores or {}).items()}
        marked = []
        for it in self.items:
            r = resp.get(it.number)
            if unreadable == "blank":
                try:
                    normalize_response(it.question, r)
                except InputError:
                    r = None
            fb = mark(it.question, r, params=it.params or None, points=it.points,
                      self_score=selfs.get(it.number) if it.question.type == "case" else None)
            marked.append(fb)
        return ExamResult(self, tuple(marked), {n: resp.get(n) for n in resp})

    def to_dict(self) -> dict[str, Any]:
        """The exam as plain JSON data (format ``crmlab-exam/1``), answer key included."""
        return {
            "format": EXAM_FORMAT, "title": self.title, "seed": self.seed,
            "time_limit_minutes": self.time_limit_minutes, "pass_percent": self.pass_percent,
            "instructions": self.instructions, "topics": dict(self.topics),
            "items": [{"number": i.number, "points": i.points, "stem": i.stem, "params": dict(i.params),
                       "expected": i.expected, "question": i.question.to_dict()} for i in self.items],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Exam:
        """Rebuild an exam from :meth:`to_dict` data, checking every question again."""
        if not isinstance(data, Mapping) or data.get("format") != EXAM_FORMAT:
            raise InputError(f"不是 crmlab 试卷 JSON (expected format {EXAM_FORMAT!r})")
        try:
            items = []
            for raw in data["items"]:
                qd = raw["question"]
                q = parse_question(qd, qd.get("topic", ""), "exam.json")
                params = dict(raw.get("params") or {})
                stem = render_stem(q, params) if q.type == "calc" else q.stem
                items.append(ExamItem(int(raw["number"]), q, float(raw["points"]), stem, params))
            return cls(str(data["title"]), int(data["seed"]), float(data["time_limit_minutes"]),
                       float(data.get("pass_percent", 60)), str(data.get("instructions", "")), tuple(items),
                       dict(data.get("topics", {})))
        except InputError as exc:
            raise InputError(f"试卷 JSON 有误 (invalid exam JSON)：{exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"试卷 JSON 缺少或有错误的字段 (invalid exam JSON)：{exc!r}") from None

    def __repr__(self) -> str:
        return (f"Exam({self.title}: {len(self.items)} 题，满分 {format_number(self.total_points)} 分，"
                f"{format_number(self.time_limit_minutes)} 分钟，seed={self.seed})")


@dataclass(frozen=True)
class ExamResult:
    """成绩 one candidate's marked paper: feedback per item, totals, and scores per topic and per type."""

    exam: Exam
    feedback: tuple[Feedback, ...]
    responses: dict[int, object]

    @property
    def score(self) -> float:
        """总分 marks earned."""
        return float(sum(fb.score for fb in self.feedback))

    @property
    def percent(self) -> float:
        """得分率 score / total marks × 100."""
        return 100.0 * self.score / self.exam.total_points

    @property
    def passed(self) -> bool:
        """是否及格 percent ≥ the blueprint's pass mark."""
        return self.percent >= self.exam.pass_percent - 1e-9

    @property
    def pending(self) -> int:
        """待评分的案例题数 case items without marks yet."""
        return sum(fb.pending for fb in self.feedback)

    def _frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"topic": it.question.topic, "type": it.question.type, "score": fb.score,
                              "points": fb.max_score} for it, fb in zip(self.exam.items, self.feedback, strict=True)])

    def by_topic(self) -> pd.DataFrame:
        """分考点得分 per topic: title, marks available, marks earned, rate (0–1); weakest first."""
        f = self._frame().groupby("topic", sort=True)[["points", "score"]].sum()
        f.insert(0, "title", [self.exam.topics.get(t, t) for t in f.index])
        f["rate"] = f["score"] / f["points"]
        return f.sort_values(["rate", "points"], ascending=[True, False], kind="stable")

    def by_type(self) -> pd.DataFrame:
        """分题型得分 per type (paper order): marks available, earned, rate."""
        f = self._frame().groupby("type")[["points", "score"]].sum()
        f = f.reindex([t for t in QUESTION_TYPES if t in f.index])
        f.index = [QUESTION_TYPES[t] for t in f.index]
        f["rate"] = f["score"] / f["points"]
        return f

    def to_responses(self, candidate_id: str) -> pd.DataFrame:
        """This paper as rows of the responses CSV that :mod:`crmlab.certification.analytics` reads."""
        return pd.DataFrame([{"candidate_id": candidate_id, "question_id": it.question.id,
                              "topic": it.question.topic, "response": fb.received, "score": fb.score,
                              "max_score": fb.max_score}
                             for it, fb in zip(self.exam.items, self.feedback, strict=True)])

    def __repr__(self) -> str:
        extra = f"，{self.pending} 道案例题待评分" if self.pending else ""
        return (f"ExamResult(得分 {format_number(self.score)} / {format_number(self.exam.total_points)}"
                f"（{self.percent:.1f}%），{'及格' if self.passed else '未及格'}{extra})")


def _cell_order(cell: BlueprintCell) -> tuple[int, str, int, int]:
    return (cell.difficulty is None, cell.topic, list(QUESTION_TYPES).index(cell.type), cell.difficulty or 0)


def assemble_exam(bank: QuestionBank, blueprint: Blueprint | str | Path, seed: int) -> Exam:
    """组卷 pick the questions a blueprint asks for; the same bank, blueprint and seed give the same paper.

    Cells with a difficulty are filled first, then the any-difficulty cells from what is left of the same topic
    and type. Questions are drawn at random without repeats; the paper lists them by type (single, multiple,
    judge, calc, case), then topic and difficulty. Calc questions get their numbers drawn here.
    Raises :class:`InputError` listing every cell the bank cannot fill (topic, type, difficulty, wanted, available).
    """
    if not isinstance(bank, QuestionBank):
        raise InputError(f"题库 bank 必须是 load_bank() 的结果，收到 {type(bank).__name__}")
    bp = blueprint if isinstance(blueprint, Blueprint) else load_blueprint(blueprint)
    s = require_int(seed, "随机种子", "seed", minimum=0)
    unknown = sorted({c.topic for c in bp.cells if c.topic not in bank.topics})
    if unknown:
        raise InputError(f"{bp.source}: 蓝图中的考点 {unknown} 不在题库中 (unknown topics)；"
                         f"题库考点 available: {', '.join(bank.topics)}")
    rng = np.random.default_rng(s)
    used: set[str] = set()
    picked: list[tuple[BlueprintCell, int, Question]] = []
    short: list[str] = []
    for cell in sorted(bp.cells, key=_cell_order):
        diffs = None if cell.difficulty is None else [cell.difficulty]
        pool = sorted((q for q in bank.select([cell.topic], [cell.type], diffs) if q.id not in used),
                      key=lambda q: q.id)
        if cell.count > len(pool):
            note = "（已除去按难度指定的格子选走的题）" if cell.difficulty is None else ""
            short.append(f"{cell.label}: 需要 wanted {cell.count} 题，题库只有 available {len(pool)} 题{note}")
            continue
        for k, i in enumerate(rng.choice(len(pool), size=cell.count, replace=False)):
            q = pool[int(i)]
            used.add(q.id)
            picked.append((cell, k, q))
    if short:
        raise InputError(f"{bp.source}: 题库不够组卷 (the bank is short) — 请减少这些格子的题数或补充题目：\n  "
                         + "\n  ".join(short))
    type_rank = {t: i for i, t in enumerate(QUESTION_TYPES)}
    picked.sort(key=lambda x: (type_rank[x[2].type], x[2].topic, x[2].difficulty, x[0].difficulty is None, x[1]))
    items = []
    for n, (_cell, _k, q) in enumerate(picked, start=1):
        params = draw_params(q, rng) if q.type == "calc" else {}
        items.append(ExamItem(n, q, bp.points[q.type], render_stem(q, params), params))
    topics = {t: bank.topics[t].title for t in sorted({q.topic for *_, q in picked})}
    return Exam(bp.title, s, bp.time_limit_minutes, bp.pass_percent, bp.instructions, tuple(items), topics, bp)


def load_exam(path: str | Path) -> Exam:
    """读取试卷 JSON written by :func:`write_exam`."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"试卷 JSON 文件不存在 (not found)：{p}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{p.name}: 不是有效的 JSON (invalid JSON)：{exc}") from None
    return Exam.from_dict(data)


# --- writing ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExamFiles:
    """写出的文件 paths of the paper, the answer key, the JSON and (optionally) the PDF paper."""

    paper: Path
    answer_key: Path
    json: Path
    pdf: Path | None = None


def find_pdf_converter() -> str | None:
    """A headless Chromium/Chrome that can print HTML to PDF, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _html_to_pdf(html_path: Path, pdf_path: Path, overwrite: bool) -> Path:
    exe = find_pdf_converter()
    if exe is None:
        raise InputError("找不到 PDF 转换器 (no HTML-to-PDF converter: chromium)："
                         "请在浏览器中打开 HTML 试卷并打印为 PDF")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "paper.pdf"
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
               f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", html_path.resolve().as_uri()]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        except (subprocess.SubprocessError, OSError) as exc:
            raise InputError(f"PDF 转换失败 (PDF conversion failed)：{exc}") from None
        if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
            raise InputError("PDF 转换失败 (PDF conversion failed)：转换器没有生成 PDF")
        return atomic_write_bytes(pdf_path, out.read_bytes(), overwrite=overwrite)


def write_exam(exam: Exam, out_dir: str | Path, *, force: bool = False, pdf: bool = False) -> ExamFiles:
    """写出试卷 write ``paper_seed<N>.html`` (the paper), ``answer_key_seed<N>.html`` (key and marking guide)
    and ``exam_seed<N>.json`` (for the exam widget) into ``out_dir``, each atomically.

    Refuses (InputError) when any of them exists, unless ``force``; in that case nothing is written. ``pdf``
    also prints the paper to ``paper_seed<N>.pdf`` with a headless Chromium when one is installed.
    """
    from .paper import answer_key_html, paper_html

    out = Path(out_dir)
    files = ExamFiles(out / f"paper_seed{exam.seed}.html", out / f"answer_key_seed{exam.seed}.html",
                      out / f"exam_seed{exam.seed}.json", out / f"paper_seed{exam.seed}.pdf" if pdf else None)
    targets = [p for p in (files.paper, files.answer_key, files.json, files.pdf) if p is not None]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise InputError(f"文件已存在 file exists，不会覆盖 (use --force to overwrite)：{', '.join(existing)}")
    if out.exists() and not out.is_dir():
        raise InputError(f"输出位置 out 不是文件夹 (not a folder)：{out}")
    atomic_write_text(files.paper, paper_html(exam), overwrite=force)
    atomic_write_text(files.answer_key, answer_key_html(exam), overwrite=force)
    atomic_write_text(files.json, json.dumps(exam.to_dict(), ensure_ascii=False, indent=1), overwrite=force)
    if files.pdf is not None:
        _html_to_pdf(files.paper, files.pdf, overwrite=force)
    return files


# --- command line ----------------------------------------------------------------------------------------------------

def add_exam_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``crmlab exam`` (for wiring the sub-command into ``crmlab``'s parser)."""
    parser.add_argument("--blueprint", required=True,
                        help="试卷蓝图 YAML (例如 crmlab/certification/blueprints/example.yml)")
    parser.add_argument("--seed", required=True, type=int, help="随机种子：同一个种子得到同一份试卷")
    parser.add_argument("--out", required=True, help="输出文件夹 output folder")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的文件 overwrite existing files")
    parser.add_argument("--bank", default=None, help="题库文件夹 (default: the packaged bank)")
    parser.add_argument("--pdf", action="store_true", help="同时用无头 Chromium 打印 PDF 试卷 (needs chromium)")
    return parser


def cmd_exam(args: argparse.Namespace) -> int:
    """Run ``crmlab exam`` with parsed ``args``; prints what was written. Raises InputError on bad input."""
    bank = load_bank(args.bank)
    exam = assemble_exam(bank, load_blueprint(args.blueprint), args.seed)
    files = write_exam(exam, args.out, force=args.force, pdf=args.pdf)
    print(f"试卷 paper: {exam.title}，{len(exam.items)} 题，满分 {format_number(exam.total_points)} 分，"
          f"{format_number(exam.time_limit_minutes)} 分钟（seed {exam.seed}）")
    for label, path in (("试卷 paper", files.paper), ("答案 answer key", files.answer_key),
                        ("考试部件 exam JSON", files.json), ("PDF", files.pdf)):
        if path is not None:
            print(f"  {label}: {path}")
    return 0


def exam_main(argv: Sequence[str] | None = None) -> int:
    """``crmlab exam --blueprint blueprint.yml --seed N --out DIR [--force] [--bank DIR] [--pdf]``.

    Returns 0 on success, 2 after printing a one-line error for bad input (as ``crmlab`` does)."""
    parser = add_exam_arguments(argparse.ArgumentParser(
        prog="crmlab exam", description="按试卷蓝图组卷 assemble a mock exam: paper, answer key and exam JSON"))
    args = parser.parse_args(argv)
    try:
        return cmd_exam(args)
    except InputError as exc:
        print(f"crmlab: 错误 error: {exc}", file=sys.stderr)
        return 2
