"""一对一营销 one-to-one marketing from the customer database (苏朝晖 第 5 章 5.4.2).

The database knows, for each customer, who they are (profile: masked name, birth month, preferred
category, whether they agreed to receive marketing) and how they buy (their RFM segment,
:func:`crmlab.rfm.rfm_segments`). :func:`one_to_one_offers` combines the two into a personal birthday
message per customer: the offer depends on the segment (:data:`BIRTHDAY_OFFERS`, an illustrative rule
book of this workbook), the wording on the customer's preferred category. Customers who did not agree to
receive marketing are never on the list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError, require_int
from .rfm import RFM_SEGMENTS

__all__ = ["BIRTHDAY_OFFERS", "NO_HISTORY", "one_to_one_offers"]

NO_HISTORY = "无购买记录"

#: 生日关怀的优惠（本工作簿的示例规则）: the birthday offer for each RFM segment and for customers who never bought.
BIRTHDAY_OFFERS: dict[str, str] = {
    "重要价值客户": "为您准备了生日礼盒一份，专属客服随时为您服务",
    "重要保持客户": "送您 50 元无门槛生日券，欢迎回来看看新上的时令好货",
    "重要发展客户": "生日当月积分翻倍，开通每周配送再享 9 折",
    "重要挽留客户": "送您 80 元生日回归礼券，我们也很想听听您的意见",
    "一般价值客户": "送您满 199 减 30 元的生日券，组合套餐更划算",
    "一般发展客户": "送您满 99 减 15 元的生日券，下单还送一份时令水果",
    "一般保持客户": "送您满 99 减 10 元的生日券",
    "一般挽留客户": "送您一张 9 折生日券",
    NO_HISTORY: "送您新人生日礼包，首单立减 20 元",
}


def one_to_one_offers(profiles: pd.DataFrame, segments: pd.Series, *, month: int,
                      offers: dict[str, str] | None = None) -> pd.DataFrame:
    """生日关怀名单 one personal message per customer whose birthday is in ``month`` (1–12) and who agreed to
    receive marketing.

    ``profiles`` has ``customer_id``, ``name_masked``, ``birth_month``, ``preferred_category`` and
    ``marketing_consent`` (e.g. the ``individual_profiles`` table); ``segments`` is indexed by customer id
    (e.g. from :func:`crmlab.rfm.rfm_segments`); customers not in it get ``无购买记录``. ``offers`` maps each
    segment to its offer (default :data:`BIRTHDAY_OFFERS`). Returns ``customer_id``, ``name_masked``,
    ``segment``, ``preferred_category``, ``offer`` and ``message``, ordered by segment then customer id.
    """
    m = require_int(month, "月份", "month", minimum=1)
    if m > 12:
        raise InputError(f"月份 month 必须在 1 和 12 之间，收到 {month!r}")
    if not isinstance(profiles, pd.DataFrame):
        raise InputError(f"客户信息 profiles 必须是 DataFrame，收到 {type(profiles).__name__}")
    need = ["customer_id", "name_masked", "birth_month", "preferred_category", "marketing_consent"]
    missing = [c for c in need if c not in profiles.columns]
    if missing:
        raise InputError(f"客户信息 profiles 缺少列 missing columns {missing}")
    if not isinstance(segments, pd.Series):
        raise InputError(f"客户分类 segments 必须是以客户编号为索引的 Series，收到 {type(segments).__name__}")
    rules = dict(BIRTHDAY_OFFERS if offers is None else offers)
    order = [*RFM_SEGMENTS, NO_HISTORY]
    lacking = [s for s in order if s not in rules]
    if lacking:
        raise InputError(f"优惠规则 offers 缺少类别 missing segments {lacking}")
    consent = profiles["marketing_consent"].astype(bool)
    chosen = profiles.loc[(profiles["birth_month"] == m) & consent, need[:4]].copy()
    seg = chosen["customer_id"].map(segments.astype(object)).fillna(NO_HISTORY).astype(str)
    unknown = sorted(set(seg) - set(order))
    if unknown:
        raise InputError(f"客户分类 segments 含有未知的类别 unknown segments {unknown}")
    chosen["segment"] = pd.Categorical(seg, categories=order, ordered=True)
    chosen["offer"] = seg.map(rules).to_numpy()
    chosen["message"] = (chosen["name_masked"] + "，生日快乐！" + chosen["offer"] + "。本月为您优先推荐"
                         + chosen["preferred_category"] + "。")
    chosen = chosen.sort_values(["segment", "customer_id"], kind="stable").reset_index(drop=True)
    cols = ["customer_id", "name_masked", "segment", "preferred_category", "offer", "message"]
    return chosen[cols] if len(chosen) else pd.DataFrame(np.empty((0, len(cols))), columns=cols)
