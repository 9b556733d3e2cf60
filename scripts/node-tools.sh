#!/usr/bin/env bash
# Installs and caches what the real-node test tier (testbed RealNode, `make demo-cluster`) needs.
# Idempotent: a second run only checks what is in place. Called from scripts/test-tools.sh.
#   apt:  containerd runc CNI plugins iptables conntrack socat ebtables ethtool nftables mmdebstrap umoci skopeo
#   ~/.kubeapitest/k8s/<k8s>-linux-amd64/{kubelet,kube-controller-manager,kube-scheduler,kube-proxy}  (Go module proxy)
#   ~/.cache/almanac/bin/crictl                         (Go module proxy)
#   ~/.cache/almanac/node/images/pause-<v>.tar            (static C pause binary, umoci + skopeo)
#   ~/.cache/almanac/node/images/jre17-<recipe hash>.tar  (mmdebstrap bookworm + openjdk-17-jre-headless)
# No registry is reachable here, so every image is built from Debian packages; the tars are
# docker-archive files that `ctr images import` and Jib (`-Dimage.base=tar://...`) both read.
# Usage: node-tools.sh [all|packages|binaries|images]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${ALMANAC_CACHE:-$HOME/.cache/almanac}"
BIN="$CACHE/bin"
IMAGES="$CACHE/node/images"
K8S_VERSION="${K8S_VERSION:-1.34.2}"
CRICTL_VERSION="${CRICTL_VERSION:-1.34.0}"
PAUSE_VERSION="3.10"
DEBIAN_SUITE="bookworm"
DEBIAN_MIRROR="${ALMANAC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# libgomp1: the LightGBM and XGBoost natives link against it.
JRE_PACKAGES="openjdk-17-jre-headless,libgomp1"
what="${1:-all}"
mkdir -p "$BIN" "$IMAGES"
step() { printf '\n== node: %s\n' "$*"; }
fail() { echo "ERROR: $*" >&2; exit 1; }
SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"

packages() {
  step "system packages (container runtime, network, image tools)"
  local need=() cmd pkg
  while read -r cmd pkg; do
    command -v "$cmd" >/dev/null || [[ -e "$cmd" ]] || need+=("$pkg")
  done <<'LIST'
containerd containerd
runc runc
/usr/lib/cni/bridge containernetworking-plugins
iptables iptables
conntrack conntrack
socat socat
ebtables ebtables
ethtool ethtool
nft nftables
mmdebstrap mmdebstrap
umoci umoci
skopeo skopeo
gcc gcc
LIST
  [[ -e /usr/include/stdio.h ]] || need+=(libc6-dev)
  if ((${#need[@]})); then
    command -v apt-get >/dev/null || fail "missing ${need[*]} and no apt-get to install them"
    echo "installing: ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "present"
  fi
}

binaries() {
  step "kubelet, kube-controller-manager, kube-scheduler, kube-proxy v$K8S_VERSION"
  K8S_VERSION="$K8S_VERSION" bash "$here/build-kube-binaries.sh" node
  step "crictl v$CRICTL_VERSION"
  local stamp="$BIN/.crictl-version"
  if [[ -x "$BIN/crictl" && "$(cat "$stamp" 2>/dev/null)" == "$CRICTL_VERSION" ]]; then
    echo "cached in $BIN"
  else
    command -v go >/dev/null || fail "go is needed to build crictl"
    GOBIN="$BIN" CGO_ENABLED=0 GOTOOLCHAIN=local go install -trimpath -ldflags "-s -w" "sigs.k8s.io/cri-tools/cmd/crictl@v$CRICTL_VERSION"
    echo "$CRICTL_VERSION" > "$stamp"
  fi
  "$BIN/crictl" --version
}

# Packs a root filesystem tar as a one-layer image and writes it as a docker-archive tar.
pack_image() { # rootfs.tar name:tag out.tar umoci-config-args...
  local rootfs=$1 ref=$2 out=$3; shift 3
  local work; work="$(mktemp -d)"
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:img"
  umoci raw add-layer --image "$work/oci:img" "$rootfs"
  umoci config --image "$work/oci:img" --architecture amd64 --os linux "$@"
  skopeo copy --quiet "oci:$work/oci:img" "docker-archive:$out.tmp:$ref"
  mv "$out.tmp" "$out"
  rm -rf "$work"
}

images() {
  step "pause image localhost/pause:$PAUSE_VERSION"
  local pause="$IMAGES/pause-$PAUSE_VERSION.tar"
  if [[ -f "$pause" ]]; then
    echo "cached: $pause"
  else
    local work; work="$(mktemp -d)"
    mkdir -p "$work/root"
    gcc -Os -static -o "$work/root/pause" "$here/node/pause.c"
    strip "$work/root/pause"
    tar -C "$work/root" --owner=0 --group=0 -cf "$work/rootfs.tar" pause
    pack_image "$work/rootfs.tar" "localhost/pause:$PAUSE_VERSION" "$pause" --config.entrypoint /pause
    rm -rf "$work"
    echo "built: $pause"
  fi

  step "JRE base image localhost/almanac-jre:17 ($DEBIAN_SUITE + $JRE_PACKAGES)"
  local key; key="$(printf '%s\n' "$DEBIAN_SUITE" "$JRE_PACKAGES" "$(sed -n '/^jre_rootfs()/,/^}/p' "${BASH_SOURCE[0]}")" | sha256sum | cut -c1-12)"
  local jre="$IMAGES/jre17-$key.tar"
  if [[ -f "$jre" ]]; then
    echo "cached: $jre"
  else
    local work; work="$(mktemp -d)"
    local t0=$SECONDS
    jre_rootfs "$work/rootfs.tar"
    pack_image "$work/rootfs.tar" "localhost/almanac-jre:17" "$jre" \
      --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env LANG=C.UTF-8 \
      --config.env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
    rm -rf "$work"
    echo "built in $((SECONDS - t0)) s: $jre"
  fi
  ln -sfn "$(basename "$jre")" "$IMAGES/jre17.tar"
  ls -l --block-size=M "$pause" "$jre" | awk '{print $5, $9}'
}

jre_rootfs() { # out.tar
  $SUDO mmdebstrap --quiet --mode=root --variant=essential --include="$JRE_PACKAGES" \
    --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
    "$DEBIAN_SUITE" "$1" "$DEBIAN_MIRROR"
}

case "$what" in
  all) packages; binaries; images ;;
  packages) packages ;;
  binaries) binaries ;;
  images) images ;;
  *) fail "unknown step '$what' (all, packages, binaries, images)" ;;
esac
