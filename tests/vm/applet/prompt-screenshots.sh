#!/bin/bash
# vm-mode: fast
# The real applet under Xvfb, asked by a fake daemon on a session bus: the
# prompt appears within a second, two programs are two pages of one window,
# keyboard answers (mnemonics, Escape) reach the caller as the Ask() answer,
# and screenshots in English, German, French and Hebrew (right to left) are
# saved as artifacts.
set -u
. "$E7_SRCDIR/tests/vm/lib.sh"
. "$E7_SRCDIR/tests/vm/applet/x-session.bash"

e7x_need
e7x_start
limit_ms=$(e7x_limit_ms)
e7_log "prompt time limit: $limit_ms ms ($(systemd-detect-virt 2>/dev/null || echo native))"

for lang in en de fr he; do
	e7x_applet "$lang"
	t0=$(date +%s%N)
	e7x_ask 1 /usr/bin/curl 198.18.1.2 443
	wid=$(e7x_window)
	t1=$(date +%s%N)
	[[ -n $wid ]] || e7_fail "[$lang] no prompt window appeared"
	# The applet logs when the window maps; the polling here only bounds it.
	# (No process substitution: the fast-mode guest has no /dev/fd.)
	shown=$(e7x_shown 1) || e7_fail "[$lang] the applet did not log the prompt"
	read -r shown_ms _ <<<"$shown"
	e7_log "[$lang] prompt window ${shown_ms} ms after the request (seen by polling after $(((t1 - t0) / 1000000)) ms)"
	((${shown_ms%.*} < limit_ms)) ||
		e7_fail "[$lang] the prompt took $shown_ms ms to appear (limit $limit_ms)"
	e7x_shot "prompt-$lang"

	# A second program joins as a second page; a second curl connection
	# joins the first page.
	e7x_ask 2 /usr/bin/wget 2001:2:0:1::2 80
	e7x_ask 3 /usr/bin/curl 198.18.1.2 8443
	e7x_asked 2 3
	e7x_shot "prompt-$lang-two-programs"

	case $lang in
	de) allow=alt+e ;;
	*) allow=alt+a ;;
	esac
	if [[ $lang == en ]]; then
		# Alt+D: this destination only; Alt+R, End: remember forever.
		e7x_keys alt+d
		sleep 0.4
		e7x_keys alt+r
		sleep 0.2
		e7x_keys End
		sleep 0.2
	fi
	e7x_keys "$allow"
	a1=$(e7x_answer 1)
	a3=$(e7x_answer 3)
	e7_log "[$lang] answers: $a1 / $a3"
	[[ $a1 == *"'action': <'allow'>"* ]] || e7_fail "[$lang] prompt 1 answered '$a1'"
	[[ $a3 == "$a1" ]] || e7_fail "[$lang] the coalesced prompt 3 got '$a3', not '$a1'"
	if [[ $lang == en ]]; then
		[[ $a1 == *"'scope': <'destination'>"* ]] || e7_fail "Alt+D did not pick the destination: $a1"
		[[ $a1 == *"'lifetime': <'forever'>"* ]] || e7_fail "Alt+R, End did not pick forever: $a1"
	else
		[[ $a1 == *"'lifetime': <'once'>"* ]] || e7_fail "[$lang] the lifetime is not once: $a1"
	fi
	# Escape on the remaining page: the default answer (block, once).
	sleep 0.4
	e7x_keys Escape
	a2=$(e7x_answer 2)
	e7_log "[$lang] answer 2: $a2"
	[[ $a2 == *"'action': <'block'>"* && $a2 == *"'lifetime': <'once'>"* ]] ||
		e7_fail "[$lang] Escape answered '$a2'"

	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$E7X_APPLET/status")
	e7_log "[$lang] applet RSS after the prompts: ${rss} kB"
done

# Idle RSS of a fresh applet that has not shown a window yet.
e7x_applet en
sleep 1
e7_log "idle applet RSS: $(awk '/^VmRSS/ {print $2}' "/proc/$E7X_APPLET/status") kB"

# One instance per session: starting it again (the menu entry) opens the
# rules window of the running applet and exits; --quit stops it.
e7x_window e7-rules 3 >/dev/null 2>&1 && e7_fail "the background start opened a window"
LANG=C.UTF-8 LANGUAGE=en timeout 10 "$E7_BUILDDIR/applet/e7-applet" --session-bus ||
	e7_fail "the second start failed"
kill -0 "$E7X_APPLET" || e7_fail "the running applet died on the second start"
e7x_window e7-rules >/dev/null || e7_fail "the second start did not open the rules window"
e7x_shot rules-en e7-rules
timeout 10 "$E7_BUILDDIR/applet/e7-applet" --quit || e7_fail "--quit failed"
for ((n = 0; n < 50; n++)); do
	kill -0 "$E7X_APPLET" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$E7X_APPLET" 2>/dev/null && e7_fail "the applet still runs after --quit"
E7X_APPLET=
exit 0
