# Helpers for VM tests, sourced by each test inside the guest:
#   . "$E7_SRCDIR/tests/vm/lib.sh"
# Test hosts live in network namespaces with veth pairs and addresses from the
# benchmarking ranges 198.18.0.0/15 and 2001:2::/48. Nothing else is a target.

e7_log() { echo "[$(date +%T.%3N)] $*"; }
# e7_fail MSG: fail the test. A component's common.sh may define
# e7_fail_context to print what explains a failure (its daemon's journal...).
e7_fail() {
	echo "FAIL: $*"
	declare -F e7_fail_context >/dev/null && e7_fail_context
	exit 1
}
# A command that stops a "set -e" test names itself and its line.
set -E
trap 'e7_rc=$?; if [[ $- == *e* ]]; then echo "FAIL: line $LINENO: \"$BASH_COMMAND\" exited $e7_rc" >&2; fi' ERR
e7_skip() { echo "SKIP: $*"; exit 77; }

# e7_netns_add NAME INDEX: namespace NAME with a veth to the root namespace.
# Root side 198.18.INDEX.1/24 and 2001:2:0:INDEX::1/64, namespace side .2 and ::2.
e7_netns_add() {
	local ns=$1 i=$2
	((i >= 0 && i <= 255)) || e7_fail "e7_netns_add: index $i out of range"
	ip netns add "$ns" || e7_fail "cannot create namespace $ns"
	ip link add "e7h$i" type veth peer name "e7n$i" || e7_fail "cannot create veth e7h$i"
	ip link set "e7n$i" netns "$ns"
	ip addr add "198.18.$i.1/24" dev "e7h$i"
	ip -6 addr add "2001:2:0:$i::1/64" dev "e7h$i" nodad
	ip link set "e7h$i" up
	ip -n "$ns" addr add "198.18.$i.2/24" dev "e7n$i"
	ip -n "$ns" -6 addr add "2001:2:0:$i::2/64" dev "e7n$i" nodad
	ip -n "$ns" link set "e7n$i" up
	ip -n "$ns" link set lo up
}

# e7_wait_port NAME tcp|udp PORT: wait until something listens in namespace NAME.
e7_wait_port() {
	local ns=$1 proto=$2 port=$3 flag=-ltn n
	[[ $proto == udp ]] && flag=-lun
	for ((n = 0; n < 100; n++)); do
		ip netns exec "$ns" ss -H "$flag" "sport = :$port" | grep -q . && return 0
		sleep 0.1
	done
	e7_fail "nothing listens on $proto port $port in $ns"
}

# e7_serve NAME tcp|udp PORT: an echo server (IPv4 and IPv6) in namespace NAME.
# The TCP listener's backlog (socat's default is 5) outlasts the bursts of
# SYNs the tests release at once (20 held flows in e7d/prompts.sh): a burst
# longer than the backlog gets SYN cookies, and a cookie connection whose
# ACK and data meet a full accept queue is dropped by the server's TCP and
# then reset at the client's FIN (ListenOverflows, SyncookiesFailed), which
# is the server's doing, not the firewall's.
e7_serve() {
	local ns=$1 proto=$2 port=$3
	case $proto in
	tcp) ip netns exec "$ns" socat "TCP6-LISTEN:$port,ipv6only=0,reuseaddr,fork,backlog=128" PIPE & ;;
	udp) ip netns exec "$ns" socat "UDP6-RECVFROM:$port,ipv6only=0,reuseaddr,fork" PIPE & ;;
	*) e7_fail "e7_serve: unknown protocol $proto" ;;
	esac
	e7_wait_port "$ns" "$proto" "$port"
}

# e7_as_user USER CMD...: run CMD with USER's uid, gid and groups, no capabilities.
e7_as_user() {
	local user=$1
	shift
	setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups \
		--inh-caps=-all -- "$@"
}

# e7_on_cpu CPU CMD...: runs CMD pinned to guest CPU CPU when the guest has
# more than one (benchmarks: load on 1, servers on 0); with one CPU (QEMU
# -icount, see tests/vm/run) it just runs CMD.
e7_on_cpu() {
	local cpu=$1
	shift
	if (($(nproc) > 1)); then taskset -c "$cpu" "$@"; else "$@"; fi
}
