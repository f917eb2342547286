#!/usr/bin/env bash
# Puts a real kube-apiserver, etcd and kubectl where fabric8's kube-api-test
# (io.fabric8:kube-api-test) looks for them, so integration tests can start a real
# API server without kube-api-test's own download (which needs GitHub):
#
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<major.minor.patch>-linux-<arch>/{kube-apiserver,etcd,kubectl}
#
# kube-api-test requires all three files: it starts etcd and kube-apiserver, and polls
# readiness with `kubectl get ns default`. With no version configured it uses the newest
# such directory present and never touches the network.
#
# kube-apiserver and kubectl are built with `go build` from the Go module proxy inside a
# throwaway module (k8s.io/kubernetes's own replace directives point at staging
# directories its module zip lacks, so every k8s.io/* staging module is pinned to the
# matching v0.Y.Z). etcd is built the same way from go.etcd.io/etcd/server/v3, or, with
# KGADGET_ETCD=debian, taken from Debian's etcd-server package. Nothing is committed:
# the throwaway modules live under ${XDG_CACHE_HOME:-~/.cache}/kgadget/.
#
# Idempotent: if the three binaries are already in place it exits 0 at once.
#
# Environment:
#   KGADGET_K8S_VERSION   Kubernetes version to build (default 1.34.4, no leading "v")
#   KGADGET_ETCD_VERSION  etcd version to build (default: the one k8s.io/kubernetes pins)
#   KGADGET_ETCD          build (default) | debian
#   KUBE_API_TEST_DIR     kube-api-test's directory (default ~/.kubeapitest; kube-api-test
#                         reads the same variable)
# Usage: hack/kube-apiserver-binaries.sh        (prints the binaries' directory on stdout)
set -euo pipefail

K8S_VERSION="${KGADGET_K8S_VERSION:-1.34.4}"
K8S_VERSION="${K8S_VERSION#v}"
ETCD_MODE="${KGADGET_ETCD:-build}"
API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/kgadget"

log() { printf '[kube-apiserver-binaries] %s\n' "$*" >&2; }
die() { printf '[kube-apiserver-binaries] ERROR: %s\n' "$*" >&2; exit 1; }

case "$K8S_VERSION" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) die "KGADGET_K8S_VERSION must look like 1.34.4, got '$K8S_VERSION'" ;;
esac
case "$ETCD_MODE" in build|debian) ;; *) die "KGADGET_ETCD must be build or debian, got '$ETCD_MODE'" ;; esac

# kube-api-test's OSInfo: os.name lower-cased; os.arch aarch64->arm64, ppc64->ppc64le, else amd64.
case "$(uname -m)" in
  x86_64|amd64) ARCH=amd64 ;;
  aarch64|arm64) ARCH=arm64 ;;
  *) die "unsupported machine $(uname -m) (kube-api-test would call it amd64)" ;;
esac
[ "$(uname -s)" = Linux ] || die "only Linux is supported"

TARGET="$API_TEST_DIR/k8s/${K8S_VERSION}-linux-${ARCH}"
BINARIES=(kube-apiserver etcd kubectl)

have_all() {
  local d="$1" b
  for b in "${BINARIES[@]}"; do [ -x "$d/$b" ] || return 1; done
}

if have_all "$TARGET"; then
  log "already present: $TARGET"
  echo "$TARGET"
  exit 0
fi
if [ -e "$TARGET" ]; then
  # kube-api-test takes an existing directory as complete; never leave a partial one.
  die "$TARGET exists but lacks some of ${BINARIES[*]}; remove it and run again"
fi

command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || die "go not found on PATH or in /usr/local/go/bin"

export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" GOTOOLCHAIN=local
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/kube-apiserver-binaries.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
START=$SECONDS

# --- go.mod of k8s.io/kubernetes: its go line, godebug line, staging modules, etcd pin ---
log "fetching k8s.io/kubernetes v$K8S_VERSION from the Go module proxy"
go mod download k8s.io/kubernetes@"v$K8S_VERSION" >/dev/null 2>"$STAGE/dl.err" \
  || die "go mod download k8s.io/kubernetes@v$K8S_VERSION failed: $(tail -n1 "$STAGE/dl.err")"
K8S_MOD="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$K8S_VERSION.mod"
[ -f "$K8S_MOD" ] || die "missing $K8S_MOD after download"

GO_LINE="$(grep -m1 -E '^go [0-9]' "$K8S_MOD")" || die "no go line in $K8S_MOD"
GODEBUG_LINE="$(grep -m1 -E '^godebug ' "$K8S_MOD" || true)"
mapfile -t STAGING < <(sed -nE 's#^[[:space:]]*(k8s\.io/[A-Za-z0-9._-]+)[[:space:]]+=>[[:space:]]+\./staging/.*#\1#p' "$K8S_MOD")
[ "${#STAGING[@]}" -gt 0 ] || die "no staging replace lines found in $K8S_MOD"
MINOR="${K8S_VERSION#*.}"; MINOR="${MINOR%%.*}"
STAGING_VERSION="v0.${K8S_VERSION#*.}"

