#!/bin/bash
# Builds the stress and fuzz helpers into OUTDIR (default /tmp/e7stress) with
# the system compiler: run by the hardening VM tests inside the guest (which
# has the host's gcc), once per boot; a second call finds them built. -O0 and
# parallel: under TCG the compiler is the slow part, the kernel is what the
# helpers exercise.
# usage: tests/stress/build.sh [OUTDIR]
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/e7stress}
uapi=$src/../../module/include/uapi
mkdir -p "$out"
cflags=(-O0 -Wall -Wextra -Werror -I"$uapi")
build() { # NAME SOURCES...
	local name=$1
	shift
	[[ -x $out/$name && $out/$name -nt $src/$1 && $out/$name -nt $src/nlmini.c ]] && return 0
	gcc "${cflags[@]}" -o "$out/$name.tmp" "${@/#/$src/}" && mv "$out/$name.tmp" "$out/$name"
}
build genl-fuzz genl-fuzz.c nlmini.c &
build rulechurn rulechurn.c nlmini.c &
build e7listen e7listen.c nlmini.c &
build connstorm connstorm.c &
build flowflood flowflood.c &
rc=0
for job in $(jobs -p); do wait "$job" || rc=1; done
exit $rc
