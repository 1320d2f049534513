"""教材案例 book cases as small, tested models.

One module per case of the main textbook (苏朝晖《客户关系管理》). Each module keeps the figures the
book states in a frozen ``*_FACTS`` object and builds a small model around them; every parameter
that the book does not state is an assumption (假设) and is labelled so in its docstring.

Chapter 1 (客户关系管理的理念):

* :mod:`crmlab.cases.taxi` — 出租车司机的客户关系管理 (周春明): premium, retention and regular clients
* :mod:`crmlab.cases.starbucks` — 星巴克的客户关系: partners (员工) instead of advertising
* :mod:`crmlab.cases.pg_walmart` — 宝洁与沃尔玛: sharing sales data, inventory capital, gross profit
* :mod:`crmlab.cases.skyworth` — 创维 "客户，您是总裁": service network cost against retention gain

Chapter 6 (客户的分级):

* :mod:`crmlab.cases.industrial_bank` — 兴业银行家庭理财卡: households graded into card tiers by assets
"""

from __future__ import annotations

from . import industrial_bank, pg_walmart, skyworth, starbucks, taxi

__all__ = ["industrial_bank", "pg_walmart", "skyworth", "starbucks", "taxi"]
