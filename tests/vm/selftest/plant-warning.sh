#!/bin/bash
# vm-mode: fast
# Loads the probe with warn=1, which plants a WARN_ON(1). The test itself
# passes; the harness must still fail it because of the kernel warning.
# tests/vm/selftest.sh runs this and expects the failure.
set -eu
insmod "$E7_PROBE" warn=1
rmmod e7probe
