#!/bin/bash
# vm-mode: fast
# vm-timeout: 300
# Attribution and the less common protocols, IPv4 and IPv6:
# - program paths far longer than 128 bytes (3 KB) match rules and reach
#   PENDING events whole;
# - a deleted executable: d_path() says "PATH (deleted)"; the module reports
#   PATH with flag EXE_DELETED (bit 0), so a rule by path keeps applying to
#   a program still running after an upgrade unlinked its binary, and the
#   daemon can show "(deleted)";
# - a replaced binary (new inode, or same inode with a new ctime) is noticed:
#   PENDING carries its identity (exe_dev, exe_ino, exe_ctime);
# - a socket passed with SCM_RIGHTS: a connected TCP socket keeps the
#   decision made for the program that connected it; an unconnected UDP
#   socket is attributed, per destination, to the process that sends, also
#   when a walk had taught the module the socket's first owner;
# - a short-lived process (connects, exits at once) is still attributed;
# - a rule "for N seconds" expires in the kernel: gone from the dump, an
#   EV_RULE_EXPIRED event, and the flow is unknown (held) afterwards;
# - SCTP, UDP-Lite and ICMP datagram (ping) sockets (raw ICMP: flows.sh);
#   SCTP where the kernel has its module, UDP-Lite where it has the sockets
#   (7.1 removed them: socket() fails with EPROTONOSUPPORT);
# - the top-N statistics dump.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

e7_load
trap 'e7_cleanup ns4' EXIT
e7_netns_add ns4 4
e7_serve ns4 tcp 7001
e7_serve ns4 udp 7002
H4=198.18.4.2 H6=2001:2:0:4::2
CL=$E7M_DIR/e7client.py
SCTP=1
modprobe sctp 2>/dev/null || SCTP=
if [[ $SCTP ]]; then
	ip netns exec ns4 python3 "$CL" serve sctp 7003 >/dev/null &
else
	echo "kernel $E7_KVER has no sctp module: SCTP checks skipped"
fi
UDPLITE=1
python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)' 2>/dev/null ||
	UDPLITE=
if [[ $UDPLITE ]]; then
	ip netns exec ns4 python3 "$CL" serve udplite 7004 >/dev/null &
else
	echo "kernel $E7_KVER has no UDP-Lite sockets (removed in 7.1): UDP-Lite checks skipped"
fi
sysctl -qw net.ipv4.ping_group_range="0 2147483647"
nl config hold_timeout_ms=20000 timeout=block nodaemon=allow
nl add action=allow dir=in >/dev/null

