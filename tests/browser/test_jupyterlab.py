"""A real JupyterLab in a real browser: open ch00, run it, move the slider, see the result change.

Starts the server with the same command line as ``crmlab lab`` (on 127.0.0.1, a free port, a
token, a throw-away root folder, HOME and settings folder), drives Debian's Chromium with
Playwright, and saves a screenshot under ``build/browser/``. Under ``CI=true`` a missing
browser is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from crmlab.cli import START_NOTEBOOK, lab_command
from crmlab.jupyter_env import write_lab_overrides
from crmlab.plotting import chinese_font_path

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _require_browser() -> None:
    missing = [what for what, ok in (("chromium", CHROMIUM.exists()), ("playwright", _has_playwright())) if not ok]
    if missing:
        msg = f"browser test needs {', '.join(missing)} (make test installs chromium when run as root)"
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: " + msg)
        pytest.skip(msg)


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def lab(tmp_path_factory, root):
    _require_browser()
    tmp = tmp_path_factory.mktemp("lab")
    work, home, settings = tmp / "work", tmp / "home", tmp / "settings"
    home.mkdir()
    shutil.copytree(root / "notebooks", work / "notebooks")
    write_lab_overrides("zh_CN", settings)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = lab_command([
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}", f"--LabApp.app_settings_dir={settings}",
    ], root=work)
    if "--allow-root" not in cmd:
        cmd.append("--allow-root")
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(tmp / "jcfg"),
           "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")}
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            _get_json(f"{base}/api/status?token={token}")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError("JupyterLab did not start:\n" + (tmp / "server.log").read_text()) from None
            time.sleep(0.3)
    yield {"base": base, "token": token, "tmp": tmp}
    try:
        req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST", data=b"")
        urllib.request.urlopen(req, timeout=10)
        proc.wait(timeout=20)
    except Exception:
        proc.kill()
    log.close()


def _wait_kernel_idle(lab, path: str, timeout=90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sessions = [s for s in _get_json(f"{lab['base']}/api/sessions?token={lab['token']}") if s["path"] == path]
        if sessions and sessions[0]["kernel"]["execution_state"] == "idle":
            assert sessions[0]["kernel"]["name"] == "crmlab"
            return
        time.sleep(0.3)
    raise AssertionError(f"the kernel of {path} never became idle")


def _open_and_run_all(page, lab, path: str) -> None:
    # ?reset starts from an empty workspace, so the notebook is the only open tab
    page.goto(f"{lab['base']}/lab/tree/{path}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # The interface is in Chinese: the menu bar reads 文件 … 运行.
    page.wait_for_selector(".lm-MenuBar-itemLabel:text-is('文件')")
    _wait_kernel_idle(lab, path)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.locator(".lm-MenuBar-itemLabel:text-matches('^(运行|Run)$')").click()
    page.locator(".lm-Menu-itemLabel:text-matches('^(运行所有单元格|Run All Cells)$')").click()


def _slider_notebooks(root: Path) -> list[str]:
    """Notebooks with at least one live widget cell (tagged nbval-ignore-output and calling an explorer)."""
    found = []
    for nb_path in sorted((root / "notebooks").rglob("*.ipynb")):
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        if any("explorer(" in "".join(c["source"]) for c in cells if c["cell_type"] == "code"):
            found.append(nb_path.relative_to(root).as_posix())
    return found


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(lab["tmp"]))}
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, env=env)
        yield chromium
        chromium.close()


def _fontconfig(tmp: Path) -> Path:
    """Let Chromium find the bundled CJK font even when no system CJK font is installed."""
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{chinese_font_path().parent}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return conf


@contextmanager
def _page(browser, root: Path, name: str, height: int = 1200):
    """A fresh page in a Chinese locale; yields ``(page, shot)`` where ``shot(label)`` saves
    ``build/browser/<label>.png``. On a failure it saves ``<name>_failure.png``; the page is always closed."""
    shots = root / "build" / "browser"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": height}, locale="zh-CN")
    page.set_default_timeout(60_000)
    try:
        yield page, lambda label: page.screenshot(path=str(shots / f"{label}.png"))
    except Exception:
        page.screenshot(path=str(shots / f"{name}_failure.png"))
        raise
    finally:
        page.close()


def test_slider_changes_the_result_in_a_real_browser(lab, browser, root):
    with _page(browser, root, "ch00") as (page, shot):
        _open_and_run_all(page, lab, START_NOTEBOOK)
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.wait_for()
        result = page.locator(".widget-output .jp-OutputArea-output").first
        page.wait_for_function(
            "() => [...document.querySelectorAll('.widget-output .jp-OutputArea-output')]"
            ".some(e => e.innerText.includes('利润乘数'))"
        )
        before = result.inner_text()
        assert "保留率 80%" in before and "2.50" in before

        handle.focus()
        handle.press("ArrowRight")
        handle.press("ArrowRight")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.widget-output .jp-OutputArea-output')]"
            ".some(e => e.innerText.includes('保留率 90%'))"
        )
        after = result.inner_text()
        assert after != before
        assert "4.09" in after  # margin multiple at 90 % retention, 12 % discount (Gupta & Lehmann)
        # the chart inside the widget is drawn for the new value; frame it with the text above it
        chart = page.locator(".widget-output img").first
        chart.wait_for()
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        shot("ch00_slider")


def test_every_notebook_runs_in_the_browser_and_its_first_slider_responds(lab, browser, root):
    """Each notebook with a widget: Run All shows no error, and moving its first slider changes what the
    widget shows (text or chart)."""
    shots = root / "build" / "browser"
    shots.mkdir(parents=True, exist_ok=True)
    notebooks = _slider_notebooks(root)
    assert len(notebooks) >= 2
    problems = []
    for path in notebooks:
        name = Path(path).stem
        page = browser.new_page(viewport={"width": 1280, "height": 1200}, locale="zh-CN")
        page.set_default_timeout(60_000)
        try:
            _open_and_run_all(page, lab, path)
            handle = page.locator(".widget-slider .noUi-handle").first
            handle.wait_for()
            handle.scroll_into_view_if_needed()  # JupyterLab does not lay out off-screen cells (empty innerText)
            box = handle.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][last()]")
            output = box.locator(".widget-output").first
            page.wait_for_function("e => e.innerText.trim().length > 0 || e.querySelector('img')",
                                   arg=output.element_handle())
            _wait_kernel_idle(lab, path)
            before = output.inner_html()
            handle.focus()
            for _ in range(3):
                handle.press("ArrowRight")
            page.wait_for_function(
                "([e, old]) => e.innerHTML !== old && (e.innerText.trim() || e.querySelector('img'))",
                arg=[output.element_handle(), before],
            )
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                                  " .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
            if errors.count():
                problems.append(f"{path}: {errors.first.inner_text()[:300]}")
            output.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            page.screenshot(path=str(shots / f"{name}.png"))
        except Exception as exc:
            page.screenshot(path=str(shots / f"{name}_failure.png"))
            problems.append(f"{path}: {type(exc).__name__}: {str(exc)[:300]}")
        finally:
            page.close()
    assert not problems, "\n".join(problems)


def _answer_any_question(page, css: str) -> None:
    """Give some answer to the question on screen, whatever its type (choice, options, number or text)."""
    for selector, action in ((f".{css}-choice input", "check"), (f".{css}-option input", "check"),
                             (f".{css}-number input", "fill"), (f".{css}-text textarea", "fill")):
        field = page.locator(selector)
        if field.count():
            if action == "check":
                field.first.check()
            else:
                field.first.fill("100")
            return
    raise AssertionError(f"no answer input found for {css}")


def test_certification_practice_and_exam_widgets_in_a_real_browser(lab, browser, root):
    """Trainer's tools: answer a practice question and see the feedback with its explanation; start a timed mock
    exam, see the clock run, hand in and see the per-topic result."""
    with _page(browser, root, "certification_practice", 1400) as (page, shot):
        path = "notebooks/certification/练习模式.ipynb"
        _open_and_run_all(page, lab, path)
        page.locator(".crmlab-practice-submit").first.wait_for()
        page.wait_for_function("() => /第 1\\/\\d+ 题/.test(document.querySelector('.crmlab-practice-question')"
                               "?.innerText || '')")
        _wait_kernel_idle(lab, path)
        _answer_any_question(page, "crmlab-practice")
        page.locator(".crmlab-practice-submit button, button.crmlab-practice-submit").first.click()
        feedback = page.locator(".crmlab-practice-feedback").first
        page.wait_for_function("e => /回答正确|回答错误|自评/.test(e.innerText)", arg=feedback.element_handle())
        text = feedback.inner_text()
        assert "解析" in text or "自评" in text, text
        feedback.scroll_into_view_if_needed()
        shot("certification_practice")
    with _page(browser, root, "certification_exam", 1400) as (page, shot):
        path = "notebooks/certification/模拟考试.ipynb"
        _open_and_run_all(page, lab, path)
        start = page.locator(".crmlab-exam-start button, button.crmlab-exam-start").first
        start.wait_for()
        _wait_kernel_idle(lab, path)
        start.click()
        timer = page.locator(".crmlab-exam-timer").first
        page.wait_for_function("e => /\\d+:\\d\\d/.test(e.innerText)", arg=timer.element_handle())
        first = timer.inner_text()
        page.wait_for_function("([e, old]) => e.innerText !== old", arg=[timer.element_handle(), first])
        _answer_any_question(page, "crmlab-exam")
        page.locator(".crmlab-exam-submit button, button.crmlab-exam-submit").first.click()
        result = page.locator(".crmlab-exam-result").first
        page.wait_for_function("e => e.innerText.includes('分')", arg=result.element_handle())
        result.scroll_into_view_if_needed()
        shot("certification_exam")


def test_a_service_drill_gives_feedback_in_a_real_browser(lab, browser, root):
    """李先国 ch. 1 drill: choose an answer to a scenario, press 提交答案, read the verdict and the explanation."""
    path = "notebooks/service/lxg01_认识客户服务.ipynb"
    with _page(browser, root, "service_drill", 1400) as (page, shot):
        _open_and_run_all(page, lab, path)
        submit = page.locator("button:has-text('提交答案')").first
        submit.wait_for()
        _wait_kernel_idle(lab, path)
        submit.scroll_into_view_if_needed()
        panel = submit.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][last()]")
        panel.locator("input[type='radio']").first.check()
        submit.click()
        page.wait_for_function("e => /回答正确|回答不正确|部分正确/.test(e.innerText)", arg=panel.element_handle())
        assert "得分" in panel.inner_text()
        shot("service_drill")
