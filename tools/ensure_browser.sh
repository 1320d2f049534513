#!/usr/bin/env bash
# Make sure the browser test can run: Debian's Chromium and a CJK system font (so the page's
# Chinese text is not drawn as boxes). Installs them with apt-get when this user may (root, or
# password-less sudo). Otherwise says so; the browser test then skips, except under CI=true,
# where a missing browser is an error.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; }; then
  need+=(fonts-noto-cjk)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi
if [ "$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then
  echo "== 安装浏览器测试所需 installing for the browser test: ${need[*]}"
  if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt-get install ${need[*]} failed" >&2
else
  echo "注意 note: 缺少 missing ${need[*]}; 浏览器测试将跳过 (browser test will be skipped)." >&2
  echo "  安装 install: sudo apt-get install chromium fonts-noto-cjk" >&2
fi
[ "${CI:-}" = "true" ] && { echo "CI=true: the browser test must run" >&2; exit 1; }
exit 0
