#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy (no prebuilt download exists here) and
# caches them where fabric8 kube-api-test looks: ~/.kubeapitest/k8s/<version>-linux-amd64/.
# With the argument "node" it builds the node tier's kubelet, kube-controller-manager, kube-scheduler
# and kube-proxy into the same directory instead (scripts/node-tools.sh).
# Idempotent: returns at once when the binaries are in place.
set -euo pipefail
K8S_VERSION="${K8S_VERSION:-1.34.2}"
ETCD_VERSION="${ETCD_VERSION:-3.6.4}"
dest="${KUBEAPITEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
mode="${1:-apiserver}"
case "$mode" in
  apiserver) kube_cmds=(kube-apiserver) ;;
  node) kube_cmds=(kubelet kube-controller-manager kube-scheduler kube-proxy) ;;
  *) echo "ERROR: unknown mode '$mode' (apiserver or node)" >&2; exit 2 ;;
esac
missing=()
for cmd in "${kube_cmds[@]}"; do [[ -x "$dest/$cmd" ]] || missing+=("$cmd"); done
[[ "$mode" == node || -x "$dest/etcd" ]] || missing+=(etcd)
if ((${#missing[@]} == 0)); then
  echo "kube binaries ($mode): cached in $dest"
  exit 0
fi
command -v go >/dev/null || { echo "ERROR: go is not installed; it is needed to build ${missing[*]}" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$dest"
staging_minor="0.${K8S_VERSION#1.}"
echo "kube binaries: building ${missing[*]} v$K8S_VERSION (one time, ~5-20 min on 2 cores)"

# k8s.io/kubernetes points every staging module at ./staging; a wrapper module replaces each of
# them with its published v0.x.y so the build works from the proxy alone.
mkdir -p "$work/k8s" && cd "$work/k8s"
modinfo=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION")
gomod=$(echo "$modinfo" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
{
  echo "module almanac.dev/kubebuild"
  echo "go 1.24.0"
  echo "require k8s.io/kubernetes v$K8S_VERSION"
  grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" \
    | awk -v v="v$staging_minor" '{print "replace " $1 " => " $1 " " v}'
} > go.mod
{
  echo "//go:build tools"
  echo "package tools"
  for cmd in "${kube_cmds[@]}"; do echo "import _ \"k8s.io/kubernetes/cmd/$cmd\""; done
} > tools.go
go mod tidy >/dev/null 2>&1 || true
for cmd in "${kube_cmds[@]}"; do
  [[ -x "$dest/$cmd" ]] && continue
  go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" \
    -o "$dest/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
  mv "$dest/$cmd.tmp" "$dest/$cmd"
done
if [[ "$mode" == node ]]; then
  for cmd in "${kube_cmds[@]}"; do echo "$cmd $("$dest/$cmd" --version 2>&1 | tail -1)"; done
  exit 0
fi
[[ -x "$dest/etcd" ]] && { "$dest/kube-apiserver" --version; exit 0; }

# etcd: its server module has the main package.
mkdir -p "$work/etcd" && cd "$work/etcd"
cat > go.mod <<GOMOD
module almanac.dev/etcdbuild
go 1.24.0
require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
GOMOD
cat > tools.go <<'GO'
//go:build tools
package tools
import _ "go.etcd.io/etcd/server/v3"
GO
go mod tidy >/dev/null 2>&1 || true
go build -trimpath -ldflags "-s -w" -o "$dest/etcd.tmp" go.etcd.io/etcd/server/v3
mv "$dest/etcd.tmp" "$dest/etcd"
"$dest/kube-apiserver" --version
"$dest/etcd" --version | sed -n 1p
