#!/usr/bin/env bash
# Builds Flux's source-controller and kustomize-controller from the Go module proxy into .cache/flux/<versions>/bin,
# with the controllers' real CRDs beside them in crds/. Prints the bin dir on stdout; progress on stderr.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
source "$ROOT/tools/lib/build-go.sh"
export GOFLAGS=-mod=mod
SOURCE_VERSION="$(go list -m -f '{{.Version}}' github.com/fluxcd/source-controller)"
KUSTOMIZE_VERSION="$(go list -m -f '{{.Version}}' github.com/fluxcd/kustomize-controller)"
STAMP="source-controller-${SOURCE_VERSION}_kustomize-controller-${KUSTOMIZE_VERSION}"
post_build() {
  mkdir -p "$1/crds"
  for m in github.com/fluxcd/source-controller github.com/fluxcd/kustomize-controller; do
    cp "$(go list -m -f '{{.Dir}}' "$m")"/config/crd/bases/*.yaml "$1/crds/"
  done
  chmod u+w "$1"/crds/*.yaml
}
go_build_cached "$STAMP" "${FLUX_BIN_DIR:-$ROOT/.cache/flux/$STAMP/bin}" \
  source-controller=github.com/fluxcd/source-controller \
  kustomize-controller=github.com/fluxcd/kustomize-controller
