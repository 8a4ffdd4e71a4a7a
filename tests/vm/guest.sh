#!/bin/bash
# Runs inside the VM: as PID 1 in fast mode, as a systemd service in system
# mode. Runs each test, records its exit status and marks its part of the
# kernel log, then saves the kernel log and ends the VM.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck disable=SC1091
. /e7vm/env
out=/e7vm/out

if [[ $E7_MODE == fast ]]; then
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
	mkdir -p /dev/pts /dev/shm
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	ln -sfn /proc/self/fd /dev/fd
	ln -sfn /proc/self/fd/0 /dev/stdin
	ln -sfn /proc/self/fd/1 /dev/stdout
	ln -sfn /proc/self/fd/2 /dev/stderr
	# /tmp stays the overlay's: writable and private to the guest, and it
	# keeps a source tree that lives under the host's /tmp visible.
	mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
	hostname e7vm
	ip link set lo up
fi
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
id e7test >/dev/null 2>&1 || useradd -u 1500 -m -s /bin/bash e7test

export E7_SRCDIR E7_BUILDDIR E7_MODULE E7_PROBE E7_MODE E7_VM_ICOUNT
export E7_KVER=$(uname -r)

# run_test SCRIPT LIMIT LOG: run one test so that whatever it leaves running
# ends with it: in fast mode we are PID 1 and every other process is the
# test's; in system mode each test is a transient service whose cgroup systemd
# kills. A system-mode test may restart dbus-daemon: the service is watched
# with systemctl (systemd's private socket, not the bus), and its exit status
# comes from a file its shell writes last, so a test that was killed or timed
# out has none and fails.
run_test() {
	local t=$1 limit=$2 log=$3 v env=() unit rc
	if [[ $E7_MODE == fast ]]; then
		(cd /tmp && timeout --kill-after=10 "$limit" bash "$t") </dev/null >"$log" 2>&1
		rc=$?
		kill -KILL -1 2>/dev/null
		wait
		return $rc
	fi
	for v in E7_SRCDIR E7_BUILDDIR E7_MODULE E7_PROBE E7_MODE E7_VM_ICOUNT E7_KVER E7_ARTIFACTS; do
		env+=("--setenv=$v=${!v}")
	done
	unit=e7vm-test-$(date +%s%N)
	rm -f /run/e7vm-test.rc
	: >"$log"
	systemd-run --quiet --unit="$unit" --collect --service-type=exec \
		--working-directory=/tmp -p RuntimeMaxSec="$limit" "${env[@]}" \
		-p StandardInput=null -p StandardOutput="append:$log" -p StandardError="append:$log" \
		bash -c 'bash "$0"; echo $? >/run/e7vm-test.rc' "$t" || return 125
	while [[ $(systemctl show -p ActiveState --value "$unit" 2>/dev/null) =~ ^(active|activating|deactivating|reloading)$ ]]; do
		sleep 0.5
	done
	rc=$(cat /run/e7vm-test.rc 2>/dev/null) || { echo "e7vm: the test ended with no exit status (killed, or over its ${limit}s limit)" >>"$log"; return 124; }
	return "$rc"
}

# The next test starts from a clean network and no test module loaded.
clean_up() {
	local l
	ip -all netns delete 2>/dev/null
	for l in $(ip -o link show type veth 2>/dev/null | awk -F'[:@]' '{ print $2 }'); do
		ip link del "$l" 2>/dev/null
	done
	rmmod eftirlit7 2>/dev/null
	rmmod e7probe 2>/dev/null
	return 0
}
: >"$out/results"
for t in "${E7_TESTS[@]}"; do
	name=$(basename "$(dirname "$t")")-$(basename "$t" .sh)
	export E7_ARTIFACTS=/e7vm/artifacts/$name
	mkdir -p "$E7_ARTIFACTS"
	echo "e7vm: begin $name" >/dev/kmsg
	start=$(date +%s.%N)
	limit=$(sed -n '3s/^# vm-timeout: *\([0-9]*\).*/\1/p' "$t")
	run_test "$t" "${limit:-300}" "$out/$name.log"
	rc=$?
	clean_up
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	echo "e7vm: end $name rc=$rc" >/dev/kmsg
	echo "$t $rc $secs" >>"$out/results"
	sync
done

if [[ -w /sys/kernel/debug/kmemleak ]]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$out/kmemleak.txt"
fi
dmesg >"$out/dmesg.txt"
echo done >>"$out/results"
sync
# The debug kernel has neither ACPI nor sysrq: a forced reboot ends QEMU (-no-reboot).
busybox reboot -f
sleep 30
