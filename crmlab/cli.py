"""命令行 the ``crmlab`` command: ``crmlab lab | build | setup``.

Run ``crmlab --help`` or ``crmlab COMMAND --help`` for the options. Errors are printed as one
clear line (in Chinese with the English term) and give exit status 2; a failed notebook in
``crmlab build`` gives exit status 1 after every notebook has been tried.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError

__all__ = ["main"]

START_NOTEBOOK = "notebooks/ch00_如何使用本工作簿.ipynb"


def _default_locale() -> str:
    return os.environ.get("CRMLAB_LOCALE", "zh_CN")


def cmd_setup(args: argparse.Namespace) -> int:
    from .jupyter_env import install_kernel, write_lab_overrides

    install_kernel()
    path = write_lab_overrides(args.locale)
    print(f"已注册内核 kernel 'crmlab'；JupyterLab 默认语言 locale = {args.locale}（{path}）")
    return 0


def lab_command(extra: Sequence[str] = (), root: Path | None = None) -> list[str]:
    """The ``jupyter lab`` command line that ``crmlab lab`` runs (root folder = the workbook by default)."""
    from .paths import project_root

    root = root or project_root()
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return [*cmd, *extra]


def cmd_lab(args: argparse.Namespace) -> int:
    from .jupyter_env import install_kernel, kernel_installed, write_lab_overrides

    if not kernel_installed():
        install_kernel()
    write_lab_overrides(args.locale)
    cmd = lab_command(args.jupyter_args)
    print("启动 JupyterLab starting:", " ".join(cmd), flush=True)
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_site

    notebooks = [Path(p).resolve() for p in args.notebooks] or None
    for nb in notebooks or []:
        if not nb.is_file():
            raise InputError(f"笔记本 notebook 不存在 (not found)：{nb}")
    results = build_site(Path(args.out) if args.out else None, jobs=args.jobs, notebooks=notebooks,
                         timeout=args.timeout, inplace=args.inplace)
    failed = [r for r in results if r.error]
    for r in results:
        status = "失败 FAILED" if r.error else "完成 ok"
        print(f"{status:10s} {r.seconds:6.1f}s  {r.source.name}")
    out = Path(args.out) if args.out else Path("build/site")
    print(f"网站 site: {out / 'index.html'}  ({len(results) - len(failed)}/{len(results)} 个笔记本 notebooks)")
    for r in failed:
        print(f"错误 error: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmlab", description="crmlab 客户关系管理工作簿 command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("lab", help="在 JupyterLab 中打开工作簿 open the workbook in JupyterLab",
                       epilog="Other options (e.g. --no-browser, --port 8890) are passed to jupyter lab.")
    p.add_argument("--locale", default=_default_locale(), choices=["zh_CN", "en"],
                   help="界面默认语言 default UI language (default: zh_CN, or $CRMLAB_LOCALE)")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("build", help="运行全部笔记本并生成静态网站 execute every notebook, write build/site/")
    p.add_argument("notebooks", nargs="*", help="only these notebooks (default: all of notebooks/ and exercises/)")
    p.add_argument("--out", help="output folder (default: build/site under the workbook)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel kernels (default: number of cores)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    p.add_argument("--inplace", action="store_true",
                   help="also write executed outputs back into the source notebooks (authors only)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("setup", help="注册内核并写入 JupyterLab 默认设置 register kernel, write lab defaults")
    p.add_argument("--locale", default=_default_locale(), choices=["zh_CN", "en"])
    p.set_defaults(func=cmd_setup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"无法识别的参数 unrecognized arguments: {' '.join(extra)}")
    args.jupyter_args = extra
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"crmlab: 错误 error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
