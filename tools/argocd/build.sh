#!/usr/bin/env bash
# Builds Argo CD's multi-call binary (controller, repo-server, API server, CLI) from the Go module proxy into
# .cache/argocd/<version>/bin, with the real CRDs and base config manifests beside it in manifests/.
# Prints the bin dir on stdout; progress on stderr.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
source "$ROOT/tools/lib/build-go.sh"
export GOFLAGS=-mod=mod
VERSION="$(go list -m -f '{{.Version}}' github.com/argoproj/argo-cd/v3)"
STAMP="argocd-${VERSION}"
post_build() {
  local dir
  dir="$(go list -m -f '{{.Dir}}' github.com/argoproj/argo-cd/v3)"
  mkdir -p "$1/manifests/crds" "$1/manifests/config"
  cp "$dir"/manifests/crds/*-crd.yaml "$1/manifests/crds/"
  cp "$dir"/manifests/base/config/argocd-*.yaml "$1/manifests/config/"
  chmod -R u+w "$1/manifests"
}
go_build_cached "$STAMP" "${ARGOCD_BIN_DIR:-$ROOT/.cache/argocd/$STAMP/bin}" \
  "argocd=github.com/argoproj/argo-cd/v3/cmd@-s -w -X github.com/argoproj/argo-cd/v3/common.version=${VERSION#v}"
