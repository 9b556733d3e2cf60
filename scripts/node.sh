#!/usr/bin/env bash
# A real one-node Kubernetes (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
# kube-proxy, containerd + runc, CNI bridge) inside a network namespace of its own, for the `node`
# test tier (testbed RealNode) and `make demo-cluster`. Tools: scripts/node-tools.sh.
#
#   node.sh up                      start (idempotent: returns at once when the node is up)
#   node.sh down                    stop everything and leave the host as it was
#   node.sh status                  exit 0 when the node is up
#   node.sh import <image.tar>...   load docker-archive tars into containerd (namespace k8s.io)
#   node.sh expose <host-port>      make 127.0.0.1:<host-port> of the host reachable from the node
#                                   and its pods at <node-ip>:<host-port>
#   node.sh forward <ip:port> <host-port>   make <ip:port> inside the node reachable on 127.0.0.1:<host-port>
#   node.sh env                     print KUBECONFIG=..., NODE_IP=..., NETNS=... for callers
#   node.sh verify-clean            compare the host with the baseline `up` recorded (exit 1 on a difference)
#
# Network rule: the namespace has lo, a veth pair leading nowhere (the node IP), the CNI bridge for
# pods, and a route for the service CIDR so ClusterIPs work from inside. No default route, no NAT
# out: the node and its pods reach only addresses inside the namespace. The host reaches the API and
# chosen ports, and the node reaches chosen host ports, through socat relays that meet on unix
# sockets (a unix socket path is not bound to a network namespace).
#
# Facts this relies on (measured on this kind of VM): CAP_SYS_RESOURCE is missing, so containerd
# must not raise oom_score_adj (restrict_oom_score_adj) and kubelet/kube-proxy run with oomScoreAdj 0;
# cgroup v1 needs failCgroupV1: false; the kubelet changes vm.overcommit_memory, kernel.panic and
# kernel.panic_on_oops host-wide, so their values are recorded first and put back.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${ALMANAC_CACHE:-$HOME/.cache/almanac}"
K8S_VERSION="${K8S_VERSION:-1.34.2}"
KBIN="${KUBEAPITEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
IMAGES="$CACHE/node/images"
R="${ALMANAC_NODE_DIR:-$CACHE/node/run}"
NETNS="${ALMANAC_NODE_NETNS:-almanac-node}"
NODE=almanac-node
NODE_IP=10.240.0.10
POD_CIDR=10.244.0.0/24
SVC_CIDR=10.96.0.0/24
SVC_API_IP=10.96.0.1
API_HOST_PORT="${ALMANAC_NODE_API_PORT:-16443}"
NS=(nsenter "--net=/run/netns/$NETNS")
HOST_SYSCTLS=(vm.overcommit_memory kernel.panic kernel.panic_on_oops)
CONTAINERD_SOCK=/run/containerd/containerd.sock
# Written by containerd, runc, the CNI plugins and the kubelet outside $R; removed at down unless
# they existed before up.
OUTSIDE_DIRS=(/run/containerd /run/runc /var/lib/cni /var/lib/kubelet /var/log/containers /usr/libexec/kubernetes)

