"""CDNOW 数据 the classic data of the purchase-model papers, found wherever a student's machine has it.

CDNOW was an online music retailer; Fader, Hardie & Lee (2005) followed the 23,570 customers who first
bought in January–March 1997 until the end of June 1998 (78 weeks), and used a 1/10 sample of 2,357
customers with the first 39 weeks (to 1997-09-30) as calibration period. The files are not part of the
workbook; :func:`cdnow_path` looks for them, in order, in

1. the folder named by the environment variable ``CRMLAB_CDNOW_DIR``;
2. ``../shared/data/cdnow/`` beside the workbook (the developers' reference data);
3. the ``datasets`` folder of the installed ``lifetimes`` package (MIT licence), which ships the same
   files — located with :func:`importlib.util.find_spec`, without importing it.

File names (ours → as shipped by ``lifetimes``): ``CDNOW_master.txt``, ``CDNOW_sample.txt`` (same names);
``cdnow_sample_summary.csv`` → ``cdnow_customers_summary_with_transactions.csv``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..paths import project_root
from .summary import summarize_transactions

__all__ = ["CDNOW_CALIBRATION_END", "CDNOW_OBSERVATION_END", "cdnow_path", "load_cdnow_summary",
           "load_cdnow_transactions"]

#: Last day of the 39-week calibration period and of the 78-week observation of the CDNOW cohort.
CDNOW_CALIBRATION_END = "1997-09-30"
CDNOW_OBSERVATION_END = "1998-06-30"

#: Our file name → the name of the same file in the ``lifetimes`` package.
_LIFETIMES_NAMES = {
    "CDNOW_master.txt": "CDNOW_master.txt",
    "CDNOW_sample.txt": "CDNOW_sample.txt",
    "cdnow_sample_summary.csv": "cdnow_customers_summary_with_transactions.csv",
}


def _lifetimes_datasets() -> Path | None:
    try:
        spec = importlib.util.find_spec("lifetimes")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "datasets"


def _candidates(name: str) -> list[Path]:
    folders: list[Path] = []
    override = os.environ.get("CRMLAB_CDNOW_DIR")
    if override:
        folders.append(Path(override).expanduser())
    folders.append(project_root().parent / "shared" / "data" / "cdnow")
    found: list[Path] = [folder / name for folder in folders]
    lifetimes_dir = _lifetimes_datasets()
    if lifetimes_dir is not None:
        found.append(lifetimes_dir / _LIFETIMES_NAMES[name])
    return found


def cdnow_path(name: str) -> Path:
    """CDNOW 文件路径 the path of a CDNOW file: ``"CDNOW_sample.txt"``, ``"CDNOW_master.txt"`` or
    ``"cdnow_sample_summary.csv"``, from the first folder of the search order (module docstring) that has it.

    Raises :class:`~crmlab.InputError` saying where it looked and how to get the data.
    """
    if name not in _LIFETIMES_NAMES:
        raise InputError(f"CDNOW 文件名 file name 必须是 {', '.join(_LIFETIMES_NAMES)} 之一，收到 {name!r}")
    tried = _candidates(name)
    for path in tried:
        if path.is_file():
            return path
    raise InputError(
        f"找不到 CDNOW 数据文件 (CDNOW data not found): {name}。查找过 looked in: "
        f"{'; '.join(str(p) for p in tried)}。获取方法 how to get it: 安装 lifetimes 包 (install the "
        f"'lifetimes' package: pip install lifetimes — it ships the CDNOW files), 或把文件放进一个文件夹并设置环境变量 "
        f"CRMLAB_CDNOW_DIR (or set CRMLAB_CDNOW_DIR to a folder that holds {name})。"
    )


def load_cdnow_transactions(sample: bool = True) -> pd.DataFrame:
    """CDNOW 交易记录 one row per order: ``customer_id`` (int), ``date`` (datetime64), ``cds`` (number of CDs,
    int), ``amount`` (US dollars, float).

    ``sample=True`` (default): the 2,357-customer sample of the papers (6,919 orders), ``customer_id`` being
    the sample's own 1…2,357 numbering (the ``ID`` of the published summary). ``sample=False``: all 23,570
    customers of the cohort (69,659 orders), with their master ids. Several orders on one day are kept as
    separate rows; :func:`~crmlab.btyd.summarize_transactions` combines them.
    """
    if sample:
        names = ["master_id", "customer_id", "date", "cds", "amount"]
        path = cdnow_path("CDNOW_sample.txt")
    else:
        names = ["customer_id", "date", "cds", "amount"]
        path = cdnow_path("CDNOW_master.txt")
    with open(path, encoding="utf-8") as fh:
        first = fh.readline().split()
    has_header = bool(first) and not first[0].isdigit()  # the lifetimes copy of the master file has one
    df = pd.read_csv(path, sep=r"\s+", header=None, names=names, skiprows=1 if has_header else 0,
                     dtype={"date": str, "customer_id": "int64", "cds": "int64", "amount": "float64"})
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    return df[["customer_id", "date", "cds", "amount"]]


def load_cdnow_summary(holdout: bool = False) -> pd.DataFrame:
    """CDNOW 客户汇总 the 2,357 sample customers over the 39-week calibration period (to 1997-09-30),
    indexed by ``customer_id``: ``frequency`` (repeat purchase days), ``recency`` and ``T`` (weeks),
    ``monetary_value`` (mean repeat spend, dollars).

    Built from the sample transactions with :func:`~crmlab.btyd.summarize_transactions` (``freq="W"``,
    same-day orders combined), so the values are exact rather than the 2-decimal rounding of the
    published summary file (with which they agree once rounded). ``holdout=True`` adds
    ``frequency_holdout``, ``monetary_value_holdout`` and ``duration_holdout`` (39 weeks, to 1998-06-30).
    """
    tx = load_cdnow_transactions(sample=True)
    summary = summarize_transactions(tx, "customer_id", "date", "amount", observation_end=CDNOW_OBSERVATION_END,
                                     calibration_end=CDNOW_CALIBRATION_END, freq="W")
    if not holdout:
        summary = summary[["frequency", "recency", "T", "monetary_value"]]
    return summary
