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
if ((check)); then
	for n in genl-fuzz rulechurn e7listen connstorm flowflood; do
		for f in "$src"/*.[ch]; do
			[[ -x $out/$n && $out/$n -nt $f ]] || exit 1
		done
	done
	exit 0
fi
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
