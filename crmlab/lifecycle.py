"""客户生命周期 customer lifecycle: states (客户的状态), lifecycle stages (生命周期阶段) and migration.

Three tools, all driven by a customers table and a transactions table:

* :func:`classify_states` puts every customer in exactly one state at an as-of date, by rules
  (:class:`StateRules`) that a teacher can change. Two presets: :data:`BOOK_STATES` (the
  states of 图1-1: 潜在/目标/初次购买/重复购买/忠诚/流失/非客户) and :data:`GREEN_FOOD_APP`
  (the green-food app scenario: 潜在/新/老/VIP/流失 over a 90-day window).
* :func:`classify_stages` places each buying customer in 考察期/形成期/稳定期/退化期 from the
  trajectory of their spend (:class:`StageRules`).
* :func:`state_flows`, :func:`transition_matrix`, :func:`project_distribution` and
  :func:`expected_periods_until` describe how customers move between states.

Tables: ``customers`` has ``customer_id`` and ``registered`` (date) and optionally ``target``
(bool, 目标客户) and ``non_customer`` (bool, 非客户: hostile or out of reach); ``transactions``
has ``customer_id``, ``date`` and ``amount`` (元, ≥ 0). Dates are compared by calendar day.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from .errors import InputError, require_finite, require_int, require_nonnegative

__all__ = [
    "BOOK_STATES",
    "DEFAULT_STAGES",
    "GREEN_FOOD_APP",
    "STAGES",
    "STAGE_TASKS",
    "STATE_KEYS",
    "StageRules",
    "StateRules",
    "classify_stages",
    "classify_states",
    "expected_periods_until",
    "project_distribution",
    "shift_transition",
    "state_counts",
    "state_flows",
    "state_snapshots",
    "transition_matrix",
]

#: Canonical state keys, in the order of 图1-1 (left to right).
STATE_KEYS: tuple[str, ...] = ("potential", "target", "first", "repeat", "loyal", "lost", "non")
NEW_REGISTRATION = "新注册"


@dataclass(frozen=True)
class StateRules:
    """客户状态规则 rules that put a customer in one state at an as-of date.

    Decision order (the first rule that applies wins):

    1. 非客户 ``non`` — the customer is flagged ``non_customer`` (only if ``use_non_customer``);
    2. never bought by the as-of date → 目标客户 ``target`` if flagged ``target`` (and
       ``use_target``), else 潜在客户 ``potential``;
    3. no purchase in the last ``window_days`` days → 流失客户 ``lost``;
    4. 忠诚 ``loyal`` — at least ``loyal_min_purchases`` purchases, or spend strictly above
       ``loyal_min_amount`` 元, in the window (a criterion set to ``None`` is not used);
    5. at least ``repeat_min`` purchases → 重复购买 ``repeat``; otherwise 初次购买 ``first``.

    For rule 5, purchases are counted over the whole history up to the as-of date
    (``count_scope="lifetime"``, the default) or only in the window (``"window"``).
    ``labels`` gives the Chinese name shown for each key.
    """

    name: str
    window_days: int = 180
    repeat_min: int = 2
    loyal_min_purchases: int | None = 4
    loyal_min_amount: float | None = None
    count_scope: Literal["window", "lifetime"] = "lifetime"
    use_target: bool = True
    use_non_customer: bool = True
    labels: Mapping[str, str] = field(default_factory=lambda: {
        "potential": "潜在客户", "target": "目标客户", "first": "初次购买客户", "repeat": "重复购买客户",
        "loyal": "忠诚客户", "lost": "流失客户", "non": "非客户",
    })

    def __post_init__(self) -> None:
        require_int(self.window_days, "观察窗口天数", "window_days", minimum=1)
        require_int(self.repeat_min, "重复购买最少次数", "repeat_min", minimum=2)
        if self.loyal_min_purchases is not None:
            require_int(
                self.loyal_min_purchases, "忠诚客户最少购买次数", "loyal_min_purchases", minimum=self.repeat_min
            )
        if self.loyal_min_amount is not None:
            require_nonnegative(self.loyal_min_amount, "忠诚客户最低消费额", "loyal_min_amount")
        if self.count_scope not in ("window", "lifetime"):
            raise InputError(f"计数范围 count_scope 只能是 'window' 或 'lifetime'，收到 {self.count_scope!r}")
        missing = [k for k in self.states() if k not in self.labels]
        if missing:
            raise InputError(f"状态名称 labels 缺少 missing keys {missing}")

    def states(self) -> list[str]:
        """The state keys these rules can produce, in diagram order."""
        keys = list(STATE_KEYS)
        if not self.use_target:
            keys.remove("target")
        if not self.use_non_customer:
            keys.remove("non")
        if self.loyal_min_purchases is None and self.loyal_min_amount is None:
            keys.remove("loyal")
        return keys

    def state_labels(self) -> list[str]:
        """The Chinese labels of :meth:`states`, in the same order."""
        return [self.labels[k] for k in self.states()]

    def key_of(self, label: str) -> str:
        """The state key of a Chinese label (inverse of ``labels``)."""
        for k, v in self.labels.items():
            if v == label:
                return k
        raise InputError(f"未知的客户状态 unknown state label，收到 {label!r}")


#: 苏朝晖 图1-1 客户的状态与流转. The book gives no numbers; the window (180 days) and the
#: loyalty threshold (4 purchases in the window) are this workbook's defaults — change them.
#: Purchases count over the whole history: 初次购买 is a first, trial purchase, and a lost
#: customer who is won back returns as 重复购买 or 忠诚, as the book describes.
BOOK_STATES = StateRules(name="苏朝晖 图1-1 客户的状态")

#: 梁燕冰 模块一: a green-food app looks at the last 90 days. 老客户 bought at least twice, 新客户
#: once, VIP 客户 spent more than 500 元, 流失客户 bought nothing in the 90 days, 潜在客户
#: registered but never bought. The book lists the five types without an order of precedence;
#: here VIP is checked before 老/新 (a VIP who bought twice is shown as VIP) and 流失 applies only
#: to customers who bought before the window.
GREEN_FOOD_APP = StateRules(
    name="梁燕冰 绿色食品 App（90 天）",
    window_days=90,
    repeat_min=2,
    loyal_min_purchases=None,
    loyal_min_amount=500.0,
    count_scope="window",
    use_target=False,
    use_non_customer=False,
    labels={"potential": "潜在客户", "first": "新客户", "repeat": "老客户", "loyal": "VIP客户", "lost": "流失客户"},
)


# --- input checks -------------------------------------------------------------------------------

def _as_day(value: object, zh: str, en: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise InputError(f"{zh} {en} 不是有效日期 (invalid date)，收到 {value!r}") from None
    if pd.isna(ts):
        raise InputError(f"{zh} {en} 不是有效日期 (invalid date)，收到 {value!r}")
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()


def _require_columns(df: object, needed: Sequence[str], zh: str, en: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{zh} {en} 必须是 pandas DataFrame，收到 {type(df).__name__}")
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise InputError(f"{zh} {en} 缺少列 missing columns {missing}，现有列 columns: {list(df.columns)}")
    return df


def _date_column(df: pd.DataFrame, col: str, zh: str, table: str) -> pd.Series:
    parsed = pd.to_datetime(df[col], errors="coerce")
    bad = parsed.isna() & df[col].notna() | df[col].isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{table} 第 {i + 1} 行的{zh} {col} 不是有效日期 (invalid date)，收到 {df[col].iloc[i]!r}")
    return parsed.dt.normalize()


def _prepare(
    customers: pd.DataFrame, transactions: pd.DataFrame, as_of: pd.Timestamp, truncate: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    _require_columns(customers, ["customer_id", "registered"], "客户表", "customers")
    _require_columns(transactions, ["customer_id", "date", "amount"], "交易表", "transactions")
    cust = customers.copy()
    cust["registered"] = _date_column(cust, "registered", "注册日期", "客户表 customers")
    if cust["customer_id"].isna().any():
        i = int(np.flatnonzero(cust["customer_id"].isna().to_numpy())[0])
        raise InputError(f"客户表 customers 第 {i + 1} 行缺少客户编号 customer_id")
    dup = cust["customer_id"][cust["customer_id"].duplicated()]
    if len(dup):
        raise InputError(f"客户表 customers 中客户编号 customer_id 重复 (duplicate)，收到 {dup.iloc[0]!r}")
    tx = transactions.copy()
    tx["date"] = _date_column(tx, "date", "交易日期", "交易表 transactions")
    amount = pd.to_numeric(tx["amount"], errors="coerce")
    bad = amount.isna() | (amount < 0) | ~np.isfinite(amount.fillna(0))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"交易表 transactions 第 {i + 1} 行的金额 amount 必须是 ≥ 0 的数字，收到 {tx['amount'].iloc[i]!r}"
        )
    tx["amount"] = amount.astype(float)
    unknown = ~tx["customer_id"].isin(cust["customer_id"])
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            f"交易表 transactions 第 {i + 1} 行的客户编号 customer_id 不在客户表中 (unknown customer)，"
            f"收到 {tx['customer_id'].iloc[i]!r}"
        )
    if truncate:
        cust = cust[cust["registered"] <= as_of]
        tx = tx[tx["date"] <= as_of]
    else:
        late = cust["registered"] > as_of
        if late.any():
            i = int(np.flatnonzero(late.to_numpy())[0])
            raise InputError(
                f"客户 {cust['customer_id'].iloc[i]!r} 的注册日期 registered {cust['registered'].iloc[i].date()} "
                f"晚于截止日期 as_of {as_of.date()}"
            )
        late = tx["date"] > as_of
        if late.any():
            i = int(np.flatnonzero(late.to_numpy())[0])
            raise InputError(
                f"交易表 transactions 第 {i + 1} 行的交易日期 date {tx['date'].iloc[i].date()} "
                f"晚于截止日期 as_of {as_of.date()}（如需按日期截取，请用 truncate=True）"
            )
    reg = tx.merge(cust[["customer_id", "registered"]], on="customer_id", how="left")
    early = reg["date"] < reg["registered"]
    if early.any():
        i = int(np.flatnonzero(early.to_numpy())[0])
        raise InputError(
            f"客户 {reg['customer_id'].iloc[i]!r} 的交易日期 date {reg['date'].iloc[i].date()} "
            f"早于注册日期 registered {reg['registered'].iloc[i].date()}"
        )
    return cust, tx


def _flag(cust: pd.DataFrame, col: str) -> pd.Series:
    if col not in cust.columns:
        return pd.Series(False, index=cust.index)
    return cust[col].fillna(False).astype(bool)


# --- customer states ----------------------------------------------------------------------------

def classify_states(
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    as_of: object,
    rules: StateRules = BOOK_STATES,
    *,
    truncate: bool = False,
) -> pd.DataFrame:
    """客户状态分类: one state per customer at ``as_of`` (a date), by ``rules``.

    Returns a table indexed by ``customer_id`` with ``state`` (Chinese label), ``state_key``,
    ``purchases_window`` and ``amount_window`` (元) in the last ``rules.window_days`` days,
    ``purchases_total`` and ``last_purchase``. Transactions or registrations after ``as_of``
    raise :class:`InputError`, unless ``truncate=True`` (then they are ignored and customers who
    register later are left out — use this to take snapshots of one history at several dates).
    """
    if not isinstance(rules, StateRules):
        raise InputError(f"规则 rules 必须是 StateRules，收到 {type(rules).__name__}")
    day = _as_day(as_of, "截止日期", "as_of")
    cust, tx = _prepare(customers, transactions, day, truncate)
    start = day - pd.Timedelta(days=rules.window_days)
    in_window = tx[tx["date"] > start]
    total = tx.groupby("customer_id")["amount"].agg(["size"]).rename(columns={"size": "purchases_total"})
    win = in_window.groupby("customer_id")["amount"].agg(["size", "sum"])
    win.columns = ["purchases_window", "amount_window"]
    last = tx.groupby("customer_id")["date"].max().rename("last_purchase")
    out = cust.set_index("customer_id")[[]].join(total).join(win).join(last)
    out[["purchases_total", "purchases_window"]] = out[["purchases_total", "purchases_window"]].fillna(0).astype(int)
    out["amount_window"] = out["amount_window"].fillna(0.0)

    count = out["purchases_window"] if rules.count_scope == "window" else out["purchases_total"]
    target = _flag(cust, "target").to_numpy() & rules.use_target
    non = _flag(cust, "non_customer").to_numpy() & rules.use_non_customer
    loyal = np.zeros(len(out), dtype=bool)
    if rules.loyal_min_purchases is not None:
        loyal |= (out["purchases_window"] >= rules.loyal_min_purchases).to_numpy()
    if rules.loyal_min_amount is not None:
        loyal |= (out["amount_window"] > rules.loyal_min_amount).to_numpy()
    never = (out["purchases_total"] == 0).to_numpy()
    lost = (out["purchases_window"] == 0).to_numpy()
    key = np.select(
        [non, never & target, never, lost, loyal, (count >= rules.repeat_min).to_numpy()],
        ["non", "target", "potential", "lost", "loyal", "repeat"],
        default="first",
    )
    out.insert(0, "state_key", key)
    out.insert(0, "state", [rules.labels[k] for k in key])
    return out


def state_counts(states: pd.DataFrame, rules: StateRules = BOOK_STATES) -> pd.Series:
    """各状态人数 number of customers in each state, in diagram order (zeros included)."""
    return states["state"].value_counts().reindex(rules.state_labels(), fill_value=0).rename("人数")


def state_flows(
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    start: object,
    end: object,
    rules: StateRules = BOOK_STATES,
) -> pd.DataFrame:
    """客户状态流转 counts of customers moving from their state at ``start`` to their state at ``end``.

    Rows: state at ``start`` (plus 新注册 for customers who registered after ``start``);
    columns: state at ``end``. Transactions after ``end`` are ignored.
    """
    t0, t1 = _as_day(start, "起始日期", "start"), _as_day(end, "结束日期", "end")
    if t1 <= t0:
        raise InputError(f"结束日期 end 必须晚于起始日期 start，收到 start={t0.date()}, end={t1.date()}")
    s0 = classify_states(customers, transactions, t0, rules, truncate=True)["state"]
    s1 = classify_states(customers, transactions, t1, rules, truncate=True)["state"]
    before = s0.reindex(s1.index).fillna(NEW_REGISTRATION)
    table = pd.crosstab(before, s1)
    rows = [NEW_REGISTRATION, *rules.state_labels()]
    table = table.reindex(index=rows, columns=rules.state_labels(), fill_value=0)
    if table.loc[NEW_REGISTRATION].sum() == 0:
        table = table.drop(index=NEW_REGISTRATION)
    table.index.name, table.columns.name = f"{t0.date()} 的状态", f"{t1.date()} 的状态"
    return table


def state_snapshots(
    customers: pd.DataFrame, transactions: pd.DataFrame, dates: Sequence[object], rules: StateRules = BOOK_STATES
) -> list[pd.Series]:
    """状态快照 the state of every registered customer at each of ``dates`` (in time order).

    One Series per date (index customer_id, value state label), ready for :func:`transition_matrix`.
    Customers appear from the first date after they register.
    """
    days = [_as_day(d, "快照日期", "dates") for d in dates]
    if len(days) < 1 or any(b <= a for a, b in itertools.pairwise(days)):
        raise InputError(f"快照日期 dates 必须按时间递增 (strictly increasing)，收到 {[str(d.date()) for d in days]}")
    return [
        classify_states(customers, transactions, d, rules, truncate=True)["state"].rename(str(d.date()))
        for d in days
    ]


# --- lifecycle stages ---------------------------------------------------------------------------

STAGES: tuple[str, ...] = ("考察期", "形成期", "稳定期", "退化期")

#: The management task of each stage (陈明亮's four stages as 苏朝晖 1.2.6 presents them), in our words.
STAGE_TASKS: dict[str, str] = {
    "考察期": "识别：弄清对方是否值得成为目标客户，降低其尝试的风险，促成第一笔交易。",
    "形成期": "发展：建立客户档案、保持沟通、兑现承诺以赢得信任，满足并超越期望，抵御竞争者的争夺。",
    "稳定期": "保持：加深合作与信息共享，让客户感到留下来的附加价值，提高转移成本，培养主动与被动忠诚。",
    "退化期": "诊断：倾听客户、查明购买下降的原因；值得挽回的制定恢复计划并兑现，不值得的则有序终止关系。",
}


@dataclass(frozen=True)
class StageRules:
    """生命周期阶段规则 rules for 考察期/形成期/稳定期/退化期, from the trajectory of spend.

    With ``period_days`` = P, compare spend in the last P days (``recent``) with spend in the P
    days before (``previous``); ``change = recent / previous − 1``. In order:

    1. 考察期 — the first purchase is less than ``exploration_days`` old;
    2. 退化期 — ``change ≤ −decline_drop`` (spend fell by that fraction or more, including to 0);
    3. 形成期 — ``change ≥ growth_rise``, or the first purchase is less than ``formation_days`` old;
    4. 稳定期 — otherwise (an established customer with steady spend).

    Customers who never bought have no stage (they are prospects, not yet in the lifecycle).
    """

    period_days: int = 90
    exploration_days: int = 90
    formation_days: int = 365
    decline_drop: float = 0.30
    growth_rise: float = 0.20

    def __post_init__(self) -> None:
        require_int(self.period_days, "比较期天数", "period_days", minimum=1)
        require_int(self.exploration_days, "考察期天数", "exploration_days", minimum=0)
        require_int(self.formation_days, "形成期天数", "formation_days", minimum=self.exploration_days)
        drop = require_nonnegative(self.decline_drop, "下降阈值", "decline_drop")
        if not 0 < drop <= 1:
            raise InputError(f"下降阈值 decline_drop 必须在 (0, 1] 之间，收到 {self.decline_drop!r}")
        require_nonnegative(self.growth_rise, "增长阈值", "growth_rise")


DEFAULT_STAGES = StageRules()


def classify_stages(
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    as_of: object,
    rules: StageRules = DEFAULT_STAGES,
    *,
    truncate: bool = False,
) -> pd.DataFrame:
    """生命周期阶段 the lifecycle stage of every customer who has bought, at ``as_of``.

    Returns ``stage``, ``task`` (the stage's management task), ``tenure_days`` (days since the
    first purchase), ``recent`` and ``previous`` spend (元) and ``change`` (fraction; NaN when
    ``previous`` is 0 — then only tenure and ``recent`` decide).
    """
    if not isinstance(rules, StageRules):
        raise InputError(f"规则 rules 必须是 StageRules，收到 {type(rules).__name__}")
    day = _as_day(as_of, "截止日期", "as_of")
    _cust, tx = _prepare(customers, transactions, day, truncate)
    if tx.empty:
        return pd.DataFrame(columns=["stage", "task", "tenure_days", "recent", "previous", "change"])
    p = pd.Timedelta(days=rules.period_days)
    first = tx.groupby("customer_id")["date"].min()
    recent = tx[tx["date"] > day - p].groupby("customer_id")["amount"].sum()
    prev = tx[(tx["date"] > day - 2 * p) & (tx["date"] <= day - p)].groupby("customer_id")["amount"].sum()
    out = pd.DataFrame({"tenure_days": (day - first).dt.days})
    out["recent"] = recent.reindex(out.index, fill_value=0.0)
    out["previous"] = prev.reindex(out.index, fill_value=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(out["previous"] > 0, out["recent"] / out["previous"] - 1.0, np.nan)
    out["change"] = change
    tenure = out["tenure_days"].to_numpy()
    declined = np.where(np.isnan(change), out["recent"].to_numpy() == 0, change <= -rules.decline_drop)
    grew = np.where(np.isnan(change), out["recent"].to_numpy() > 0, change >= rules.growth_rise)
    stage = np.select(
        [tenure < rules.exploration_days, declined, grew | (tenure < rules.formation_days)],
        ["考察期", "退化期", "形成期"],
        default="稳定期",
    )
    out.insert(0, "stage", stage)
    out.insert(1, "task", [STAGE_TASKS[s] for s in stage])
    out.index.name = "customer_id"
    return out


# --- migration (Markov chain) -------------------------------------------------------------------

def transition_matrix(
    snapshots: Sequence[pd.Series], states: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """估计转移矩阵 estimate the state-to-state transition matrix from consecutive snapshots.

    ``snapshots`` is a list of Series (index customer_id, value state), one per period, in time
    order. Every customer present in two consecutive snapshots contributes one move. Returns
    ``(P, counts)``: ``P[i][j]`` = share of customers in state i who were in state j one period
    later (rows with no customers get 1 on the diagonal, i.e. stay put), and the raw counts.
    """
    if not isinstance(snapshots, Sequence) or len(snapshots) < 2:
        n = len(snapshots) if isinstance(snapshots, Sequence) else snapshots
        raise InputError(f"快照 snapshots 至少需要两期 (at least 2 periods)，收到 {n!r}")
    for i, s in enumerate(snapshots):
        if not isinstance(s, pd.Series):
            raise InputError(f"第 {i + 1} 期快照 snapshot 必须是 pandas Series，收到 {type(s).__name__}")
    labels = list(states) if states is not None else sorted(set().union(*(set(s.dropna()) for s in snapshots)))
    counts = pd.DataFrame(0, index=labels, columns=labels, dtype=int)
    for a, b in itertools.pairwise(snapshots):
        both = pd.concat([a.rename("from"), b.rename("to")], axis=1, join="inner").dropna()
        unknown = set(both["from"]).union(both["to"]) - set(labels)
        if unknown:
            raise InputError(f"快照中出现未列出的状态 unknown states {sorted(unknown)}；已列出 states: {labels}")
        counts = counts.add(pd.crosstab(both["from"], both["to"]).reindex(index=labels, columns=labels, fill_value=0),
                            fill_value=0).astype(int)
    rows = counts.sum(axis=1)
    P = counts.div(rows.replace(0, np.nan), axis=0)
    for s in labels:
        if rows[s] == 0:
            P.loc[s] = 0.0
            P.loc[s, s] = 1.0
    P.index.name, P.columns.name = "本期状态 from", "下期状态 to"
    return P.astype(float), counts


def _check_P(P: object) -> pd.DataFrame:
    from .value import _check_transition_matrix

    if isinstance(P, pd.DataFrame):
        if list(P.index) != list(P.columns):
            raise InputError("转移矩阵 transition matrix 的行与列必须是同样顺序的状态 (same state order)")
        _check_transition_matrix(P.to_numpy())
        return P.astype(float)
    M = _check_transition_matrix(P)
    return pd.DataFrame(M, index=range(len(M)), columns=range(len(M)))


def shift_transition(P: pd.DataFrame, state: str, to: str, amount: float) -> pd.DataFrame:
    """调整转移概率 a copy of ``P`` in which customers in ``state`` move to ``to`` with probability ``amount`` more,
    taken from the probability of staying in ``state`` — e.g. a win-back campaign that brings 2 % more lost
    customers back each period: ``shift_transition(P, "流失客户", "重复购买客户", 0.02)``.

    ``amount`` may be negative (a move made less likely, returned to staying). The result must remain a
    probability: InputError if it would take a probability below 0 or above 1.
    """
    M = _check_P(P)
    for name, label in ((state, "state"), (to, "to")):
        if name not in M.index:
            raise InputError(
                f"状态 {label} 不在转移矩阵中 (unknown state)，收到 {name!r}；可用 states: {list(M.index)}"
            )
    if state == to:
        raise InputError(f"起止状态 state 与 to 不能相同，收到 {state!r}")
    delta = require_finite(amount, "调整量", "amount")
    out = M.copy()
    out.loc[state, to] += delta
    out.loc[state, state] -= delta
    row = out.loc[state]
    if (row < -1e-12).any() or (row > 1 + 1e-12).any():
        raise InputError(
            f"调整量 amount = {amount!r} 太大：{state} → {to} 的概率会变成 {row[to]:.4f}、"
            f"留存概率变成 {row[state]:.4f}，必须都在 0 和 1 之间"
        )
    return out


def project_distribution(P: object, initial: Mapping[str, float] | Sequence[float], periods: int) -> pd.DataFrame:
    """状态分布预测 distribution over states after 0 … ``periods`` periods: ``x_{t+1} = x_t P``.

    ``initial`` gives counts or shares per state (a dict keyed by the state labels of ``P``, or
    a list in ``P``'s order); the rows keep its scale (counts stay counts).
    """
    M = _check_P(P)
    n = require_int(periods, "期数", "periods", minimum=0)
    if isinstance(initial, Mapping):
        unknown = set(initial) - set(M.index)
        if unknown:
            raise InputError(f"初始分布 initial 中有未知状态 unknown states {sorted(map(str, unknown))}")
        x = np.array([float(initial.get(s, 0.0)) for s in M.index])
    else:
        x = np.asarray(initial, dtype=float).reshape(-1)
        if x.shape[0] != M.shape[0]:
            raise InputError(f"初始分布 initial 的长度必须等于状态数 {M.shape[0]}，收到 {x.shape[0]}")
    if not np.all(np.isfinite(x)) or (x < 0).any():
        raise InputError(f"初始分布 initial 必须是 ≥ 0 的数字，收到 {x.tolist()}")
    rows = [x]
    for _ in range(n):
        rows.append(rows[-1] @ M.to_numpy())
    out = pd.DataFrame(rows, columns=M.columns)
    out.index.name = "期 period"
    return out


def expected_periods_until(P: object, targets: Sequence[object]) -> pd.Series:
    """预期到达期数 expected number of periods until a customer first reaches one of ``targets``
    (e.g. 流失客户), from each other state. Solves ``(I − Q) m = 1`` with ``Q`` the transitions
    among the non-target states. States from which the targets cannot be reached get ``inf``.
    """
    M = _check_P(P)
    targets = list(targets)
    unknown = [t for t in targets if t not in M.index]
    if not targets or unknown:
        raise InputError(f"目标状态 targets 必须是转移矩阵中的状态，收到 {targets!r}")
    others = [s for s in M.index if s not in targets]
    Q = M.loc[others, others].to_numpy()
    # states that can never reach a target: no path in the graph
    reach = M.loc[others, targets].sum(axis=1).to_numpy() > 0
    adj = Q > 0
    changed = True
    while changed:
        new = reach | (adj & reach[None, :]).any(axis=1)
        changed = bool((new != reach).any())
        reach = new
    m = np.full(len(others), np.inf)
    if reach.any():
        idx = np.flatnonzero(reach)
        A = np.eye(len(idx)) - Q[np.ix_(idx, idx)]
        m[idx] = np.linalg.solve(A, np.ones(len(idx)))
    return pd.Series(m, index=others, name="预期期数 expected periods")
