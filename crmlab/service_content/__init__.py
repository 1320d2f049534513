"""客户服务练习题 drill content for the 李先国《客户服务实务》 study notebooks (notebooks/service/lxg01 … lxg05).

One module per chapter holds its drills as constants (:class:`~crmlab.drills.Drill`,
:class:`~crmlab.drills.OrderingDrill`, :class:`~crmlab.drills.ChecklistDrill`). Every scenario and explanation is
written for this workbook around 鲜果园, the workbook's fictional fresh-food app and wholesaler; the ideas (customer
types, etiquette, listening, questioning, expectations, personality types) follow the chapters of the book.
Building the constants checks them, so a malformed drill fails at import with its id in the message.
"""

from __future__ import annotations

from . import lxg01, lxg02, lxg03, lxg04, lxg05

__all__ = ["DRILLS_BY_CHAPTER", "all_drills", "lxg01", "lxg02", "lxg03", "lxg04", "lxg05"]

#: Chapter key (as in the notebook names) → every drill of that chapter, in notebook order.
DRILLS_BY_CHAPTER = {
    "lxg01": lxg01.ALL,
    "lxg02": lxg02.ALL,
    "lxg03": lxg03.ALL,
    "lxg04": lxg04.ALL,
    "lxg05": lxg05.ALL,
}


def all_drills() -> list:
    """Every drill of chapters 1–5 (ids are unique across chapters)."""
    return [d for drills in DRILLS_BY_CHAPTER.values() for d in drills]
