#!/usr/bin/env bash
# Builds the app, starts the backend (which serves the app) on :7017 against a local Space, and runs the
# Playwright tests in Debian's Chromium. Usage: scripts/e2e.sh <local-space-state-dir>
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
SPACE_DIR="${1:?usage: scripts/e2e.sh <local-space-state-dir> [playwright args]}"
shift
ROOT="$PWD"
mkdir -p e2e/artifacts
echo ">> building the app"
yarn workspace app build >e2e/artifacts/app-build.log 2>&1 || { tail -50 e2e/artifacts/app-build.log; exit 1; }
echo ">> starting the backend on :7017"
(cd packages/backend && exec setsid yarn backstage-cli package start \
  --config "$ROOT/app-config.yaml" --config "$SPACE_DIR/app-config.local-space.yaml" \
  --config "$ROOT/e2e/app-config.e2e.yaml") >e2e/artifacts/backend.log 2>&1 &
APP_PID=$!
trap 'kill -- -$APP_PID 2>/dev/null || kill $APP_PID 2>/dev/null || true' EXIT
for i in $(seq 1 120); do
  if curl -fsS http://localhost:7017/api/upbound/health >/dev/null 2>&1; then break; fi
  if ! kill -0 $APP_PID 2>/dev/null; then tail -50 e2e/artifacts/backend.log; echo "backend exited"; exit 1; fi
  sleep 1
done
curl -fsS http://localhost:7017/api/upbound/health >/dev/null || { tail -50 e2e/artifacts/backend.log; exit 1; }
echo ">> backend ready after ${i}s"
E2E_BASE_URL=http://localhost:7017 UPBOUND_LOCAL_SPACE_STATE="$SPACE_DIR/state.json" yarn playwright test "$@"
