"""One-to-one birthday offers: who is on the list, which offer, and the message, checked on a tiny table."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import InputError
from crmlab.one_to_one import BIRTHDAY_OFFERS, NO_HISTORY, one_to_one_offers
from crmlab.rfm import RFM_SEGMENTS

PROFILES = pd.DataFrame({
    "customer_id": ["A", "B", "C", "D", "E"],
    "name_masked": ["王**", "李**", "张**", "刘**", "陈**"],
    "birth_month": [5, 5, 5, 6, 5],
    "preferred_category": ["水果", "蔬菜", "礼盒", "水果", "有机食品"],
    "marketing_consent": [True, True, False, True, True],
})
SEGMENTS = pd.Series(pd.Categorical(["一般发展客户", "重要价值客户", "重要价值客户", "重要挽留客户"],
                                    categories=list(RFM_SEGMENTS)), index=["A", "B", "C", "D"])


def test_birthday_list_by_hand():
    offers = one_to_one_offers(PROFILES, SEGMENTS, month=5)
    # C has no consent, D is born in June; E never bought; ordered by segment: B (重要价值), A (一般发展), E
    assert offers["customer_id"].tolist() == ["B", "A", "E"]
    assert offers["segment"].astype(str).tolist() == ["重要价值客户", "一般发展客户", NO_HISTORY]
    assert offers["offer"].tolist() == [BIRTHDAY_OFFERS["重要价值客户"], BIRTHDAY_OFFERS["一般发展客户"],
                                        BIRTHDAY_OFFERS[NO_HISTORY]]
    assert offers.loc[0, "message"] == f"李**，生日快乐！{BIRTHDAY_OFFERS['重要价值客户']}。本月为您优先推荐蔬菜。"
    assert one_to_one_offers(PROFILES, SEGMENTS, month=1).empty


def test_every_segment_has_an_offer():
    assert set(BIRTHDAY_OFFERS) == {*RFM_SEGMENTS, NO_HISTORY}


def test_bad_inputs():
    with pytest.raises(InputError, match="月份 month"):
        one_to_one_offers(PROFILES, SEGMENTS, month=13)
    with pytest.raises(InputError, match="缺少列"):
        one_to_one_offers(PROFILES.drop(columns="marketing_consent"), SEGMENTS, month=5)
    with pytest.raises(InputError, match="缺少类别"):
        one_to_one_offers(PROFILES, SEGMENTS, month=5, offers={"重要价值客户": "x"})
    with pytest.raises(InputError, match="未知的类别"):
        one_to_one_offers(PROFILES, pd.Series(["VIP"], index=["A"]), month=5)
