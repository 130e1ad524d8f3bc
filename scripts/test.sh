#!/usr/bin/env bash
# Installs everything and runs every test: type check, lint, unit and integration tests (jest, against a
# local Space of real kube-apiservers started here), and end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/toolchain.sh
export CI=true

step() { echo; echo "==== $* ($(date +%T))"; }

step "install dependencies"
yarn install --immutable

step "system packages (chromium for end-to-end tests)"
scripts/ensure-system-packages.sh

step "kube-apiserver and etcd (cached in .cache/kube)"
tools/kube/build.sh

step "Crossplane, function-patch-and-transform and provider-nop (cached in .cache/crossplane)"
tools/crossplane/build.sh

step "Flux, Argo CD and Helm for the local Space's GitOps engines (cached in .cache/flux, .cache/argocd, .cache/helm)"
tools/flux/build.sh
tools/argocd/build.sh
tools/helm/build.sh

SPACE_DIR="$(mktemp -d -t upbound-local-space-XXXXXX)"
cleanup() {
  node packages/local-space/bin/local-space.ts stop --state-dir "$SPACE_DIR" >/dev/null 2>&1 || true
  [[ -n "${APP_PID:-}" ]] && kill -- -"$APP_PID" 2>/dev/null || true
  rm -rf "$SPACE_DIR"
}
trap cleanup EXIT

step "start the local Space for tests"
node packages/local-space/bin/local-space.ts start --state-dir "$SPACE_DIR" --base-port 26440
export UPBOUND_LOCAL_SPACE_STATE="$SPACE_DIR/state.json"

step "type check"
yarn tsc

step "lint"
yarn backstage-cli repo lint

step "API and knip reports of the plugins (on failure: yarn build:api-reports, yarn build:knip-reports; commit the reports)"
yarn build:api-reports --ci
yarn build:knip-reports --ci

step "unit and integration tests (jest)"
yarn backstage-cli repo test --maxWorkers=2

step "end-to-end tests (Playwright in Debian Chromium)"
scripts/e2e.sh "$SPACE_DIR"

step "all tests passed"
