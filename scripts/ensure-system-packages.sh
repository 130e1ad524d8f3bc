#!/usr/bin/env bash
# Debian packages the tests need: chromium (Playwright drives it; no browser download) and a
# PostgreSQL server (multi-replica tests). Installed only when missing.
set -euo pipefail
need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
if ((${#need[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo ">> apt-get install ${need[*]}"
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${need[@]}"; }
fi
/usr/bin/chromium --version
