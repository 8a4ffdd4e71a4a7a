#!/bin/bash
# Builds the stress and fuzz helpers into OUTDIR (default /tmp/e7stress) with
# the system compiler: run by the hardening VM tests inside the guest (which
# has the host's gcc), once per boot; a second call finds them built. -O0 and
# parallel: under TCG the compiler is the slow part, the kernel is what the
# helpers exercise.
# A host can build them beforehand (tools/stress.sh does, into
# build/stress/bin); the guest then uses them if --check finds them current.
# usage: tests/stress/build.sh [--check] [OUTDIR]
#   --check: build nothing, exit 0 if every helper in OUTDIR is up to date
set -eu
src=$(cd "$(dirname "$0")" && pwd)
check=0
if [[ ${1:-} == --check ]]; then
	check=1
	shift
fi
out=${1:-/tmp/e7stress}
uapi=$src/../../module/include/uapi
current() { # NAME: built after every source changed
	local f
	for f in "$src"/*.[ch]; do
		[[ -x $out/$1 && $out/$1 -nt $f ]] || return 1
	done
}
if ((check)); then
	for n in genl-fuzz rulechurn e7listen connstorm flowflood; do
		current "$n" || exit 1
	done
	exit 0
fi
mkdir -p "$out"
cflags=(-O0 -Wall -Wextra -Werror -I"$uapi")
build() { # NAME SOURCES...
	local name=$1
	shift
	current "$name" && return 0
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
