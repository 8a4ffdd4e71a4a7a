#!/bin/bash
# The applet's desktop integration files: the AppStream metainfo passes
# appstreamcli validate, the desktop entries desktop-file-validate, and
# every icon name the applet uses has a full-colour and a symbolic SVG.
# TAP output.
set -u
src=${G_TEST_SRCDIR:-$(dirname "$0")}/../../data
build=${G_TEST_BUILDDIR:-$(dirname "$0")}/../../data
n=0 failed=0
check() { # DESC TOOL CMD...: one TAP line; skipped where TOOL is missing
	local desc=$1 tool=$2
	shift 2
	n=$((n + 1))
	if ! command -v "$tool" >/dev/null; then
		echo "ok $n $desc # SKIP $tool is not installed"
		return
	fi
	if "$@" >/tmp/e7-data.$$ 2>&1; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		sed 's/^/# /' /tmp/e7-data.$$
		failed=1
	fi
}
check "metainfo validates" appstreamcli \
	appstreamcli validate --no-net "$src/org.eftirlit7.Applet.metainfo.xml"
check "menu entry validates" desktop-file-validate \
	desktop-file-validate "$build/org.eftirlit7.Applet.desktop"
check "autostart entry validates" desktop-file-validate \
	desktop-file-validate "$build/e7-applet.desktop"
for name in e7-applet e7-applet-attention e7-applet-off; do
	check "$name: full-colour and symbolic icons" test \
		test -s "$src/icons/hicolor/scalable/apps/$name.svg" -a \
		-s "$src/icons/hicolor/symbolic/apps/$name-symbolic.svg"
done
rm -f /tmp/e7-data.$$
echo "1..$n"
exit $failed
