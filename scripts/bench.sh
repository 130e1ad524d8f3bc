#!/usr/bin/env bash
# Benchmarks (bench/README.md): ingestion into the real catalog, freshness, the graph route, memory and
# the frontend bundle on a local Space, side by side with TeraSky.
# Usage: scripts/bench.sh [--quick | --curves] [--check] [--save] ... (--help for all)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=/dev/null
. scripts/toolchain.sh
args=" $* "

if [[ "$args" != *" --render "* && "$args" != *" --help "* && "$args" != *" -h "* ]]; then
  # The product's workspaces (bench code imports them from source).
  if [ ! -d node_modules/@upbound-backstage/plugin-upbound-node ]; then
    flock /tmp/upbound-yarn.lock yarn install --immutable
  fi
  # PostgreSQL for --postgres (Debian's package, as the integration tests use it).
  if [[ "$args" == *" --postgres "* ]] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    scripts/ensure-system-packages.sh
  fi
  # The bench-only TeraSky backend: its own npm tree, never part of the product's workspaces or lockfile.
  teraskyDir=bench/terasky-backend
  if [[ "$args" != *" --no-terasky "* && "$args" != *" --curves "* ]] &&
    [ ! -f "$teraskyDir/node_modules/.package-lock.json" ]; then
    echo ">> installing the TeraSky bench backend (npm ci in $teraskyDir)" >&2
    (cd "$teraskyDir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
      echo "!! npm ci failed in $teraskyDir; the TeraSky side by side will say why it did not run" >&2
  fi
fi

exec node --require @backstage/cli/config/nodeTransform.cjs bench/src/main.ts "$@"
