"""计算题生成器 calculation-question generators: fresh numbers for every attempt, answers from crmlab.

A calculation question (``type: calc``) in the bank names a generator and gives each of its parameters
either a fixed number or a grid ``[low, high, step]``. Every attempt draws new values on the grid
(:func:`draw_params`), fills them into the stem (:func:`render_stem`) and checks the student's number
against the crmlab calculator (:func:`check_calc`) with a relative tolerance.

:data:`GENERATORS` maps a name to a :class:`Generator`: the calculator and the names of its parameters.
Adding a calculator is one line, e.g. once ``crmlab.service`` exists::

    register_generator("erlang_c", erlang_c, "traffic agents", "等待概率 probability a caller waits", share=True)

A ``share`` generator returns a fraction (0–1); a question that states ``unit: "%"`` shows and expects
it in per cent.
"""

from __future__ import annotations

import inspect
import itertools
import math
import re
import string
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from .. import churn as churn_mod
from .. import loyalty, satisfaction, segmentation, service, value
from ..errors import InputError

__all__ = [
    "GENERATORS",
    "CalcCheck",
    "Generator",
    "ParamSpec",
    "check_calc",
    "compute_answer",
    "draw_params",
    "expected_answer",
    "parse_number",
    "parse_param_specs",
    "register_generator",
    "render_stem",
    "stem_fields",
]

#: A parameter is either fixed (a number) or drawn from the grid (low, high, step).
ParamSpec = float | int | tuple[float, float, float]


@dataclass(frozen=True)
class Generator:
    """计算题生成器 one calculator behind calculation questions.

    ``func`` takes the parameters by keyword (names in ``params``) and returns the answer as a number;
    ``share`` says that the answer is a fraction (0–1) that a question may show in per cent.
    """

    name: str
    func: Callable[..., float]
    params: tuple[str, ...]
    description: str = ""
    share: bool = False

    def __call__(self, **params: float) -> float:
        """The answer for these parameter values (raises :class:`InputError` when they are not accepted)."""
        missing = [p for p in self.params if p not in params]
        extra = [p for p in params if p not in self.params]
        if missing or extra:
            raise InputError(
                f"生成器 generator {self.name} 的参数 params 应为 {list(self.params)}，"
                f"缺少 missing {missing}，多出 unknown {extra}"
            )
        try:
            result = float(self.func(**params))
        except InputError:
            raise
        except (ArithmeticError, ValueError) as exc:
            raise InputError(f"生成器 generator {self.name} 无法计算 (cannot compute) {params}：{exc}") from None
        if not math.isfinite(result):
            raise InputError(f"生成器 generator {self.name} 对参数 {params} 的结果不是有限数 (not finite)：{result}")
        return result


GENERATORS: dict[str, Generator] = {}


