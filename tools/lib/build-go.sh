# Shared by tools/*/build.sh: builds Go binaries once into a bin dir keyed by a version stamp.
# Source it from the Go module's directory, then call
#
#   go_build_cached STAMP BIN_DIR name=package[@ldflags] ...
#
# A second run with the binaries present returns at once. Concurrent runs wait on a lock and reuse the
# result. Binaries are written under temporary names and renamed, so an interrupted build never leaves a
# half-written one. A `post_build BIN_DIR` function, when the caller defines one, runs after the binaries
# are built and before the stamp is written (copy CRDs or manifests from the module cache there).
# Progress goes to stderr; the only line on stdout is the bin dir. ldflags default to "-s -w".

_BUILD_GO_START=$SECONDS

# Prints elapsed time while a long step runs, so a cold build never looks stuck.
run_step() {
  local label="$1"
  shift
  echo ">> $label" >&2
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 30); do
      sleep 1
      kill -0 "$pid" 2>/dev/null || break
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "   ... still $label ($((SECONDS - _BUILD_GO_START))s elapsed)" >&2
    fi
  done
  wait "$pid"
}

_is_built() {
  local stamp="$1" bin="$2" spec
  shift 2
  for spec in "$@"; do
    [[ -x "$bin/${spec%%=*}" ]] || return 1
  done
  [[ "$(cat "$bin/.version" 2>/dev/null)" == "$stamp" ]]
}

go_build_cached() {
  local stamp="$1" bin="$2"
  shift 2
  if _is_built "$stamp" "$bin" "$@"; then
    echo "$bin"
    return 0
  fi
  mkdir -p "$bin"
  # One build at a time per bin dir: a second caller waits, then finds the binaries built.
  exec 9>"$bin/.build.lock"
  if ! flock -n 9; then
    echo ">> another build of $stamp is running; waiting for it" >&2
    flock 9
  fi
  if _is_built "$stamp" "$bin" "$@"; then
    echo "$bin"
    return 0
  fi
  _BUILD_GO_START=$SECONDS
  export CGO_ENABLED=0
  run_step "downloading Go modules for $stamp (first run only)" go mod download
  local spec name target pkg ldflags
  for spec in "$@"; do
    name="${spec%%=*}"
    target="${spec#*=}"
    pkg="${target%%@*}"
    ldflags="-s -w"
    [[ "$target" == *@* ]] && ldflags="${target#*@}"
    run_step "building $name from $pkg (first run only)" \
      go build -trimpath -ldflags "$ldflags" -o "$bin/$name.tmp" "$pkg"
  done
  for spec in "$@"; do
    name="${spec%%=*}"
    mv "$bin/$name.tmp" "$bin/$name"
  done
  if declare -F post_build >/dev/null; then
    post_build "$bin"
  fi
  echo "$stamp" >"$bin/.version"
  echo ">> built $stamp in $((SECONDS - _BUILD_GO_START))s" >&2
  echo "$bin"
}