# Copies of python3: a 3 KB deep path, one to delete, one to replace, another.
DEEP=/tmp/e7deep
for i in $(seq 12); do DEEP=$DEEP/$(printf 'd%03d%0246d' "$i" 0); done
mkdir -p "$DEEP" /tmp/e7del /tmp/e7rep /tmp/e7oth
for d in "$DEEP" /tmp/e7del /tmp/e7rep /tmp/e7oth; do cp "$PY" "$d/python3"; done
DEEP=$DEEP/python3 DEL=/tmp/e7del/python3 REP=/tmp/e7rep/python3 OTH=/tmp/e7oth/python3
((${#DEEP} > 3000)) || e7_fail "deep path is only ${#DEEP} bytes"

# A test daemon answers every PENDING with allow.
python3 "$E7M_DIR/e7nl.py" daemon --answer allow --seconds 250 >/tmp/a-daemon.out 2>&1 &
for _ in $(seq 100); do grep -q ready /tmp/a-daemon.out && break; sleep 0.05; done
grep -q ready /tmp/a-daemon.out || e7_fail "test daemon did not start"
pending() { # PATTERN DESC: the daemon saw a PENDING event matching PATTERN
	local i
	for i in $(seq 40); do
		grep -q -- "^EV_PENDING .*$1" /tmp/a-daemon.out && return 0
		sleep 0.05
	done
	e7_fail "$2: no PENDING event like '$1': $(grep EV_PENDING /tmp/a-daemon.out | tail -3 | cut -c1-300)"
}

# Long paths.
id=$(nl add action=block path="$DEEP" proto=tcp)
expect_err ECONNREFUSED "tcp4, ${#DEEP}-byte path, blocked by its rule" "$DEEP" "$CL" tcp $H4 7001 2
expect_err ECONNREFUSED "tcp6, ${#DEEP}-byte path, blocked by its rule" "$DEEP" "$CL" tcp $H6 7001 2
hits=$(nl get "$id" | grep -o ' hits=[0-9]*' | cut -d= -f2)
((hits >= 2)) || e7_fail "long-path rule hits: $hits"
expect_ok "udp6, ${#DEEP}-byte path, held and allowed" "$DEEP" "$CL" udp $H6 7002
pending "proto=17 .*remote_addr=$H6 .* path=$DEEP cmdline=" "long path in PENDING"

# A deleted executable still matches its rule by path.
nl add action=block path="$DEL" proto=tcp >/dev/null
del_run() { # DESC WANT OP HOST PORT: run $DEL, delete it while it waits, then OP
	local desc=$1 want=$2 out
	shift 2
	cp "$PY" "$DEL"
	"$DEL" "$CL" waitgone "$DEL" "$@" 3 >/tmp/del.out 2>&1 &
	local pid=$!
	for _ in $(seq 100); do grep -q waiting /tmp/del.out && break; sleep 0.05; done
	rm "$DEL"
	wait $pid || true
	out=$(tail -n 1 /tmp/del.out)
	[[ $out == "$want"* ]] || e7_fail "$desc: expected $want, got: $(cat /tmp/del.out)"
	e7_log "$desc: $out"
}
del_run "tcp4 from a deleted executable, blocked by its path rule" "error ECONNREFUSED" tcp $H4 7001
del_run "udp6 from a deleted executable, held and allowed" ok udp $H6 7002
pending "flags=9 .*path=$DEL cmdline=" "EXE_DELETED flag and plain path"

# A replaced binary: new inode, then the same inode with a new ctime.
ident() { # PORT-less identity of the last PENDING of $REP
	grep "^EV_PENDING .*path=$REP " /tmp/a-daemon.out | tail -n 1 | grep -o 'exe_ino=[0-9]* exe_ctime=[0-9]*'
}
expect_ok "udp4 from $REP" "$REP" "$CL" udp $H4 7002
pending "path=$REP " "first run of $REP"
id1=$(ident)
cp "$PY" $REP.new && mv $REP.new $REP
expect_ok "udp4 from the replaced $REP" "$REP" "$CL" udp $H4 7002
for _ in $(seq 40); do [[ $(ident) != "$id1" ]] && break; sleep 0.05; done
id2=$(ident)
[[ ${id2%% *} != "${id1%% *}" ]] || e7_fail "replaced binary (new inode) not noticed: $id1 / $id2"
sleep 0.01
chmod 700 $REP
expect_ok "udp6 from $REP after chmod" "$REP" "$CL" udp $H6 7002
for _ in $(seq 40); do [[ $(ident) != "$id2" ]] && break; sleep 0.05; done
id3=$(ident)
[[ ${id3%% *} == "${id2%% *}" && ${id3#* } != "${id2#* }" ]] ||
	e7_fail "changed binary (same inode, new ctime) not noticed: $id2 / $id3"
e7_log "identities: $id1 | $id2 (replaced) | $id3 (chmod)"

# SCM_RIGHTS: python3 makes the socket, $OTH (blocked by a rule) sends on it.
nl add action=block path="$OTH" >/dev/null
expect_ok "tcp4 socket connected by python3, used by a blocked program" client pass tcp $H4 7001 "$OTH"
expect_ok "tcp6 socket connected by python3, used by a blocked program" client pass tcp $H6 7001 "$OTH"
expect_err EPERM "udp4 socket made by python3, sendto by a blocked program" client pass udp $H4 7002 "$OTH"
expect_err EPERM "udp6 socket made by python3, sendto by a blocked program" client pass udp $H6 7002 "$OTH"
# The walk for an incoming connection to python3's listener teaches the
# module python3's unconnected sockets; one of them, passed to $OTH, is
# still decided for $OTH when $OTH sends.
if grep -q " nf_sk_lookup_slow_v4" /proc/kallsyms; then
	python3 "$CL" passlearned 7401 $H4 7002 "$OTH" >/tmp/learned.out 2>&1 &
	learned=$!
	for _ in $(seq 50); do grep -q listening /tmp/learned.out && break; sleep 0.1; done
	walks=$(stat owner_walks)
	ip netns exec ns4 python3 "$CL" tcp 198.18.4.1 7401 5 >/dev/null ||
		e7_fail "incoming connection to the listener failed"
	wait $learned && e7_fail "udp4 socket learned by a walk, sent by a blocked program: allowed: $(cat /tmp/learned.out)"
	grep -q EPERM /tmp/learned.out ||
		e7_fail "udp4 socket learned by a walk, sent by a blocked program: $(cat /tmp/learned.out)"
	(($(stat owner_walks) > walks)) || e7_fail "the incoming connection did not walk for its owner"
	e7_log "udp4 socket learned by a walk, sendto by a blocked program: $(grep EPERM /tmp/learned.out)"
fi

# Short-lived: connects and exits before anyone looks.
for h in $H4 $H6; do
	pid=$(client short $h 7001)
	pending "pid=$pid tgid=$pid uid=0 proto=6 dir=1 .*remote_addr=$h remote_port=7001 .*path=$PY\( \|\$\)" "short-lived process $pid"
	e7_log "short-lived process $pid attributed ($h)"
done

# Rule expiry in the kernel.
id=$(nl add action=block path="$PY" proto=udp lifetime=seconds expire=4)
expect_err EPERM "udp4 blocked by a 4 s rule" client udp $H4 7002 1
for _ in $(seq 100); do nl rules | grep -q "^id=$id " || break; sleep 0.1; done
nl rules | grep -q "^id=$id " && e7_fail "rule $id did not expire: $(nl rules)"
grep -q "^EV_RULE_EXPIRED .*rule_id=$id\b" /tmp/a-daemon.out || e7_fail "no EV_RULE_EXPIRED for rule $id"
n=$(grep -c "^EV_PENDING .*proto=17 .*remote_addr=$H6 .*path=$PY " /tmp/a-daemon.out || true)
expect_ok "udp6 after the rule expired: unknown, held and allowed" client udp $H6 7002
pending "proto=17 .*remote_addr=$H6 .*path=$PY " "flow after expiry"
(($(grep -c "^EV_PENDING .*proto=17 .*remote_addr=$H6 .*path=$PY " /tmp/a-daemon.out) > n)) ||
	e7_fail "the flow after expiry was not held as unknown"
(($(stat rules_expired) >= 1)) || e7_fail "expiry not counted"

# SCTP, UDP-Lite, ICMP datagram sockets: unknown (held, allowed), then blocked.
protos="dping:0:1"
[[ $UDPLITE ]] && protos="udplite:7004:136 $protos"
[[ $SCTP ]] && protos="sctp:7003:132 $protos"
for pp in $protos; do
	IFS=: read -r op port num <<<"$pp"
	for h in $H4 $H6; do
		expect_ok "$op to $h, held and allowed" client $op $h $port 3
		[[ $op == dping && $h == "$H6" ]] && num=58
		pending "proto=$num .*remote_addr=$h .*path=$PY " "$op to $h"
	done
done
nl add action=block path="$PY" proto=icmp >/dev/null
if [[ $UDPLITE ]]; then
	nl add action=block path="$PY" proto=udplite >/dev/null
	expect_err EPERM "udplite4 blocked" client udplite $H4 7004 1
	expect_err EPERM "udplite6 blocked" client udplite $H6 7004 1
fi
expect_err EPERM "icmp4 ping socket blocked" client dping $H4 0 1
# ICMPv6 ping sockets do not report the output error (icmpv6_push_pending_frames
# drops it): the echo is dropped, sendto() succeeds, no reply comes.
b=$(stat blocked)
expect_err TimeoutError "icmp6 ping socket blocked by the icmp rule" client dping $H6 0 1
(($(stat blocked) > b)) || e7_fail "icmp6 ping socket: the drop was not counted as blocked"
if [[ $SCTP ]]; then
	nl add action=block path="$PY" proto=sctp >/dev/null
	expect_err any "sctp4 blocked" client sctp $H4 7003 1
	expect_err any "sctp6 blocked" client sctp $H6 7003 1
fi

# Top-N statistics.
nl entries >/tmp/entries.out
wants=("kind=1 path=$PY " "kind=1 path=$DEEP " "kind=2 proto=17 " "kind=3 uid=0 "
	"kind=4 addr=$H4 " "kind=4 addr=$H6 ")
[[ $UDPLITE ]] && wants+=("kind=2 proto=136 ")
for want in "${wants[@]}"; do
	grep -q -- "$want" /tmp/entries.out || e7_fail "no stats entry like '$want': $(cut -c1-120 /tmp/entries.out)"
done
e7_log "stats entries: $(wc -l </tmp/entries.out); $(grep "path=$PY " /tmp/entries.out)"
e7_log "attribution checks passed"