def register_generator(
    name: str, func: Callable[..., float], params: str | tuple[str, ...] | list[str] | None = None,
    description: str = "", *, share: bool = False,
) -> Generator:
    """登记生成器 add ``func`` to :data:`GENERATORS` under ``name`` and return the :class:`Generator`.

    ``params`` is a space-separated string or a sequence of names; by default the names of ``func``'s
    parameters that have no default value. Registering a name again replaces the old generator.
    """
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise InputError(f"生成器名称 generator name 只能含小写字母、数字和下划线，收到 {name!r}")
    if params is None:
        names = tuple(p.name for p in inspect.signature(func).parameters.values()
                      if p.default is inspect.Parameter.empty
                      and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    elif isinstance(params, str):
        names = tuple(params.split())
    else:
        names = tuple(params)
    if not names or len(set(names)) != len(names):
        raise InputError(f"生成器 generator {name} 的参数名 params 不能为空或重复，收到 {names}")
    gen = Generator(name, func, names, description, share)
    GENERATORS[name] = gen
    return gen


# --- adapters: calculators whose inputs are lists or dicts get one scalar parameter per entry ---------------------

def _five(v1: float, v2: float, v3: float, v4: float, v5: float) -> list[float]:
    return [v1, v2, v3, v4, v5]


def gini_of_five(v1: float, v2: float, v3: float, v4: float, v5: float) -> float:
    """基尼系数 Gini coefficient of five customers' values v1…v5 (元, ≥ 0), via :func:`crmlab.segmentation.gini`."""
    return segmentation.gini(_five(v1, v2, v3, v4, v5))


def top_share_of_five(v1: float, v2: float, v3: float, v4: float, v5: float, share: float) -> float:
    """前若干客户的价值占比 share of the total value (0–1) from the top ``share`` of five customers (0.2 = the
    single largest), via :func:`crmlab.segmentation.top_share`."""
    return segmentation.top_share(_five(v1, v2, v3, v4, v5), share)


def delivered_value_amount(product: float, service: float, personnel: float, image: float,
                           money: float, time: float, energy: float, physical: float) -> float:
    """让渡价值 total customer value (产品/服务/人员/形象价值) − total customer cost (货币/时间/精神/体力成本),
    via :func:`crmlab.value.delivered_value`; all in the same unit."""
    result = value.delivered_value(
        {"product": product, "service": service, "personnel": personnel, "image": image},
        {"money": money, "time": time, "energy": energy, "physical": physical},
    )
    return result.delivered


def lifetime_from_churn(churn: float) -> float:
    """预期客户寿命 expected lifetime in periods when a share ``churn`` (0 < churn ≤ 1) of customers leaves each
    period: :func:`crmlab.value.expected_lifetime` at retention 1 − churn."""
    if isinstance(churn, bool) or not isinstance(churn, int | float) or not 0 < churn <= 1:
        raise InputError(f"流失率 churn 必须在 0 和 1 之间 (0, 1]，收到 {churn!r}")
    return value.expected_lifetime(1.0 - churn)


def winback_net(lost_customers: float, success_rate: float, value_if_regained: float,
                cost_per_contact: float) -> float:
    """挽回活动的净收益 expected net gain (元) of contacting every lost customer, via
    :func:`crmlab.churn.winback_economics`."""
    return churn_mod.winback_economics(lost_customers, success_rate, value_if_regained, cost_per_contact).net


def nps_of_counts(promoters: float, passives: float, detractors: float) -> float:
    """净推荐值 NPS (−100 … 100) of a survey with these numbers of promoters (9–10), passives (7–8) and
    detractors (0–6), via :func:`crmlab.satisfaction.nps_from_counts`."""
    return satisfaction.nps_from_counts(int(promoters), int(passives), int(detractors)).nps


register_generator("clv_closed_form", value.clv_closed_form, "margin retention discount",
                   "客户终生价值（无限期）CLV = margin × r / (1 + d − r)，元")
register_generator("clv_net", value.clv_closed_form, "margin retention discount acquisition_cost",
                   "扣除获取成本的客户终生价值，元")
register_generator("clv_finite_horizon", value.clv_finite_horizon, "margin retention discount periods",
                   "有限期客户终生价值，元")
register_generator("margin_multiple", value.margin_multiple, "retention discount",
                   "利润乘数 r / (1 + d − r)，倍")
register_generator("expected_lifetime", value.expected_lifetime, "retention",
                   "预期客户寿命 1 / (1 − r)，期")
register_generator("lifetime_from_churn", lifetime_from_churn, "churn",
                   "由流失率求预期客户寿命 1 / churn，期")
register_generator("delivered_value", delivered_value_amount, None,
                   "客户让渡价值 = 总客户价值 − 总客户成本")
register_generator("gini", gini_of_five, None, "五位客户价值的基尼系数（0–1）")
register_generator("top_share", top_share_of_five, None, "前若干客户的价值占比（0–1）", share=True)
register_generator("break_even_success_rate", churn_mod.break_even_success_rate, "value_if_regained cost_per_contact",
                   "挽回活动盈亏平衡的成功率 = 每人联系成本 / 挽回后价值（0–1）", share=True)
register_generator("winback_net", winback_net, None, "挽回活动的预期净收益，元")


# --- parameters -----------------------------------------------------------------------------------------------------

def _is_number(x: object) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)


def _decimals(x: float) -> int:
    return max(0, -int(Decimal(repr(float(x))).normalize().as_tuple().exponent))


