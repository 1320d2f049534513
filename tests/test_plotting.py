"""Chinese text in matplotlib renders with the bundled font, on a fresh font cache, with no missing glyphs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

DRAW = textwrap.dedent(
    """
    import warnings, sys
    import matplotlib
    matplotlib.use("Agg")
    warnings.simplefilter("error")          # any warning, "Glyph ... missing" included, fails the run
    {setup}
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.set_title("客户终生价值与保留率")
    ax.set_xlabel("保留率 retention（%）")
    ax.set_ylabel("价值（元）")
    ax.plot([1, 2, 3], [-1, 0, 1])           # negative tick labels need axes.unicode_minus = False
    fig.savefig(sys.argv[1] + ".png")
    fig.savefig(sys.argv[1] + ".pdf")
    print("drawn")
    """
)


def _draw(tmp_path, setup: str) -> subprocess.CompletedProcess:
    script = tmp_path / "draw.py"
    script.write_text(DRAW.format(setup=setup), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MPLCONFIGDIR": str(tmp_path / "mplcache")}
    return subprocess.run(
        [sys.executable, str(script), str(tmp_path / "figure")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )


def test_chinese_title_has_no_missing_glyphs_on_fresh_font_cache(tmp_path):
    run = _draw(tmp_path, "import crmlab.plotting")
    assert run.returncode == 0, run.stderr
    assert "drawn" in run.stdout
    assert (tmp_path / "figure.png").stat().st_size > 1000
    assert (tmp_path / "figure.pdf").stat().st_size > 1000


def test_without_crmlab_the_same_figure_shows_missing_glyphs(tmp_path):
    # The control: proves the check above would catch tofu boxes.
    run = _draw(tmp_path, "")
    assert run.returncode != 0
    assert "missing from font" in run.stderr


def test_bundled_font_has_the_glyphs_we_use():
    from matplotlib.font_manager import FontProperties, findfont, get_font

    from crmlab.plotting import CJK_FONT_NAME, chinese_font_path, setup_chinese_fonts

    setup_chinese_fonts()
    font = get_font(str(chinese_font_path()))
    for ch in "客户关系管理终生价值保留率元％（）":
        assert font.get_char_index(ord(ch)) != 0, ch
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == CJK_FONT_NAME
    # the default family now resolves to the bundled file, not to DejaVu Sans
    assert findfont(FontProperties(family=["sans-serif"])) == str(chinese_font_path())
