#!/usr/bin/env bash
# Installs everything, starts the local Space (real kube-apiservers on loopback) and the example app
# pointed at it: frontend on :3000, backend on :7007. Ctrl-C stops the app; the Space keeps running
# until `make space-stop`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
echo ">> installing dependencies (yarn install --immutable)"
yarn install --immutable
scripts/ensure-system-packages.sh --space-only
echo ">> starting the local Space (first run builds kube-apiserver, etcd, Flux and Argo CD from Go modules)"
node packages/local-space/bin/local-space.ts start
# Absolute paths: `repo start` resolves config paths from each package folder.
CONFIGS=(--config "$PWD/app-config.yaml" --config "$PWD/.local-space/app-config.local-space.yaml")
[[ -f app-config.local.yaml ]] && CONFIGS+=(--config "$PWD/app-config.local.yaml")
echo ">> starting Backstage: http://localhost:3000 (backend http://localhost:7007)"
exec yarn backstage-cli repo start "${CONFIGS[@]}"