def parse_param_specs(generator: str, params: object) -> dict[str, ParamSpec]:
    """Check a calc question's ``params`` against generator ``generator`` and return them normalised.

    Each generator parameter needs either a number (fixed) or ``[low, high, step]`` with low ≤ high, step > 0.
    Raises :class:`InputError` naming the parameter.
    """
    gen = GENERATORS.get(generator) if isinstance(generator, str) else None
    if gen is None:
        raise InputError(f"未知的生成器 unknown generator {generator!r}；"
                         f"可用 available: {', '.join(sorted(GENERATORS))}")
    if not isinstance(params, Mapping):
        raise InputError(f"参数 params 必须是映射 mapping (name: [low, high, step])，收到 {params!r}")
    missing = [p for p in gen.params if p not in params]
    extra = [p for p in params if p not in gen.params]
    if missing or extra:
        raise InputError(
            f"生成器 {generator} 的参数 params 必须正好是 {list(gen.params)}；"
            f"缺少 missing {missing}，多出 unknown {extra}"
        )
    out: dict[str, ParamSpec] = {}
    for name in gen.params:
        spec = params[name]
        if _is_number(spec):
            out[name] = spec
            continue
        if not (isinstance(spec, list | tuple) and len(spec) == 3 and all(_is_number(s) for s in spec)):
            raise InputError(f"参数 {name} 必须是数字或 [low, high, step] 三个数字，收到 {spec!r}")
        low, high, step = spec
        if low > high or step <= 0:
            raise InputError(f"参数 {name} 的 [low, high, step] 需要 low ≤ high 且 step > 0，收到 {list(spec)}")
        out[name] = (low, high, step)
    return out


def param_grid(spec: ParamSpec) -> list[float | int]:
    """All values a parameter can take: the fixed number, or low, low + step, … ≤ high (rounded to the
    decimals of low and step; whole numbers stay int when low, high and step are whole numbers)."""
    if not isinstance(spec, tuple):
        return [spec]
    low, high, step = spec
    n = math.floor((high - low) / step + 1e-9) + 1
    places = max(_decimals(low), _decimals(step))
    integral = all(isinstance(s, int) for s in spec)
    return [int(low + k * step) if integral else round(low + k * step, places) for k in range(n)]


def _rng(rng: object) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)  # type: ignore[arg-type]


def draw_params(question: Any, rng: object = None, *, attempts: int = 200) -> dict[str, float | int]:
    """抽取参数 draw one value per parameter of calc ``question`` on its grid, uniformly.

    ``rng`` is a :class:`numpy.random.Generator`, a seed or None. Draws again (up to ``attempts`` times) when
    the calculator rejects a combination; raises :class:`InputError` if none is accepted.
    """
    gen = _generator_of(question)
    g = _rng(rng)
    grids = {name: param_grid(spec) for name, spec in question.params.items()}
    last: Exception | None = None
    for _ in range(attempts):
        drawn = {name: grid[int(g.integers(len(grid)))] for name, grid in grids.items()}
        try:
            gen(**drawn)
        except InputError as exc:
            last = exc
            continue
        return drawn
    raise InputError(f"题目 {question.id}: 参数网格中找不到计算器接受的组合 (no accepted parameters)：{last}")


def corner_params(question: Any, limit: int = 256) -> list[dict[str, float | int]]:
    """The corners of the parameter grid (every mix of lowest and highest values), at most ``limit`` of them;
    used by the bank check to make sure the calculator accepts the whole range."""
    ends = {name: sorted({grid[0], grid[-1]}) for name, grid in
            ((n, param_grid(s)) for n, s in question.params.items())}
    names = list(ends)
    combos = itertools.islice(itertools.product(*(ends[n] for n in names)), limit)
    return [dict(zip(names, combo, strict=True)) for combo in combos]


def _generator_of(question: Any) -> Generator:
    gen = GENERATORS.get(getattr(question, "generator", None) or "")
    if gen is None:
        raise InputError(f"题目 {getattr(question, 'id', '?')}: 未知的生成器 unknown generator "
                         f"{getattr(question, 'generator', None)!r}")
    return gen


