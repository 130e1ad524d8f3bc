#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager (garbage collection and namespace deletion) and etcd from the Go module proxy into an ignored cache keyed by version.
# A second run with the cache present returns at once. Concurrent runs wait on a lock and reuse the result.
# Progress goes to stderr; the only line on stdout is the bin dir.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
K8S_VERSION="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
ETCD_VERSION="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
STAMP="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}"
BIN="${KUBE_BIN_DIR:-$ROOT/.cache/kube/$STAMP/bin}"

is_built() {
  [[ -x "$BIN/kube-apiserver" && -x "$BIN/kube-controller-manager" && -x "$BIN/etcd" && "$(cat "$BIN/.version" 2>/dev/null)" == "$STAMP" ]]
}

if is_built; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$BIN"
# One build at a time per bin dir: a second caller waits, then finds the binaries built.
exec 9>"$BIN/.build.lock"
if ! flock -n 9; then
  echo ">> another build of $STAMP is running; waiting for it" >&2
  flock 9
fi
if is_built; then
  echo "$BIN"
  exit 0
fi

# run_step (progress while a long step runs) is shared with the other tools/*/build.sh scripts.
source "$ROOT/tools/lib/build-go.sh"
BUILD_START=$SECONDS
START=$BUILD_START

MINOR="$(echo "$K8S_VERSION" | cut -d. -f2)"
LD="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD="$LD -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$MINOR -X $p.gitTreeState=clean"
done
export CGO_ENABLED=0
run_step "downloading Go modules (first run only)" go mod download
# Write to temporary names, then rename, so an interrupted build never leaves a half-written binary.
run_step "building etcd $ETCD_VERSION (first run only, about 1 minute)" \
  go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3
run_step "building kube-apiserver $K8S_VERSION (first run only, about 5 minutes on 2 cores)" \
  go build -trimpath -ldflags "$LD" -o "$BIN/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
run_step "building kube-controller-manager $K8S_VERSION (first run only, about 2 minutes after kube-apiserver)" \
  go build -trimpath -ldflags "$LD" -o "$BIN/kube-controller-manager.tmp" k8s.io/kubernetes/cmd/kube-controller-manager
mv "$BIN/etcd.tmp" "$BIN/etcd"
mv "$BIN/kube-apiserver.tmp" "$BIN/kube-apiserver"
mv "$BIN/kube-controller-manager.tmp" "$BIN/kube-controller-manager"
echo "$STAMP" > "$BIN/.version"
echo ">> built $STAMP in $((SECONDS - START))s" >&2
echo "$BIN"
