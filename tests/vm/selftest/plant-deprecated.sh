#!/bin/bash
# vm-mode: fast
# Writes two deprecation notices into the kernel log: another subsystem's
# (6.x logs one when a test opens a UDP-Lite socket), which the harness must
# let pass, then one that names our module, as 7.x logs it for work queued
# on system_wq. The test itself passes; the harness must still fail it,
# because of the second line. tests/vm/selftest.sh runs this and expects it.
set -eu
echo "e7selftest: UDP-Lite is deprecated and scheduled to be removed in 2025" >/dev/kmsg
echo "workqueue: work func e7_events_work [eftirlit7] enqueued on deprecated workqueue." \
	"Use system_{percpu|dfl}_wq instead." >/dev/kmsg