def stem_fields(stem: str) -> set[str]:
    """The ``{name}`` placeholders in a stem (format specs such as ``{retention:.0%}`` allowed)."""
    try:
        return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(stem) if f}
    except ValueError as exc:
        raise InputError(f"题干 stem 中的花括号不成对 (unbalanced braces)：{exc}") from None


def render_stem(question: Any, params: Mapping[str, float | int]) -> str:
    """题干 the stem of ``question`` with its ``{name}`` placeholders filled from ``params``."""
    if getattr(question, "type", None) != "calc":
        return question.stem
    try:
        return question.stem.format_map(dict(params))
    except (KeyError, ValueError, IndexError) as exc:
        raise InputError(f"题目 {question.id}: 题干 stem 无法填入参数 (cannot fill placeholders)：{exc!r}") from None


def compute_answer(question: Any, params: Mapping[str, float | int]) -> float:
    """The calculator's result for ``params`` (a fraction for share generators)."""
    return _generator_of(question)(**dict(params))


def expected_answer(question: Any, params: Mapping[str, float | int]) -> float:
    """标准答案 the expected number in the question's unit: a share generator's fraction × 100 when the
    question's ``unit`` is ``%``."""
    result = compute_answer(question, params)
    if _generator_of(question).share and getattr(question, "unit", "") == "%":
        result *= 100.0
    return result


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def parse_number(answer: object, unit: str = "") -> float:
    """Read a student's number: accepts ints/floats and text such as ``"1,234.5"``, ``"１２３"``,
    ``"12.5%"`` or ``"300 元"`` (the unit, thousands separators and spaces are ignored). A trailing % is
    only allowed when ``unit`` is ``%``."""
    if _is_number(answer):
        return float(answer)  # type: ignore[arg-type]
    if not isinstance(answer, str) or not answer.strip():
        raise InputError(f"答案 answer 必须是一个数字，收到 {answer!r}")
    text = unicodedata.normalize("NFKC", answer).strip().replace(",", "").replace(" ", "")
    if unit:
        text = text.removesuffix(unicodedata.normalize("NFKC", unit))
    if text.endswith("%") and unit != "%":
        raise InputError(f"答案 answer 的单位应为 {unit or '无单位（小数）'}，不要写 %，收到 {answer!r}")
    text = text.removesuffix("%")
    if not _NUMBER.fullmatch(text):
        raise InputError(f"答案 answer 必须是一个数字，收到 {answer!r}")
    return float(text)


@dataclass(frozen=True)
class CalcCheck:
    """计算题判分 the result of checking one number: ``correct``, ``expected``, ``received`` (question unit)."""

    correct: bool
    expected: float
    received: float
    tolerance: float

    def __bool__(self) -> bool:
        return self.correct


def check_calc(question: Any, params: Mapping[str, float | int], answer: object) -> CalcCheck:
    """计算题判分 check ``answer`` against the calculator at ``params``.

    Correct when ``|answer − expected| ≤ tolerance × |expected|`` (``question.tolerance``, relative; when the
    expected value is 0 the tolerance is used as an absolute one).
    """
    expected = expected_answer(question, params)
    received = parse_number(answer, getattr(question, "unit", "") or "")
    tol = float(getattr(question, "tolerance", 0.01))
    bound = tol * abs(expected) if expected != 0 else tol
    return CalcCheck(abs(received - expected) <= bound + 1e-12, expected, received, tol)
register_generator("traffic_intensity", service.traffic_intensity, "calls interval aht",
                   "话务量（Erlang）= 来电数 × 平均处理时长 / 时段长度")
register_generator("erlang_c", service.erlang_c, "traffic agents", "来电需要排队的概率（Erlang C，0–1）", share=True)
register_generator("service_level", service.service_level, "traffic agents target_time aht",
                   "服务水平：目标时间内接起的来电比例（0–1）", share=True)
register_generator("nps", nps_of_counts, None, "净推荐值 NPS = 推荐者% − 贬损者%（−100 … 100）")
register_generator("retention_rate", loyalty.retention_rate, "start_customers end_customers new_customers",
                   "客户保留率 = (期末客户数 − 新客户数) / 期初客户数（0–1）", share=True)
