"""绘图 plotting: matplotlib with Chinese labels that render on a fresh machine.

Out of the box matplotlib has no font with Chinese glyphs and draws empty boxes ("tofu").
:func:`setup_chinese_fonts` registers Noto Sans CJK SC, which the ``mplfonts`` package (a
dependency of crmlab) ships, and puts it first in the sans-serif list. It runs when this
module is imported, so ``import crmlab.plotting`` is all a notebook needs. No system font,
no ``apt`` step and no font-cache rebuild are involved.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib

__all__ = ["CJK_FONT_NAME", "chinese_font_path", "new_figure", "setup_chinese_fonts"]

CJK_FONT_NAME = "Noto Sans CJK SC"
_FONT_FILE = "NotoSansCJKsc-Regular.otf"
_registered: Path | None = None


def chinese_font_path() -> Path:
    """中文字体文件 the path of the bundled Noto Sans CJK SC font file (inside the mplfonts package)."""
    path = Path(str(resources.files("mplfonts") / "fonts" / _FONT_FILE))
    if not path.is_file():  # pragma: no cover - only if mplfonts changes its layout
        raise FileNotFoundError(f"中文字体文件 Chinese font file 缺失 (missing)：{path}；请重新安装 mplfonts")
    return path


def setup_chinese_fonts() -> Path:
    """设置中文字体 register the bundled CJK font with matplotlib and make it the default.

    Idempotent; returns the font file's path. Also turns off the Unicode minus sign, which the
    CJK font lacks.
    """
    global _registered
    from matplotlib import font_manager

    path = chinese_font_path()
    if _registered != path:
        font_manager.fontManager.addfont(str(path))
        _registered = path
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rest = [f for f in rc["font.sans-serif"] if f != CJK_FONT_NAME]
    rc["font.sans-serif"] = [CJK_FONT_NAME, *rest]
    rc["axes.unicode_minus"] = False
    return path


def new_figure(
    title: str, xlabel: str = "", ylabel: str = "", *, figsize: tuple[float, float] = (6.4, 3.8)
):
    """新建图表 a figure with one axes, a (Chinese) title and axis labels; returns ``(fig, ax)``.

    Label axes with their units, e.g. ``"客户终生价值 CLV（元）"``.
    """
    import matplotlib.pyplot as plt

    setup_chinese_fonts()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


setup_chinese_fonts()