log() { printf '[node %6.2fs] %s\n' "$(echo "$(date +%s.%N) - $T0" | bc)" "$*"; }
fail() { echo "ERROR: $*" >&2; exit 1; }
T0=$(date +%s.%N)
need() { [[ -x "$1" ]] || fail "$1 is missing; run: bash scripts/node-tools.sh"; }
kc() { "${NS[@]}" "$CACHE/bin/kubectl" --kubeconfig="$R/admin.kubeconfig" "$@"; }
# A pid file of a run that was killed (a machine restart, SIGKILL) may name a pid reused since by an
# unrelated process: ours is alive only when its command line names this node's state dir.
ours() { kill -0 "$1" 2>/dev/null && grep -qaF "$R" "/proc/$1/cmdline" 2>/dev/null; }
alive() { [[ -f "$R/pids/$1" ]] && ours "$(cat "$R/pids/$1")"; }
any_alive() {
  local f
  for f in "$R"/pids/*; do
    if [[ -f "$f" ]] && ours "$(cat "$f")"; then return 0; fi
  done
  return 1
}
bg() { # name command...: start a daemon inside the namespace, log and pid under $R
  local name=$1; shift
  setsid "${NS[@]}" "$@" > "$R/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$R/pids/$name"
}
bg_host() { # name command...: a daemon in the host namespace
  local name=$1; shift
  setsid "$@" > "$R/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$R/pids/$name"
}
wait_for() { # seconds description command...
  local until=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < until)) || fail "timed out after $1 s waiting for $what (logs: $R/logs)"
    sleep 0.2
  done
}

status() {
  alive kubelet && alive kube-apiserver && alive containerd && [[ -f "$R/READY" ]]
}

certs() {
  local P="$R/pki"
  mkdir -p "$P"
  [[ -f "$P/ca.crt" ]] && return 0
  (
    cd "$P"
    openssl genrsa -out ca.key 2048 2>/dev/null
    openssl req -x509 -new -nodes -key ca.key -subj "/CN=almanac-node-ca" -days 30 -out ca.crt
    local client='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth'
    sign() { # name CN O extensions
      openssl genrsa -out "$1.key" 2048 2>/dev/null
      local subj="/CN=$2"; [[ -n "$3" ]] && subj="/O=$3/CN=$2"
      openssl req -new -key "$1.key" -subj "$subj" -out "$1.csr"
      printf '%s\n' "$4" > "$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    sign apiserver kube-apiserver "" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP,IP:$SVC_API_IP"
    sign kubelet-serving "$NODE" "" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:$NODE,IP:$NODE_IP"
    sign apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "$client"
    sign admin admin system:masters "$client"
    sign controller-manager system:kube-controller-manager "" "$client"
    sign scheduler system:kube-scheduler "" "$client"
    sign kube-proxy system:kube-proxy "" "$client"
    sign kubelet "system:node:$NODE" system:nodes "$client"
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  for who in admin:admin controller-manager:controller-manager scheduler:scheduler kube-proxy:kube-proxy kubelet:kubelet; do
    kubeconfig "${who%%:*}" "${who#*:}" "https://127.0.0.1:6443" > "$R/${who%%:*}.kubeconfig"
  done
  kubeconfig admin admin "https://127.0.0.1:$API_HOST_PORT" > "$R/admin-host.kubeconfig"
}

kubeconfig() { # user cert server
  cat <<KC
apiVersion: v1
kind: Config
clusters:
- name: $NODE
  cluster:
    certificate-authority: $R/pki/ca.crt
    server: $3
users:
- name: $1
  user:
    client-certificate: $R/pki/$2.crt
    client-key: $R/pki/$2.key
contexts:
- name: $NODE
  context: {cluster: $NODE, user: $1}
current-context: $NODE
KC
}

configs() {
  mkdir -p "$R/etc" "$R/cni/net.d"
  cat > "$R/etc/containerd.toml" <<EOF
version = 2
root = "$R/var/containerd"
state = "/run/containerd"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.internal.v1.opt"]
  path = "$R/var/containerd-opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/pause:3.10"
  disable_apparmor = true
  # this VM lacks CAP_SYS_RESOURCE: runc must not try to raise oom_score_adj
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$R/cni/net.d"
EOF
  cat > "$R/cni/net.d/10-almanac.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "almanac-node",
  "plugins": [
    {
      "type": "bridge", "bridge": "almbr0", "isGateway": true, "isDefaultGateway": false,
      "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$R/var/cni-ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "10.244.0.1"}]],
        "routes": [{"dst": "$SVC_CIDR"}, {"dst": "$NODE_IP/32"}]
      }
    }
  ]
}
EOF
  # No cluster DNS: pods reach Services by ClusterIP; a refused nameserver fails lookups at once.
  echo "nameserver 127.0.0.1" > "$R/etc/resolv.conf"
  cat > "$R/etc/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
failSwapOn: false
failCgroupV1: false
resolvConf: $R/etc/resolv.conf
clusterDomain: cluster.local
podCIDR: $POD_CIDR
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $R/pki/kubelet-serving.crt
tlsPrivateKeyFile: $R/pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $R/pki/ca.crt}
authorization: {mode: Webhook}
protectKernelDefaults: false
volumePluginDir: $R/var/kubelet-plugins
podLogsDir: $R/var/log/pods
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
registerNode: true
maxPods: 40
oomScoreAdj: 0
serializeImagePulls: false
syncFrequency: 10s
EOF
  cat > "$R/etc/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $R/kube-proxy.kubeconfig}
mode: iptables
hostnameOverride: $NODE
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {localhostNodePorts: false, masqueradeAll: false, syncPeriod: 10s, minSyncPeriod: 0s}
oomScoreAdj: 0
EOF
  cat > "$R/etc/crictl.yaml" <<EOF
runtime-endpoint: unix://$CONTAINERD_SOCK
image-endpoint: unix://$CONTAINERD_SOCK
timeout: 10
EOF
}

up() {
  if status; then log "already up"; return 0; fi
  for b in kube-apiserver etcd kubelet kube-controller-manager kube-scheduler kube-proxy; do need "$KBIN/$b"; done
  need "$CACHE/bin/kubectl"; need "$CACHE/bin/crictl"
  [[ -f "$IMAGES/pause-3.10.tar" && -f "$IMAGES/jre17.tar" ]] || fail "node images missing in $IMAGES; run: bash scripts/node-tools.sh"
  if [[ -e /run/netns/$NETNS ]]; then
    any_alive && fail "network namespace $NETNS exists and node processes run, but the node is not ready: another node.sh up may be starting it (if not, run: bash scripts/node.sh down)"
    # a run that was killed before its `down` (CI timeout, machine restart) left only state behind
    log "namespace $NETNS left by an interrupted run, none of its processes alive: taking it down first"
    down
  fi
  [[ -S $CONTAINERD_SOCK ]] && fail "another containerd listens on $CONTAINERD_SOCK; this node needs it"
  mkdir -p "$R"/{logs,pids,sock,var/etcd,var/log/pods,var/kubelet,var/kubelet-plugins}
  rm -f "$R/READY"
  certs; configs
  baseline
  for s in "${HOST_SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done > "$R/host-sysctls"
  for d in "${OUTSIDE_DIRS[@]}"; do [[ -e "$d" ]] && echo "$d"; done > "$R/baseline/preexisting-dirs" || true

  # 1. the node's network
  ip netns add "$NETNS"
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" link add alm0 type veth peer name alm0p
  ip -n "$NETNS" addr add "$NODE_IP/24" dev alm0
  ip -n "$NETNS" link set alm0 up
  ip -n "$NETNS" link set alm0p up
  ip -n "$NETNS" route add "$SVC_CIDR" dev alm0
  # Pod -> ClusterIP -> pod on the same bridge: replies must pass iptables to be un-NATed.
  "${NS[@]}" sysctl -q -w net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  "${NS[@]}" sysctl -q -w net.ipv4.ip_forward=1
  log "network namespace $NETNS: node IP $NODE_IP, pods $POD_CIDR, services $SVC_CIDR, no default route"

  # 2. containerd and the locally built images
  bg containerd containerd --config "$R/etc/containerd.toml"
  wait_for 30 containerd ctr --address "$CONTAINERD_SOCK" version
  import "$IMAGES/pause-3.10.tar"
  log "containerd up, pause image imported"

  # 3. control plane (etcd and the apiserver are the ones the apiserver tests use)
  local P="$R/pki"
  bg etcd "$KBIN/etcd" --name default --data-dir "$R/var/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster default=http://127.0.0.1:2380 --log-level warn --unsafe-no-fsync
  bg kube-apiserver "$KBIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --advertise-address="$NODE_IP" --bind-address=0.0.0.0 --secure-port=6443 \
    --service-cluster-ip-range="$SVC_CIDR" --service-node-port-range=30000-30100 \
    --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" --client-ca-file="$P/ca.crt" \
    --kubelet-client-certificate="$P/apiserver-kubelet-client.crt" --kubelet-client-key="$P/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$P/ca.crt" --kubelet-preferred-address-types=InternalIP \
    --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true --profiling=false
  wait_for 120 "kube-apiserver /readyz" "${NS[@]}" curl -sf --max-time 2 --cacert "$P/ca.crt" \
    --cert "$P/admin.crt" --key "$P/admin.key" https://127.0.0.1:6443/readyz
  log "kube-apiserver ready"
  bg kube-controller-manager "$KBIN/kube-controller-manager" --kubeconfig="$R/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$R/controller-manager.kubeconfig" --authorization-kubeconfig="$R/controller-manager.kubeconfig" \
    --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
    --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
    --use-service-account-credentials=true --allocate-node-cidrs=false --service-cluster-ip-range="$SVC_CIDR" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false
  bg kube-scheduler "$KBIN/kube-scheduler" --kubeconfig="$R/scheduler.kubeconfig" \
    --authentication-kubeconfig="$R/scheduler.kubeconfig" --authorization-kubeconfig="$R/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false

  # 4. the node
  bg kubelet "$KBIN/kubelet" --config="$R/etc/kubelet.yaml" --kubeconfig="$R/kubelet.kubeconfig" \
    --hostname-override="$NODE" --node-ip="$NODE_IP" --root-dir="$R/var/kubelet" --v=1
  bg kube-proxy "$KBIN/kube-proxy" --config="$R/etc/kube-proxy.yaml"
  wait_for 120 "node Ready" node_ready
  log "node Ready"
  restore_sysctls
  wait_for 60 "default ServiceAccount" kc get serviceaccount default -n default
  wait_for 60 "kube-root-ca.crt" kc get configmap kube-root-ca.crt -n default
  log "pods can be created"

  # 5. the API on the host's loopback (kubectl, helm and test JVMs run outside the namespace)
  bg api-relay-in socat "UNIX-LISTEN:$R/sock/api.sock,fork,unlink-early" TCP:127.0.0.1:6443
  wait_for 10 "API relay socket" test -S "$R/sock/api.sock"
  bg_host api-relay-out socat "TCP-LISTEN:$API_HOST_PORT,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$R/sock/api.sock"
  wait_for 10 "API on 127.0.0.1:$API_HOST_PORT" "$CACHE/bin/kubectl" --kubeconfig="$R/admin-host.kubeconfig" get --raw /readyz
  date +%s.%N > "$R/READY"
  log "up: KUBECONFIG=$R/admin-host.kubeconfig"
}

node_ready() {
  [[ "$(kc get node "$NODE" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}

restore_sysctls() {
  [[ -f "$R/host-sysctls" ]] || return 0
  while IFS= read -r kv; do sysctl -q -w "$kv"; done < "$R/host-sysctls"
}

import() {
  local tar
  for tar in "$@"; do
    [[ -f "$tar" ]] || fail "image tar not found: $tar"
    ctr --address "$CONTAINERD_SOCK" -n k8s.io images import "$tar" > /dev/null
  done
}

expose() { # host-port: host 127.0.0.1:port -> NODE_IP:port inside the namespace
  local port=$1 name="expose-$1"
  alive "$name-in" && return 0
  bg_host "$name-out" socat "UNIX-LISTEN:$R/sock/$name.sock,fork,unlink-early" "TCP:127.0.0.1:$port"
  wait_for 10 "relay socket $name" test -S "$R/sock/$name.sock"
  bg "$name-in" socat "TCP-LISTEN:$port,bind=$NODE_IP,reuseaddr,fork" "UNIX-CONNECT:$R/sock/$name.sock"
  wait_for 10 "relay $NODE_IP:$port" "${NS[@]}" socat -u /dev/null "TCP:$NODE_IP:$port"
}

forward() { # ip:port host-port: <ip:port> inside the namespace -> host 127.0.0.1:host-port
  local target=$1 port=$2 name="forward-$2"
  alive "$name-out" && return 0
  bg "$name-in" socat "UNIX-LISTEN:$R/sock/$name.sock,fork,unlink-early" "TCP:$target"
  wait_for 10 "relay socket $name" test -S "$R/sock/$name.sock"
  bg_host "$name-out" socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$R/sock/$name.sock"
  wait_for 10 "relay 127.0.0.1:$port" socat -u /dev/null "TCP:127.0.0.1:$port"
}

stop() { # name: SIGTERM its process group, then SIGKILL after 10 s
  alive "$1" || { rm -f "$R/pids/$1"; return 0; }
  local pid; pid=$(cat "$R/pids/$1")
  kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || { rm -f "$R/pids/$1"; return 0; }; sleep 0.2; done
  kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  rm -f "$R/pids/$1"
}

down() {
  rm -f "$R/READY"
  # relays first: nothing new reaches the node
  local f
  for f in "$R"/pids/expose-* "$R"/pids/forward-* "$R"/pids/api-relay-*; do
    if [[ -e "$f" ]]; then stop "$(basename "$f")"; fi
  done
  # the kubelet before anything else, so it restarts nothing; the control plane after it
  stop kubelet
  for c in kube-proxy kube-scheduler kube-controller-manager kube-apiserver; do stop "$c" & done; wait
  stop etcd
  log "Kubernetes processes stopped"
  # every sandbox through CRI (kills containers, CNI DEL, unmounts), then containerd itself
  if alive containerd; then
    "$CACHE/bin/crictl" --config "$R/etc/crictl.yaml" rmp -fa > /dev/null 2>&1 || true
    stop containerd
    log "pod sandboxes removed, containerd stopped"
  fi
  local m
  for m in $(findmnt -rn -o TARGET | grep -E "^($R/var|/run/containerd|/run/netns/cni-)" | sort -r || true); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  local h
  for h in /sys/fs/cgroup/*/; do
    if [[ -d "$h/kubepods" ]]; then find "$h/kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done
  if [[ -e /run/netns/$NETNS ]]; then ip netns del "$NETNS" 2>/dev/null || true; fi
  for f in /run/netns/cni-*; do
    if [[ -e "$f" ]]; then umount "$f" 2>/dev/null || true; rm -f "$f"; fi
  done
  if [[ -d /run/netns && -z "$(ls -A /run/netns)" ]]; then umount /run/netns 2>/dev/null || true; rmdir /run/netns 2>/dev/null || true; fi
  restore_sysctls
  local d
  for d in "${OUTSIDE_DIRS[@]}"; do
    grep -qxF "$d" "$R/baseline/preexisting-dirs" 2>/dev/null || rm -rf "$d"
  done
  rm -rf "$R/var" "$R/sock" "$R/pids" "$R/host-sysctls"
  log "down: host left as found"
}

