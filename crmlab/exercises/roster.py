"""学生名单 reading a class roster exported from Excel (UTF-8 or GBK/GB18030 CSV).

The roster is a CSV with a header row naming the student id column (``student_id`` or ``学号``) and the name
column (``name`` or ``姓名``); other columns are kept but ignored. Every problem is reported with its row number
as the instructor sees it in Excel (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = ["Student", "read_roster", "valid_student_id"]

ID_COLUMNS = ("student_id", "学号", "id")
NAME_COLUMNS = ("name", "姓名")
_SAFE_ID = re.compile(r"^[0-9A-Za-z_\-\u4e00-\u9fff]{1,64}$")


@dataclass(frozen=True)
class Student:
    """一名学生 one roster row: ``student_id`` (letters, digits, ``-``/``_`` or Chinese), ``name``, ``row``."""

    student_id: str
    name: str
    row: int


def valid_student_id(student_id: str) -> bool:
    """True if ``student_id`` can be used in a file name (1–64 letters, digits, ``-``, ``_`` or Chinese)."""
    return bool(_SAFE_ID.match(student_id))


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"名单 roster {path} 的编码无法识别 (unreadable encoding)：既不是 UTF-8 也不是 GBK/GB18030，"
                     "请在 Excel 中另存为“CSV UTF-8”")


def _column(header: list[str], names: tuple[str, ...], what: str, path: Path) -> int:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    raise InputError(f"名单 roster {path} 第 1 行缺少{what}列 (missing column)：应为 {' 或 '.join(names)}，"
                     f"实际表头 header 是 {header}")


def read_roster(path: str | Path) -> list[Student]:
    """Read and check a roster CSV; raise :class:`InputError` naming the row on any problem."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"名单 roster 文件不存在 (not found)：{p}")
    text = _decode(p.read_bytes(), p)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError(f"名单 roster {p} 是空的 (empty)")
    header = rows[0]
    id_col = _column(header, ID_COLUMNS, "学号", p)
    name_col = _column(header, NAME_COLUMNS, "姓名", p)
    students: list[Student] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        sid = row[id_col].strip() if id_col < len(row) else ""
        name = row[name_col].strip() if name_col < len(row) else ""
        if not sid:
            raise InputError(f"名单 roster {p} 第 {n} 行：学号 student_id 为空 (empty)")
        if not valid_student_id(sid):
            raise InputError(f"名单 roster {p} 第 {n} 行：学号 student_id {sid!r} 只能包含字母、数字、-、_ 或汉字"
                             "（它会成为文件名的一部分）")
        if not name:
            raise InputError(f"名单 roster {p} 第 {n} 行：学号 {sid} 的姓名 name 为空 (empty)")
        if sid in seen:
            raise InputError(f"名单 roster {p} 第 {n} 行：学号 student_id {sid} 与第 {seen[sid]} 行重复 (duplicate)")
        seen[sid] = n
        students.append(Student(sid, name, n))
    if not students:
        raise InputError(f"名单 roster {p} 没有学生 (no students)：只有表头")
    return students
