#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy (no prebuilt download exists here) and
# caches them where fabric8 kube-api-test looks: ~/.kubeapitest/k8s/<version>-linux-amd64/.
# Idempotent: returns at once when both binaries are in place.
set -euo pipefail
K8S_VERSION="${K8S_VERSION:-1.34.2}"
ETCD_VERSION="${ETCD_VERSION:-3.6.4}"
dest="${KUBEAPITEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
if [[ -x "$dest/kube-apiserver" && -x "$dest/etcd" ]]; then
  echo "kube binaries: cached in $dest"
  exit 0
fi
command -v go >/dev/null || { echo "ERROR: go is not installed; it is needed to build kube-apiserver and etcd" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$dest"
staging_minor="0.${K8S_VERSION#1.}"
echo "kube binaries: building kube-apiserver v$K8S_VERSION and etcd v$ETCD_VERSION (one time, ~10-20 min on 2 cores)"

# kube-apiserver: k8s.io/kubernetes points every staging module at ./staging; a wrapper module
# replaces each of them with its published v0.x.y so the build works from the proxy alone.
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
cat > tools.go <<'GO'
//go:build tools
package tools
import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
go mod tidy >/dev/null 2>&1 || true
go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" \
  -o "$dest/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
mv "$dest/kube-apiserver.tmp" "$dest/kube-apiserver"

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
