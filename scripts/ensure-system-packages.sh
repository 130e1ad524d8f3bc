#!/usr/bin/env bash
# Debian packages the tests need: chromium (Playwright drives it; no browser download), a PostgreSQL
# server (multi-replica tests), and for the local Space's GitOps engines git (the Git server is Git's own
# http-backend; Argo CD's repo-server clones with it) and redis-server (Argo CD's cache). Installed only
# when missing.
set -euo pipefail
# `--space-only`: just what the local Space needs (make dev).
need=()
if [[ "${1:-}" != "--space-only" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
fi
[[ -x /usr/lib/git-core/git-http-backend ]] || need+=(git)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if ((${#need[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo ">> apt-get install ${need[*]}"
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${need[@]}"; }
fi
[[ "${1:-}" == "--space-only" ]] || /usr/bin/chromium --version
