"""客户信息的扩展数据 the rest of 鲜果园's customer information: profiles, contacts, campaigns and responses.

:mod:`crmlab.datasets` simulates who the customers are and what they bought. This module adds, for the
**same customer ids**, what a customer database also holds (苏朝晖 第 5 章 应掌握的客户信息, 收集客户信息的渠道;
第 2 章 数据库营销). Everything is 模拟数据 drawn from one seed, with these distributions:

个人客户信息 ``individual_profiles`` (one row per 个人客户):

* ``name_masked`` — a common surname (20, uniform) + ``**``: names are masked, as a database shown to
  students should be;
* ``gender`` — 女 58 %, 男 42 %; ``age_band`` — 18-24 / 25-34 / 35-44 / 45-54 / 55+ with 12/35/28/15/10 %;
* ``birth_month`` — uniform 1–12; ``household_size`` — 1…5 people with 20/30/30/15/5 %;
* ``preferred_category`` — 水果 45 %, 蔬菜 30 %, 有机食品 15 %, 礼盒 10 %;
* ``marketing_consent`` (agreed to receive marketing) — yes with probability 0.8.

企业客户信息 ``business_profiles`` (one row per 企业客户): ``industry`` uniform over 餐饮/零售/酒店/食堂/烘焙;
``size`` 小型/中型/大型 60/30/10 %; ``employees`` uniform 5–49 / 50–299 / 300–2000 by size; ``contact_role``
(the person we deal with) 采购经理 40 %, 店长 25 %, 老板 20 %, 行政主管 10 %, 厨师长 5 %; ``credit_rating``
A/B/C 50/35/15 %; ``company`` a placeholder name "<city>某<industry>企业 #k".

联系记录 ``contacts``: per customer Poisson(0.6 + 0.4 × the customer's number of purchases) contacts on days
uniform between registration and the end of the data. Direction 呼入 (customer calls us) 60 % / 呼出 40 %.
Channel: 个人客户 电话 30 %, 在线客服 45 %, 微信 25 %; 企业客户 电话 40 %, 微信 30 %, 上门拜访 30 %. Reason: 呼入 —
咨询 45 %, 投诉 20 %, 售后 35 %; 呼出 — 回访 60 %, 营销 40 %. Outcome given the reason: 咨询/投诉/售后 已解决 with
probability 0.9/0.7/0.85 else 未解决; 回访 已完成 0.75 else 未接通; 营销 有意向 25 %, 无意向 50 %, 未接通 25 %.

营销活动 ``campaigns``: the fixed list :data:`CAMPAIGNS`. 活动响应 ``campaign_responses``: for each campaign, the
eligible customers (registered before the start, not 非客户, and — for 个人客户 — ``marketing_consent``) are
contacted with probability 0.7; a contacted customer responds with the logistic probability of
:func:`response_probability` (coefficients :data:`RESPONSE_COEFFICIENTS`), from features measured the day
before the campaign (:func:`campaign_features`). A responder's order is Gamma(shape 6) around the
customer's mean spend per purchase so far (100 元 / 500 元 for 个人/企业客户 without purchases), rounded to
0.1 元. Campaign orders are kept in ``campaign_responses.order_amount`` and are *not* added to the
transactions table (which stays the committed ``datasets/green_food`` data).

:func:`simulate_transactions` makes transaction tables of any size (10^7 rows in seconds) for benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import GREEN_FOOD_DEFAULT, INDUSTRIES, SIZES, GreenFood, _check_table, load_green_food
from .errors import InputError, require_int
from .paths import dataset_path, datasets_dir
from .rfm import rfm_table

__all__ = [
    "AGE_BANDS",
    "CAMPAIGNS",
    "CONTACT_CHANNELS",
    "CONTACT_OUTCOMES",
    "CONTACT_REASONS",
    "CONTACT_ROLES",
    "CRM_DATA_DEFAULT",
    "CRM_FILES",
    "PREFERRED_CATEGORIES",
    "RESPONSE_COEFFICIENTS",
    "CrmData",
    "campaign_features",
    "generate_crm_data",
    "load_crm_data",
    "response_probability",
    "simulate_transactions",
    "write_crm_data",
]

CRM_DATA_DEFAULT = {"seed": 2025}
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
            "罗", "高")
GENDERS = ("女", "男")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55+")
PREFERRED_CATEGORIES = ("水果", "蔬菜", "有机食品", "礼盒")
CONTACT_ROLES = ("采购经理", "店长", "老板", "行政主管", "厨师长")
CREDIT_RATINGS = ("A", "B", "C")
CONTACT_CHANNELS = ("电话", "在线客服", "微信", "上门拜访")
CONTACT_DIRECTIONS = ("呼入", "呼出")
CONTACT_REASONS = ("咨询", "投诉", "售后", "回访", "营销")
CONTACT_OUTCOMES = ("已解决", "未解决", "已完成", "未接通", "有意向", "无意向")
CAMPAIGN_CHANNELS = ("短信", "App推送", "电话")

#: 营销活动 the campaigns of 2023–2024 (模拟数据): id, name, start date, channel, offer, cost per contact (元).
CAMPAIGNS = pd.DataFrame([
    ("K01", "春季尝鲜季", "2023-03-15", "短信", "满 99 减 15 元券", 0.05),
    ("K02", "年中囤货节", "2023-06-10", "App推送", "满 199 减 40 元券", 0.01),
    ("K03", "中秋礼盒预订", "2023-09-05", "电话", "礼盒 85 折", 1.50),
    ("K04", "会员日", "2024-03-15", "短信", "会员 9 折", 0.05),
    ("K05", "年中囤货节", "2024-06-10", "App推送", "满 199 减 40 元券", 0.01),
    ("K06", "秋季回馈", "2024-10-15", "电话", "老客户专享礼包", 1.50),
], columns=["campaign_id", "name", "start_date", "channel", "offer", "cost_per_contact"])

#: 响应模型的系数 the logistic response model (logit = intercept + Σ coefficient × feature), see
#: :func:`response_probability`; ``channel`` adds the effect of the campaign's channel.
RESPONSE_COEFFICIENTS: dict[str, float] = {
    "intercept": -2.0,
    "recency_months": -0.12,        # months since the last purchase, capped at 24 (0 if never bought)
    "log_frequency": 0.6,           # ln(1 + purchases in the last 365 days)
    "log_monetary": 0.3,            # ln(1 + spend in the last 365 days / 100 元)
    "never_bought": -1.0,           # 1 if no purchase before the campaign
    "business": 0.3,                # 1 for 企业客户
    "age_25_44": 0.2,               # 1 for 个人客户 aged 25–44
    "unresolved_complaint": -0.8,   # 1 if a complaint in the last 180 days is still 未解决
}
CHANNEL_EFFECTS: dict[str, float] = {"短信": 0.0, "App推送": -0.3, "电话": 0.6}
FEATURES = tuple(k for k in RESPONSE_COEFFICIENTS if k != "intercept")

#: The committed files, in ``datasets/crm_db/``.
CRM_FILES = ("individual_profiles.csv", "business_profiles.csv", "contacts.csv", "campaigns.csv",
             "campaign_responses.csv")


@dataclass(frozen=True)
class CrmData:
    """鲜果园的客户信息扩展表 profiles, contacts, campaigns and campaign responses (all 模拟数据)."""

    individual_profiles: pd.DataFrame
    business_profiles: pd.DataFrame
    contacts: pd.DataFrame
    campaigns: pd.DataFrame
    campaign_responses: pd.DataFrame

    def __repr__(self) -> str:
        return (f"CrmData({len(self.individual_profiles):,} 位个人客户, {len(self.business_profiles):,} 位企业客户, "
                f"{len(self.contacts):,} 条联系记录, {len(self.campaigns)} 次营销活动, "
                f"{len(self.campaign_responses):,} 条活动响应)")

    def tables(self) -> dict[str, pd.DataFrame]:
        """The five tables by file stem, in :data:`CRM_FILES` order."""
        return {"individual_profiles": self.individual_profiles, "business_profiles": self.business_profiles,
                "contacts": self.contacts, "campaigns": self.campaigns,
                "campaign_responses": self.campaign_responses}


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int, p: tuple[float, ...] | None = None
          ) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p)]


def _profiles(rng: np.random.Generator, customers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    ind = customers.loc[customers["segment"] == "个人客户", "customer_id"].to_numpy()
    n = ind.size
    individual = pd.DataFrame({
        "customer_id": ind,
        "name_masked": [s + "**" for s in _pick(rng, SURNAMES, n)],
        "gender": _pick(rng, GENDERS, n, (0.58, 0.42)),
        "age_band": _pick(rng, AGE_BANDS, n, (0.12, 0.35, 0.28, 0.15, 0.10)),
        "birth_month": rng.integers(1, 13, n),
        "household_size": rng.choice(np.arange(1, 6), size=n, p=[0.2, 0.3, 0.3, 0.15, 0.05]),
        "preferred_category": _pick(rng, PREFERRED_CATEGORIES, n, (0.45, 0.30, 0.15, 0.10)),
        "marketing_consent": rng.random(n) < 0.8,
    })
    biz = customers.loc[customers["segment"] == "企业客户", ["customer_id", "city"]]
    m = len(biz)
    industry = _pick(rng, INDUSTRIES, m)
    size = _pick(rng, SIZES, m, (0.6, 0.3, 0.1))
    low = np.select([size == "小型", size == "中型"], [5, 50], 300)
    high = np.select([size == "小型", size == "中型"], [49, 299], 2000)
    employees = low + np.floor(rng.random(m) * (high - low + 1)).astype(np.int64)
    business = pd.DataFrame({
        "customer_id": biz["customer_id"].to_numpy(),
        "company": [f"{c}某{i}企业 #{k}" for k, (c, i) in enumerate(zip(biz["city"], industry, strict=True), 1)],
        "industry": industry,
        "size": size,
        "employees": employees,
        "contact_role": _pick(rng, CONTACT_ROLES, m, (0.40, 0.25, 0.20, 0.10, 0.05)),
        "credit_rating": _pick(rng, CREDIT_RATINGS, m, (0.50, 0.35, 0.15)),
    })
    return individual, business


def _contacts(rng: np.random.Generator, customers: pd.DataFrame, transactions: pd.DataFrame,
              end: pd.Timestamp) -> pd.DataFrame:
    purchases = transactions.groupby("customer_id").size().reindex(customers["customer_id"], fill_value=0)
    counts = rng.poisson(0.6 + 0.4 * purchases.to_numpy())
    who = np.repeat(np.arange(len(customers)), counts)
    k = who.size
    reg = customers["registered"].to_numpy().astype("datetime64[D]").view("int64")[who]
    span = int(np.datetime64(end.date(), "D").view("int64")) - reg + 1
    day = reg + np.floor(rng.random(k) * span).astype(np.int64)
    business = (customers["segment"].to_numpy() == "企业客户")[who]
    inbound = rng.random(k) < 0.6
    u = rng.random(k)
    channel = np.where(business, np.select([u < 0.4, u < 0.7], ["电话", "微信"], "上门拜访"),
                       np.select([u < 0.3, u < 0.75], ["电话", "在线客服"], "微信"))
    v = rng.random(k)
    reason = np.where(inbound, np.select([v < 0.45, v < 0.65], ["咨询", "投诉"], "售后"),
                      np.where(v < 0.6, "回访", "营销"))
    w = rng.random(k)
    solved = np.select([reason == "咨询", reason == "投诉", reason == "售后"], [0.9, 0.7, 0.85], 0.0)
    outcome = np.select(
        [np.isin(reason, ["咨询", "投诉", "售后"]), reason == "回访"],
        [np.where(w < solved, "已解决", "未解决"), np.where(w < 0.75, "已完成", "未接通")],
        np.select([w < 0.25, w < 0.75], ["有意向", "无意向"], "未接通"))
    frame = pd.DataFrame({
        "customer_id": customers["customer_id"].to_numpy()[who],
        "date": pd.to_datetime(day.astype("datetime64[D]")),
        "channel": channel, "direction": np.where(inbound, "呼入", "呼出"), "reason": reason, "outcome": outcome,
    }).sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "contact_id", np.arange(1, len(frame) + 1))
    return frame


def campaign_features(customers: pd.DataFrame, transactions: pd.DataFrame, contacts: pd.DataFrame,
                      individual_profiles: pd.DataFrame, start: object) -> pd.DataFrame:
    """响应模型的特征 the features of :data:`RESPONSE_COEFFICIENTS` for every customer, measured on the day
    before the campaign ``start`` (only purchases and contacts before ``start`` count).

    Returns one row per customer (index ``customer_id``, in the order of ``customers``) with the feature
    columns and ``mean_spend`` (元 per purchase so far; NaN for customers without purchases).
    """
    day = pd.Timestamp(start).normalize()
    eve = day - pd.Timedelta(days=1)
    ids = pd.Index(customers["customer_id"], name="customer_id")
    before = transactions[transactions["date"] <= eve]
    if len(before):
        full = rfm_table(before, eve).reindex(ids)
        year = before[before["date"] > eve - pd.Timedelta(days=365)]
        last_year = rfm_table(year, eve).reindex(ids) if len(year) else full.iloc[:0].reindex(ids)
        mean_spend = full["monetary"] / full["frequency"]
    else:
        full = last_year = pd.DataFrame(index=ids, columns=["recency", "frequency", "monetary"], dtype=float)
        mean_spend = pd.Series(np.nan, index=ids)
    never = full["recency"].isna().to_numpy()
    recent = contacts[(contacts["date"] < day) & (contacts["date"] >= day - pd.Timedelta(days=180))]
    unresolved = recent.loc[(recent["reason"] == "投诉") & (recent["outcome"] == "未解决"), "customer_id"]
    age = individual_profiles.set_index("customer_id")["age_band"].reindex(ids)
    return pd.DataFrame({
        "recency_months": np.where(never, 0.0, np.minimum(full["recency"].to_numpy(dtype=float) / 30.0, 24.0)),
        "log_frequency": np.log1p(last_year["frequency"].fillna(0).to_numpy(dtype=float)),
        "log_monetary": np.log1p(last_year["monetary"].fillna(0).to_numpy(dtype=float) / 100.0),
        "never_bought": never.astype(float),
        "business": (customers["segment"].to_numpy() == "企业客户").astype(float),
        "age_25_44": age.isin(["25-34", "35-44"]).to_numpy().astype(float),
        "unresolved_complaint": ids.isin(unresolved).astype(float),
        "mean_spend": mean_spend.to_numpy(dtype=float),
    }, index=ids)


def response_probability(features: pd.DataFrame, channel: str) -> np.ndarray:
    """响应概率 P(respond) = 1 / (1 + e^(−z)), z = intercept + Σ β_k x_k + channel effect, with the β of
    :data:`RESPONSE_COEFFICIENTS` and the channel effect 短信 0, App推送 −0.3, 电话 +0.6.

    ``features`` needs the columns named in :data:`RESPONSE_COEFFICIENTS` (one row per customer).
    """
    if channel not in CHANNEL_EFFECTS:
        raise InputError(f"活动渠道 channel 只能是 {', '.join(CHANNEL_EFFECTS)}，收到 {channel!r}")
    missing = [c for c in FEATURES if c not in features.columns]
    if missing:
        raise InputError(f"特征表 features 缺少列 missing columns {missing}")
    z = RESPONSE_COEFFICIENTS["intercept"] + CHANNEL_EFFECTS[channel] + sum(
        RESPONSE_COEFFICIENTS[c] * features[c].to_numpy(dtype=float) for c in FEATURES)
    return 1.0 / (1.0 + np.exp(-z))


def _responses(rng: np.random.Generator, customers: pd.DataFrame, transactions: pd.DataFrame,
               contacts: pd.DataFrame, individual: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    consent = individual.set_index("customer_id")["marketing_consent"].reindex(customers["customer_id"])
    allowed = ~customers["non_customer"].to_numpy(dtype=bool) & consent.fillna(True).to_numpy(dtype=bool)
    business = customers["segment"].to_numpy() == "企业客户"
    parts = []
    for row in campaigns.itertuples(index=False):       # one pass per campaign (six), vectorised inside
        start = pd.Timestamp(row.start_date)
        eligible = allowed & (customers["registered"].to_numpy() < start.to_datetime64())
        contacted = eligible & (rng.random(len(customers)) < 0.7)
        feats = campaign_features(customers, transactions, contacts, individual, start)
        p = response_probability(feats, row.channel)
        responded = contacted & (rng.random(len(customers)) < p)
        base = np.where(np.isnan(feats["mean_spend"].to_numpy()), np.where(business, 500.0, 100.0),
                        feats["mean_spend"].to_numpy())
        amount = np.round(np.maximum(rng.gamma(6.0, base / 6.0), 0.1), 1)
        parts.append(pd.DataFrame({
            "campaign_id": row.campaign_id,
            "customer_id": customers["customer_id"].to_numpy()[contacted],
            "responded": responded[contacted].astype(np.int64),
            "order_amount": np.where(responded, amount, 0.0)[contacted],
        }))
    return pd.concat(parts, ignore_index=True)


def generate_crm_data(green: GreenFood | None = None, *, seed: int = 2025, end: object = None) -> CrmData:
    """生成客户信息扩展表 simulate profiles, contacts, campaigns and responses for the customers of ``green``
    (default: the committed :func:`crmlab.datasets.load_green_food`). Deterministic for a given ``seed``;
    contacts run up to ``end`` (default the last day of the green-food data, 2024-12-31). See the module
    docstring for the distributions and :data:`RESPONSE_COEFFICIENTS` for the response model."""
    data = load_green_food() if green is None else green
    if not isinstance(data, GreenFood):
        raise InputError(f"鲜果园数据 green 必须是 GreenFood（load_green_food 的结果），收到 {type(data).__name__}")
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    stop = pd.Timestamp(end if end is not None else GREEN_FOOD_DEFAULT["end"]).normalize()
    customers = data.customers.reset_index(drop=True)
    transactions = data.transactions
    individual, business = _profiles(rng, customers)
    contacts = _contacts(rng, customers, transactions, stop)
    campaigns = CAMPAIGNS.assign(start_date=pd.to_datetime(CAMPAIGNS["start_date"]))
    campaigns = campaigns[campaigns["start_date"] <= stop].reset_index(drop=True)
    responses = _responses(rng, customers, transactions, contacts, individual, campaigns)
    return CrmData(individual, business, contacts, campaigns, responses)


def write_crm_data(folder: str | Path | None = None, *, seed: int = CRM_DATA_DEFAULT["seed"]) -> Path:
    """Write the five CSV files of :func:`generate_crm_data` (for the committed green-food data) into ``folder``
    (default ``datasets/crm_db``), atomically."""
    from .fileio import atomic_write_text

    out = Path(folder) if folder is not None else datasets_dir() / "crm_db"
    for stem, frame in generate_crm_data(seed=seed).tables().items():
        atomic_write_text(out / f"{stem}.csv", frame.to_csv(index=False, date_format="%Y-%m-%d"))
    return out


# --- loading and checking the committed files ---------------------------------------------------------------

_ALLOWED: dict[str, dict[str, tuple]] = {
    "individual_profiles": {"gender": GENDERS, "age_band": AGE_BANDS, "preferred_category": PREFERRED_CATEGORIES,
                            "marketing_consent": (True, False)},
    "business_profiles": {"industry": INDUSTRIES, "size": SIZES, "contact_role": CONTACT_ROLES,
                          "credit_rating": CREDIT_RATINGS},
    "contacts": {"channel": CONTACT_CHANNELS, "direction": CONTACT_DIRECTIONS, "reason": CONTACT_REASONS,
                 "outcome": CONTACT_OUTCOMES},
    "campaigns": {"channel": CAMPAIGN_CHANNELS},
    "campaign_responses": {"responded": (0, 1)},
}
_SCHEMA: dict[str, dict] = {
    "individual_profiles": {"columns": ["customer_id", "name_masked", "gender", "age_band", "birth_month",
                                        "household_size", "preferred_category", "marketing_consent"],
                            "nonnegative": ("birth_month", "household_size"), "unique": "customer_id"},
    "business_profiles": {"columns": ["customer_id", "company", "industry", "size", "employees", "contact_role",
                                      "credit_rating"], "nonnegative": ("employees",), "unique": "customer_id"},
    "contacts": {"columns": ["contact_id", "customer_id", "date", "channel", "direction", "reason", "outcome"],
                 "dates": ("date",), "unique": "contact_id"},
    "campaigns": {"columns": ["campaign_id", "name", "start_date", "channel", "offer", "cost_per_contact"],
                  "dates": ("start_date",), "nonnegative": ("cost_per_contact",), "unique": "campaign_id"},
    "campaign_responses": {"columns": ["campaign_id", "customer_id", "responded", "order_amount"],
                           "nonnegative": ("order_amount",)},
}


def _check_values(df: pd.DataFrame, path: Path, col: str, allowed: tuple) -> None:
    bad = ~df[col].isin(allowed)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        value = df[col].iloc[i]
        value = value.item() if isinstance(value, np.generic) else value
        raise InputError(f"数据文件 {path.name} 第 {i + 2} 行、列 {col} 只能是 {list(allowed)}，收到 {value!r}")


def _check_refs(df: pd.DataFrame, path: Path, col: str, known: pd.Index, what: str) -> None:
    bad = ~df[col].isin(known)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"数据文件 {path.name} 第 {i + 2} 行、列 {col} 引用了不存在的{what} (unknown id)，"
                         f"收到 {df[col].iloc[i]!r}")


def load_crm_data(green: GreenFood | None = None) -> CrmData:
    """读取客户信息扩展表 load the five CSVs of ``datasets/crm_db/`` and check them.

    Checks, each reported as an :class:`InputError` naming the file, the row (header = row 1) and the column:
    required columns, dates, non-negative numbers, unique ids, allowed category values, customer ids that
    exist in the green-food customers (``green``, default the committed data) with the right segment, and
    campaign ids that exist in ``campaigns.csv``.
    """
    data = load_green_food() if green is None else green
    tables: dict[str, pd.DataFrame] = {}
    for stem in _SCHEMA:
        path = dataset_path(f"crm_db/{stem}.csv")
        raw = pd.read_csv(path, dtype={"customer_id": str, "campaign_id": str, "date": str, "start_date": str})
        frame = _check_table(raw, path, **_SCHEMA[stem])
        for col, allowed in _ALLOWED[stem].items():
            _check_values(frame, path, col, allowed)
        tables[stem] = frame
    segment = data.customers.set_index("customer_id")["segment"]
    for stem, seg in (("individual_profiles", "个人客户"), ("business_profiles", "企业客户")):
        path = dataset_path(f"crm_db/{stem}.csv")
        _check_refs(tables[stem], path, "customer_id", segment.index[segment == seg], seg)
    for stem in ("contacts", "campaign_responses"):
        _check_refs(tables[stem], dataset_path(f"crm_db/{stem}.csv"), "customer_id", segment.index, "客户")
    responses = tables["campaign_responses"]
    path = dataset_path("crm_db/campaign_responses.csv")
    _check_refs(responses, path, "campaign_id", pd.Index(tables["campaigns"]["campaign_id"]), "营销活动")
    dup = responses.duplicated(["campaign_id", "customer_id"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(f"数据文件 {path.name} 第 {i + 2} 行、列 campaign_id/customer_id 重复 (duplicate pair)")
    odd = (responses["responded"] == 0) & (responses["order_amount"] > 0)
    if odd.any():
        i = int(np.flatnonzero(odd.to_numpy())[0])
        raise InputError(f"数据文件 {path.name} 第 {i + 2} 行、列 order_amount：未响应 (responded = 0) 的客户"
                         f"订单金额必须为 0，收到 {responses['order_amount'].iloc[i]!r}")
    return CrmData(**tables)


# --- big transaction tables for benchmarks -------------------------------------------------------------------

def simulate_transactions(n_transactions: int, *, n_customers: int | None = None, start: str = "2020-01-01",
                          end: str = "2024-12-31", seed: int = 0) -> pd.DataFrame:
    """模拟大规模交易表 ``n_transactions`` purchases (vectorised; 10^7 rows take a few seconds).

    Customers (default n_transactions // 10, integer ids 1…n) differ in how often they buy: each purchase
    belongs to customer i with probability ∝ w_i, w_i ~ Gamma(shape 0.8). Customer i is active over
    [a_i, b_i]: a_i uniform over the period, b_i = a_i + an exponential lifetime (mean 600 days), cut at
    ``end``; purchase days are uniform over that span. Amounts ~ Gamma(shape 4) around the customer's mean,
    itself Gamma(shape 3, mean 150 元), rounded to 0.1 元 (at least 0.1). Returns ``customer_id`` (int64),
    ``date`` (datetime64, whole days) and ``amount`` (元), sorted by date. All 模拟数据.
    """
    n = require_int(n_transactions, "交易数", "n_transactions", minimum=1)
    k = require_int(n // 10 if n_customers is None else n_customers, "客户数", "n_customers", minimum=1)
    rng = np.random.default_rng(require_int(seed, "随机种子", "seed", minimum=0))
    t0 = np.datetime64(pd.Timestamp(start).date(), "D").view("int64")
    t1 = np.datetime64(pd.Timestamp(end).date(), "D").view("int64")
    if t1 <= t0:
        raise InputError(f"起止日期 start/end 必须 start < end，收到 {start!r}, {end!r}")
    weight = rng.gamma(0.8, 1.0, k)
    cust = np.searchsorted(np.cumsum(weight / weight.sum()), rng.random(n), side="right")
    np.minimum(cust, k - 1, out=cust)
    a = t0 + np.floor(rng.random(k) * (t1 - t0 + 1)).astype(np.int64)
    b = np.minimum(a + np.floor(rng.exponential(600.0, k)).astype(np.int64), t1)
    day = a[cust] + np.floor(rng.random(n) * (b[cust] - a[cust] + 1)).astype(np.int64)
    mean = rng.gamma(3.0, 50.0, k)
    amount = np.round(np.maximum(rng.gamma(4.0, mean[cust] / 4.0), 0.1), 1)
    order = np.argsort(day, kind="stable")
    return pd.DataFrame({"customer_id": cust[order].astype(np.int64) + 1,
                         "date": day[order].astype("datetime64[D]").astype("datetime64[s]"),
                         "amount": amount[order]})
