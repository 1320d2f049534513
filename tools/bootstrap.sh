#!/usr/bin/env bash
# Create (or reuse) the workbook's virtual environment and install crmlab into it.
#   tools/bootstrap.sh VENV EXTRAS      e.g. tools/bootstrap.sh .venv test
# Needs only python3 (3.10–3.12). Idempotent: an existing environment is reused and pip only
# installs what is missing. Called by `make lab` and `make test`; you do not need to run it by hand.
set -euo pipefail
venv=${1:-.venv}
extras=${2:-}
cd "$(dirname "$0")/.."

pick_python() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  for cand in python3 python3.12 python3.11 python3.10; do
    if command -v "$cand" >/dev/null 2>&1 &&
       "$cand" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' 2>/dev/null; then
      echo "$cand"; return
    fi
  done
  command -v python3 || { echo "找不到 python3 (python3 not found): 请先安装 Python 3.10–3.12" >&2; exit 1; }
}

if [ ! -x "$venv/bin/python" ]; then
  py=$(pick_python)
  echo "== 创建虚拟环境 creating virtual environment $venv with $($py --version)"
  if ! "$py" -m venv "$venv" 2>/tmp/crmlab-venv.err; then
    rm -rf "$venv"
    # Debian/Ubuntu ship the venv module separately (python3-venv).
    pkg="python3-venv"
    ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "== 安装 installing python${ver}-venv with apt-get"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" ||
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"
      "$py" -m venv "$venv"
    else
      cat /tmp/crmlab-venv.err >&2
      echo "无法创建虚拟环境 (cannot create a venv)：请安装 python${ver}-venv，例如 sudo apt install python${ver}-venv" >&2
      exit 1
    fi
  fi
fi

spec="."
[ -n "$extras" ] && spec=".[$extras]"
echo "== 安装依赖 installing crmlab and its dependencies ($spec)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec"
"$venv/bin/crmlab" setup --locale "${CRMLAB_LOCALE:-zh_CN}" >/dev/null
echo "== 环境就绪 environment ready: $venv"
