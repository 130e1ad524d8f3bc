#!/usr/bin/env bash
# Builds the Helm CLI from the Go module proxy into .cache/helm/<version>/bin: Argo CD's repo-server runs it to
# pull and render Helm charts, as Argo CD's own image ships it. Prints the bin dir on stdout; progress on stderr.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
source "$ROOT/tools/lib/build-go.sh"
export GOFLAGS=-mod=mod
VERSION="$(go list -m -f '{{.Version}}' helm.sh/helm/v3)"
STAMP="helm-${VERSION}"
go_build_cached "$STAMP" "${HELM_BIN_DIR:-$ROOT/.cache/helm/$STAMP/bin}" \
  "helm=helm.sh/helm/v3/cmd/helm@-s -w -X helm.sh/helm/v3/internal/version.version=${VERSION}"
