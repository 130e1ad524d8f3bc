#!/usr/bin/env bash
# Builds Crossplane core, function-patch-and-transform and provider-nop, each from its own small Go module
# (their dependency graphs conflict), into .cache/crossplane/<name>-<version>/bin, with their real CRDs
# beside the binaries in crds/. Their modules are not served by the public Go module proxy: goproxy/ holds
# them, unmodified, and comes first in GOPROXY.
# Prints one line per binary on stdout, `name=<bin dir>`; progress on stderr.
# `build.sh --crds` only fetches the modules and prints `crossplane=<dir>` and `provider-nop=<dir>`, the
# module CRD dirs, for a local Space that runs without Crossplane (seconds, no build).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${CROSSPLANE_CACHE_DIR:-$ROOT/.cache/crossplane}"
export GOPROXY="file://$HERE/goproxy,$(go env GOPROXY)"
# Not in the public checksum database; the committed go.sum files pin them.
export GONOSUMDB="github.com/crossplane/*,github.com/crossplane-contrib/*"
export GOFLAGS=-mod=mod

module_dir() {
  (cd "$HERE/$1" && go mod download "$2" && go list -m -f '{{.Dir}}' "$2")
}

if [[ "${1:-}" == "--crds" ]]; then
  echo "crossplane=$(module_dir core github.com/crossplane/crossplane/v2)/cluster/crds"
  echo "provider-nop=$(module_dir provider-nop github.com/crossplane-contrib/provider-nop)/package/crds"
  exit 0
fi

# build <module dir> <module path> <name>=<package>[@ldflags] <CRD dir in the module, or ""> [stamp suffix]
build() {
  local dir="$1" module="$2" spec="$3" crds="$4" suffix="${5:-}"
  (
    cd "$HERE/$dir"
    source "$ROOT/tools/lib/build-go.sh"
    local version name="${spec%%=*}" bin
    version="$(go list -m -f '{{.Version}}' "$module")"
    if [[ -n "$crds" ]]; then
      post_build() {
        mkdir -p "$1/crds"
        cp "$(go list -m -f '{{.Dir}}' "$module")/$crds"/*.yaml "$1/crds/"
        chmod u+w "$1"/crds/*.yaml
      }
    fi
    bin="$(go_build_cached "$name-$version$suffix" "$CACHE/$name-$version$suffix/bin" "${spec//\{version\}/$version}")"
    echo "$name=$bin"
  )
}

build core github.com/crossplane/crossplane/v2 \
  'crossplane=github.com/crossplane/crossplane/v2/cmd/crossplane@-s -w -X github.com/crossplane/crossplane-runtime/v2/pkg/version.version={version}' \
  cluster/crds
build function-patch-and-transform github.com/crossplane-contrib/function-patch-and-transform \
  function-patch-and-transform=github.com/crossplane-contrib/function-patch-and-transform ''

# provider-nop gets one added file (overlay/local_ports.go) so that its listeners can move off fixed ports.
# Go refuses overlays inside the module cache, so it builds from a copy of the module (in the cache dir)
# with the file added, through a replace in a copy of the wrapper's go.mod. The stamp carries the file's
# hash, so a change rebuilds it.
NOP_OVERLAY="$HERE/provider-nop/overlay/local_ports.go"
mkdir -p "$CACHE/src"
# A copy per run: a concurrent run must not replace the sources under a build that holds the lock.
NOP_TMP="$(mktemp -d "$CACHE/src/provider-nop.XXXXXX")"
trap 'rm -rf "$NOP_TMP"' EXIT
cp -r "$(module_dir provider-nop github.com/crossplane-contrib/provider-nop)" "$NOP_TMP/module"
chmod -R u+w "$NOP_TMP/module"
cp "$NOP_OVERLAY" "$NOP_TMP/module/cmd/provider/local_ports.go"
cp "$HERE/provider-nop/go.mod" "$NOP_TMP/go.mod"
cp "$HERE/provider-nop/go.sum" "$NOP_TMP/go.sum"
go mod edit -replace="github.com/crossplane-contrib/provider-nop=$NOP_TMP/module" "$NOP_TMP/go.mod"
GOFLAGS="-mod=mod -modfile=$NOP_TMP/go.mod" \
  build provider-nop github.com/crossplane-contrib/provider-nop \
  provider-nop=github.com/crossplane-contrib/provider-nop/cmd/provider package/crds \
  "-ports.$(sha256sum "$NOP_OVERLAY" | cut -c1-8)"