# --- kube-apiserver + kubectl --------------------------------------------------------
build_k8s() {
  local mod="$CACHE_ROOT/k8s-build/v$K8S_VERSION"
  mkdir -p "$mod"
  {
    echo "// Throwaway module: builds kube-apiserver and kubectl from the Go module proxy. Not committed."
    echo "module kgadget.local/kube-apiserver-build"
    echo
    echo "$GO_LINE"
    [ -n "$GODEBUG_LINE" ] && echo "$GODEBUG_LINE"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    echo "replace ("
    local m
    for m in "${STAGING[@]}"; do echo "	$m => $m $STAGING_VERSION"; done
    echo ")"
  } >"$mod/go.mod"
  local pkg="k8s.io/component-base/version" cgo="k8s.io/client-go/pkg/version"
  local ld="-s -w"
  local p
  for p in "$pkg" "$cgo"; do
    ld+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$MINOR"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  log "building kube-apiserver and kubectl v$K8S_VERSION (${#STAGING[@]} staging modules pinned to $STAGING_VERSION; cold cache: ~5 min on 2 cores)"
  (cd "$mod" && go build -trimpath -ldflags="$ld" -o "$STAGE/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl) >"$STAGE/k8s.log" 2>&1 \
    || { cat "$STAGE/k8s.log" >&2; die "go build of kube-apiserver/kubectl v$K8S_VERSION failed (log above)"; }
  log "kube-apiserver and kubectl built ($((SECONDS - START))s so far)"
}

# --- etcd ----------------------------------------------------------------------------
build_etcd() {
  local v="${KGADGET_ETCD_VERSION:-}"
  if [ -z "$v" ]; then
    v="$(sed -nE 's#^[[:space:]]*go\.etcd\.io/etcd/server/v3[[:space:]]+(v[0-9.]+).*#\1#p' "$K8S_MOD" | head -n1)"
    [ -n "$v" ] || die "cannot find the etcd version pinned by k8s.io/kubernetes v$K8S_VERSION; set KGADGET_ETCD_VERSION"
  fi
  v="v${v#v}"
  log "fetching go.etcd.io/etcd/server/v3 $v"
  go mod download go.etcd.io/etcd/server/v3@"$v" >/dev/null 2>"$STAGE/dl.err" \
    || die "go mod download go.etcd.io/etcd/server/v3@$v failed: $(tail -n1 "$STAGE/dl.err")"
  local emod="$(go env GOMODCACHE)/cache/download/go.etcd.io/etcd/server/v3/@v/$v.mod"
  local goline mods m
  goline="$(grep -m1 -E '^go [0-9]' "$emod")" || die "no go line in $emod"
  # Its replace lines point at sibling directories (../api, ../pkg, ...) the zip lacks.
  mapfile -t mods < <(sed -nE 's#^[[:space:]]*(replace[[:space:]]+)?(go\.etcd\.io/etcd/[A-Za-z0-9/._-]+)[[:space:]]+=>[[:space:]]+\.\./.*#\2#p' "$emod")
  local mod="$CACHE_ROOT/etcd-build/$v"
  mkdir -p "$mod"
  {
    echo "// Throwaway module: builds etcd from the Go module proxy. Not committed."
    echo "module kgadget.local/etcd-build"
    echo
    echo "$goline"
    echo
    echo "require go.etcd.io/etcd/server/v3 $v"
    echo
    echo "replace ("
    for m in "${mods[@]}"; do echo "	$m => $m $v"; done
    echo ")"
  } >"$mod/go.mod"
  log "building etcd $v"
  (cd "$mod" && go build -trimpath -ldflags="-s -w" -o "$STAGE/etcd" go.etcd.io/etcd/server/v3) \
      >"$STAGE/etcd.log" 2>&1 \
    || { cat "$STAGE/etcd.log" >&2; die "go build of etcd $v failed (log above)"; }
  log "etcd built ($((SECONDS - START))s so far)"
}

debian_etcd() {
  command -v apt-get >/dev/null 2>&1 || die "KGADGET_ETCD=debian needs apt-get"
  log "fetching Debian etcd-server (binary only; no service is installed or started)"
  local d="$STAGE/deb"
  mkdir -p "$d"
  if ! (cd "$d" && apt-get download etcd-server) >"$STAGE/apt.log" 2>&1; then
    apt-get update -qq >>"$STAGE/apt.log" 2>&1 || true
    (cd "$d" && apt-get download etcd-server) >>"$STAGE/apt.log" 2>&1 \
      || die "apt-get download etcd-server failed: $(tail -n1 "$STAGE/apt.log")"
  fi
  dpkg-deb -x "$d"/etcd-server_*.deb "$d/root" || die "cannot unpack etcd-server .deb"
  [ -x "$d/root/usr/bin/etcd" ] || die "etcd-server .deb has no usr/bin/etcd"
  cp "$d/root/usr/bin/etcd" "$STAGE/etcd"
}

build_k8s
if [ "$ETCD_MODE" = debian ]; then debian_etcd; else build_etcd; fi

"$STAGE/kube-apiserver" --version >/dev/null 2>&1 || die "built kube-apiserver does not run"
"$STAGE/kubectl" version --client >/dev/null 2>&1 || die "built kubectl does not run"
"$STAGE/etcd" --version >/dev/null 2>&1 || die "etcd does not run"

# Install atomically: kube-api-test treats an existing version directory as complete.
mkdir -p "$API_TEST_DIR/k8s"
NEW="$API_TEST_DIR/k8s/.tmp-${K8S_VERSION}.$$"
rm -rf "$NEW"; mkdir "$NEW"
for b in "${BINARIES[@]}"; do install -m 0755 "$STAGE/$b" "$NEW/$b"; done
mv -T "$NEW" "$TARGET" 2>/dev/null || { rm -rf "$NEW"; have_all "$TARGET" || die "cannot move binaries to $TARGET"; }

log "done in $((SECONDS - START))s: $TARGET"
log "  $("$TARGET/kube-apiserver" --version 2>&1 | head -n1); $("$TARGET/etcd" --version 2>&1 | head -n1)"
echo "$TARGET"