# What `down` must leave as it was: mounts, firewall rules, links, namespaces, sysctls.
host_state() { # dir
  mkdir -p "$1"
  { findmnt -rn -o TARGET | sort; } > "$1/mounts" || true
  { iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9:]*\]//'; } > "$1/iptables" || true
  { nft list ruleset 2>/dev/null; } > "$1/nft" || true
  { ip -br link | awk '{print $1}' | sort; } > "$1/links" || true
  { ip netns list | sort; } > "$1/netns" || true
  { sysctl -a 2>/dev/null | grep -vE 'dentry|file-nr|inode|quota.syncs|ns_last_pid|random|stat_refresh|perf_event|sched_domain|hung_task|max_user' | sort; } > "$1/sysctl" || true
  { find /sys/fs/cgroup -maxdepth 2 -name kubepods | sort; } > "$1/cgroups" || true
}

baseline() { rm -rf "$R/baseline"; host_state "$R/baseline"; }

verify_clean() {
  [[ -d "$R/baseline" ]] || { echo "no baseline recorded (node.sh up records one)"; return 0; }
  local now; now="$(mktemp -d)"; host_state "$now"
  local bad=0 f
  for f in mounts iptables nft links netns sysctl cgroups; do
    if ! diff -q "$R/baseline/$f" "$now/$f" > /dev/null; then
      echo "differs from before the node: $f"; diff "$R/baseline/$f" "$now/$f" | head -5; bad=1
    fi
  done
  # this node's processes name its state dir; other users of the same binaries (kube-api-test) do not
  local p; p=$(pgrep -f "^$KBIN/(kubelet|kube-[a-z-]+|etcd) .*$R/|^containerd --config $R|^socat .*$R/sock" || true)
  [[ -n "$p" ]] && { echo "processes left: $p"; bad=1; }
  for f in "${OUTSIDE_DIRS[@]}"; do
    [[ -e "$f" ]] && ! grep -qxF "$f" "$R/baseline/preexisting-dirs" 2>/dev/null && { echo "left behind: $f"; bad=1; }
  done
  rm -rf "$now"
  ((bad == 0)) && echo "host as before the node: mounts, iptables, nftables, links, netns, sysctls, cgroups, processes, directories"
  return $bad
}

env_lines() {
  echo "KUBECONFIG=$R/admin-host.kubeconfig"
  echo "NODE_IP=$NODE_IP"
  echo "NETNS=$NETNS"
  echo "NODE_DIR=$R"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  up) up ;;
  down) down ;;
  status) status ;;
  import) import "$@" ;;
  expose) expose "$@" ;;
  forward) forward "$@" ;;
  env) env_lines ;;
  verify-clean) verify_clean ;;
  *) fail "usage: node.sh up|down|status|import <tar>...|expose <port>|forward <ip:port> <port>|env|verify-clean" ;;
esac
