# Helpers for the applet's VM tests (sourced, not a test): an X server, a
# session bus, the applet, and prompts sent to it as e7d would send them.
# Needs Xvfb, dbus-daemon, gdbus, xdotool, xprop and ImageMagick's import.

E7X_TMP=
E7X_XVFB=
E7X_BUS_PID=
E7X_APPLET=
E7X_LOG=
# E7X_USER: run the session bus, the applet and e7x_run as this user (set it
# before e7x_start); empty: the current user.
E7X_USER=${E7X_USER:-}

# e7x_limit_ms: how long a prompt may take to show. A second on real hardware;
# under QEMU's TCG emulation (no KVM: every instruction emulated) five times
# that, and three times more on the KASAN/lockdep debug kernel.
# The bound only catches a prompt that never shows; how fast it shows is a
# figure the tests print (benchmarks measure speed, tests do not time it).
e7x_limit_ms() {
	echo 15000
}

# e7x_run CMD...: run CMD as E7X_USER inside the X session (exec'ing, so
# that "e7x_run CMD &" gives CMD's pid in $!).
e7x_run() {
	local env=(env DISPLAY="${DISPLAY:-}" DBUS_SESSION_BUS_ADDRESS="${DBUS_SESSION_BUS_ADDRESS:-}"
		NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GDK_BACKEND=x11
		E7_LOCALEDIR="${E7_LOCALEDIR:-}")
	if [[ -n $E7X_USER ]]; then
		exec_as=(setpriv --reuid="$(id -u "$E7X_USER")" --regid="$(id -g "$E7X_USER")"
			--init-groups --inh-caps=-all --)
		(exec "${exec_as[@]}" "${env[@]}" HOME="$E7X_TMP/home" "$@")
	else
		(exec "${env[@]}" "$@")
	fi
}

e7x_need() {
	local tool
	for tool in Xvfb dbus-daemon gdbus xdotool xprop import; do
		command -v "$tool" >/dev/null || e7_skip "$tool is not installed"
	done
	[[ -x $E7_BUILDDIR/applet/e7-applet ]] || e7_skip "e7-applet is not built in $E7_BUILDDIR"
}

e7x_cleanup() {
	[[ -n $E7X_APPLET ]] && kill "$E7X_APPLET" 2>/dev/null
	[[ -n $E7X_BUS_PID ]] && kill "$E7X_BUS_PID" 2>/dev/null
	[[ -n $E7X_XVFB ]] && kill "$E7X_XVFB" 2>/dev/null
	[[ -n $E7X_TMP ]] && rm -rf "$E7X_TMP"
	E7X_APPLET= E7X_BUS_PID= E7X_XVFB=
}

# e7x_start: an X server and a session bus for this shell.
e7x_start() {
	local n
	E7X_TMP=$(mktemp -d)
	chmod 755 "$E7X_TMP"
	mkdir -p "$E7X_TMP/home"
	[[ -z $E7X_USER ]] || chown "$E7X_USER" "$E7X_TMP/home"
	trap e7x_cleanup EXIT
	Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3>"$E7X_TMP/display" 2>/dev/null &
	E7X_XVFB=$!
	for ((n = 0; n < 100; n++)); do
		[[ -s $E7X_TMP/display ]] && break
		sleep 0.1
	done
	[[ -s $E7X_TMP/display ]] || e7_fail "Xvfb did not start"
	export DISPLAY=":$(head -n1 "$E7X_TMP/display")"
	# The pointer starts mid-screen, where prompts appear: a tooltip
	# would cover part of a screenshot.
	xdotool mousemove 0 0
	DBUS_SESSION_BUS_ADDRESS=unused
	DBUS_SESSION_BUS_ADDRESS=$(e7x_run dbus-daemon --session --fork --print-address=1 \
		--print-pid=1 | tee "$E7X_TMP/bus" | head -n1) || e7_fail "no session bus"
	export DBUS_SESSION_BUS_ADDRESS
	E7X_BUS_PID=$(sed -n 2p "$E7X_TMP/bus")
	export NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GDK_BACKEND=x11
	# The catalogs of the build tree, as "make install" would place them.
	for n in "$E7_BUILDDIR"/po/*.gmo; do
		[[ -e $n ]] || continue
		mkdir -p "$E7X_TMP/locale/$(basename "$n" .gmo)/LC_MESSAGES"
		cp "$n" "$E7X_TMP/locale/$(basename "$n" .gmo)/LC_MESSAGES/eftirlit7.mo"
	done
	# A right-to-left check needs a catalog for the language: GLib translates
	# GTK's own strings (and picks its text direction) only for languages
	# the application has a catalog for. A header-only Hebrew catalog keeps
	# the applet's strings English but lays the window out right to left.
	if command -v msginit >/dev/null && [[ ! -e $E7X_TMP/locale/he ]]; then
		mkdir -p "$E7X_TMP/locale/he/LC_MESSAGES"
		msginit --no-translator -l he -i "$E7_SRCDIR/po/eftirlit7.pot" \
			-o "$E7X_TMP/he.po" >/dev/null 2>&1 &&
			msgfmt -o "$E7X_TMP/locale/he/LC_MESSAGES/eftirlit7.mo" "$E7X_TMP/he.po"
	fi
	export E7_LOCALEDIR=$E7X_TMP/locale
	e7_log "X server $DISPLAY, session bus $DBUS_SESSION_BUS_ADDRESS"
}

# e7x_applet [LANGUAGE [session|system]]: (re)start the applet as the session
# starts it (--background). With "session" (the default) it serves prompts
# from a fake daemon on the session bus; with "system" it registers with e7d.
e7x_applet() {
	local lang=${1:-en} bus=${2:-session} n
	local args=(--background)
	[[ $bus == session ]] && args+=(--session-bus)
	e7x_stop_applet
	if [[ -n $E7X_USER ]]; then
		setpriv --reuid="$(id -u "$E7X_USER")" --regid="$(id -g "$E7X_USER")" \
			--init-groups --inh-caps=-all -- \
			env DISPLAY="$DISPLAY" DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" \
			NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GDK_BACKEND=x11 \
			E7_LOCALEDIR="$E7_LOCALEDIR" HOME="$E7X_TMP/home" LANG=C.UTF-8 \
			G_MESSAGES_DEBUG=e7-applet \
			LANGUAGE="$lang" "$E7_BUILDDIR/applet/e7-applet" "${args[@]}" \
			>"$E7X_TMP/applet-$lang.log" 2>&1 &
	else
		LANG=C.UTF-8 LANGUAGE=$lang G_MESSAGES_DEBUG=e7-applet \
			"$E7_BUILDDIR/applet/e7-applet" "${args[@]}" \
			>"$E7X_TMP/applet-$lang.log" 2>&1 &
	fi
	E7X_APPLET=$!
	E7X_LOG=$E7X_TMP/applet-$lang.log
	e7x_run timeout 10 gdbus wait --session org.eftirlit7.Applet ||
		e7_fail "the applet did not take its bus name: $(cat "$E7X_TMP/applet-$lang.log")"
	# As at login: the applet has prepared itself before the first prompt.
	for ((n = 0; n < 300; n++)); do
		grep -q "ready for prompts" "$E7X_LOG" 2>/dev/null && break
		sleep 0.1
	done
	((n < 300)) || e7_fail "the applet did not get ready: $(cat "$E7X_LOG")"
	[[ $bus == session ]] || return 0
	# The agent is exported once the bus connection is up.
	for ((n = 0; n < 50; n++)); do
		gdbus introspect --session --dest org.eftirlit7.Applet \
			--object-path /org/eftirlit7/Applet/Agent 2>/dev/null |
			grep -q org.eftirlit7.Firewall1.Agent && return 0
		sleep 0.1
	done
	e7_fail "the applet exports no agent"
}

# e7x_wait_log ERE WHY: wait (up to 30 s) for a line of the applet's log
# matching ERE; fail with WHY if none comes.
e7x_wait_log() {
	local n
	for ((n = 0; n < 300; n++)); do
		grep -qE "$1" "$E7X_LOG" 2>/dev/null && return
		sleep 0.1
	done
	e7_fail "$2"
}

# e7x_asked ID...: wait until the applet has received prompts ID.
e7x_asked() {
	local id
	for id in "$@"; do
		e7x_wait_log "prompt $id asked for" "the applet never received prompt $id"
	done
}

# e7x_asked_for REGEX...: wait until the applet was asked about a program
# matching each REGEX.
e7x_asked_for() {
	local re
	for re in "$@"; do
		e7x_wait_log "prompt [0-9]+ asked for $re" "the applet was never asked about $re"
	done
}

# e7x_shown ID: "MS US" for prompt ID, as the applet logs it when the window
# maps: milliseconds from the request to the window, and the wall clock then
# (microseconds since the epoch). Waits up to 10 s for the line.
e7x_shown() {
	local id=$1 n line
	for ((n = 0; n < 100; n++)); do
		line=$(grep "prompt $id on screen" "$E7X_LOG" 2>/dev/null | tail -n1)
		if [[ -n $line ]]; then
			sed -n 's/.*on screen \([0-9.]*\) ms after the request, at \([0-9]*\) us.*/\1 \2/p' \
				<<<"$line"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# e7x_shown_since US: "ID MS US" of the first prompt window that mapped at or
# after wall clock US (microseconds since the epoch); waits up to 10 s.
e7x_shown_since() {
	local since=$1 n out
	for ((n = 0; n < 100; n++)); do
		out=$(sed -n 's/.*prompt \([0-9]*\) on screen \([0-9.]*\) ms after the request, at \([0-9]*\) us.*/\1 \2 \3/p' \
			"$E7X_LOG" 2>/dev/null | awk -v s="$since" '$3 >= s {print; exit}')
		[[ -n $out ]] && { echo "$out"; return 0; }
		sleep 0.1
	done
	return 1
}

# e7x_applet_log: what the applet printed.
e7x_applet_log() {
	cat "$E7X_TMP"/applet-*.log 2>/dev/null
}

e7x_stop_applet() {
	if [[ -n $E7X_APPLET ]]; then
		kill "$E7X_APPLET" 2>/dev/null
		wait "$E7X_APPLET" 2>/dev/null
		E7X_APPLET=
	fi
}

# e7x_ask ID PROGRAM ADDRESS PORT [EXTRA]: call Agent.Ask in the background;
# the answer (or error) lands in $E7X_TMP/answer-ID.
e7x_ask() {
	local id=$1 program=$2 addr=$3 port=$4 extra=${5:-}
	gdbus call --session --timeout 120 --dest org.eftirlit7.Applet \
		--object-path /org/eftirlit7/Applet/Agent \
		--method org.eftirlit7.Firewall1.Agent.Ask \
		"{'id': <uint64 $id>, 'program': <'$program'>, 'pid': <uint32 $((4000 + id))>,
		  'cmdline': <'$program --verbose https://$addr:$port/'>, 'uid': <uint32 1500>,
		  'user': <'e7test'>, 'protocol': <'tcp'>, 'direction': <'out'>,
		  'remote-address': <'$addr'>, 'remote-port': <uint16 $port>,
		  'timeout': <uint32 60>, 'default-action': <'block'> $extra}" \
		>"$E7X_TMP/answer-$id" 2>&1 &
}

# e7x_answer ID: wait (up to 30 s: debug kernels are slow) for the answer of
# prompt ID and print it.
e7x_answer() {
	local id=$1 n
	for ((n = 0; n < 300; n++)); do
		[[ -s $E7X_TMP/answer-$id ]] && break
		sleep 0.1
	done
	cat "$E7X_TMP/answer-$id"
}

# e7x_window [ROLE [SECONDS]]: print the id of the visible prompt window (or
# the applet's window with ROLE, e.g. e7-rules), waiting up to SECONDS
# (default 20: emulated guests are slow; the prompt's own time is checked
# from the applet's log).
e7x_window() {
	local role=${1:-e7-prompt} n wid end=$((SECONDS + ${2:-20}))
	for ((n = 0; SECONDS <= end; n++)); do
		# All applet windows have one class; each has its own role.
		for wid in $(xdotool search --onlyvisible --classname e7-applet 2>/dev/null); do
			if xprop -id "$wid" WM_WINDOW_ROLE 2>/dev/null | grep -q "\"$role\""; then
				echo "$wid"
				return 0
			fi
		done
		sleep 0.02
	done
	return 1
}

# e7x_shot NAME [ROLE]: screenshot of the prompt window (or the window with
# ROLE) into $E7_ARTIFACTS/NAME.png.
e7x_shot() {
	local wid n black
	wid=$(e7x_window "${2:-e7-prompt}")
	[[ -n $wid ]] || e7_fail "no prompt window for screenshot $1"
	sleep 0.3 # let the host-name lookup and the icon settle
	import -window "$wid" "$E7_ARTIFACTS/$1.png" || e7_fail "import failed for $1"
	# Under emulation a relayout may not be painted yet: a pure black
	# area (the theme draws none) means the window was caught mid-paint.
	# Try once more; if it stays, say where and which windows are mapped.
	for ((n = 0; n < 2; n++)); do
		black=$(convert "$E7_ARTIFACTS/$1.png" -fuzz 1% -fill white +opaque black \
			-fill black -opaque black -format %@ info: 2>/dev/null)
		[[ $black == 0x0+* ]] && break
		if ((n == 0)); then
			sleep 1
			import -window "$wid" "$E7_ARTIFACTS/$1.png" || e7_fail "import failed for $1"
		else
			e7_log "screenshot $1 has a black area $black; windows:"
			xwininfo -root -tree 2>&1 | grep -v '1x1+' | head -20
		fi
	done
	e7_log "screenshot $E7_ARTIFACTS/$1.png"
}

# e7x_keys KEY...: type keys into the prompt window.
e7x_keys() {
	local wid
	wid=$(e7x_window)
	[[ -n $wid ]] || e7_fail "no prompt window to type into"
	# No window manager gives focus: take it, then type through XTEST.
	xdotool windowfocus --sync "$wid" 2>/dev/null
	xdotool key --clearmodifiers "$@"
}

# e7x_click allow|block: click (XTEST, through xdotool) the prompt's Allow or
# Block button. GTK draws its buttons inside one X window, so the button is
# found in a screenshot: the bounding box of the suggested-action (blue) or
# destructive-action (red) colour in the window's bottom row of buttons.
e7x_click() {
	local wid h box colour bw bh bx by X Y WIDTH HEIGHT SCREEN
	case $1 in
	allow) colour='#2F81E3' ;;
	block) colour='#DA1A23' ;;
	*) e7_fail "e7x_click: no button $1" ;;
	esac
	wid=$(e7x_window)
	[[ -n $wid ]] || e7_fail "no prompt window to click $1 in"
	eval "$(xdotool getwindowgeometry --shell "$wid")"
	import -window "$wid" "$E7X_TMP/click.png" || e7_fail "import failed"
	h=$(identify -format %h "$E7X_TMP/click.png")
	box=$(convert "$E7X_TMP/click.png" -crop "x60+0+$((h - 60))" +repage -fuzz 15% \
		-fill white +opaque "$colour" -fill black -opaque "$colour" -format %@ info:)
	IFS='x+' read -r bw bh bx by <<<"$box"
	((bw >= 40 && bh >= 20)) || e7_fail "no $1 button in the prompt window (found '$box')"
	xdotool mousemove --sync "$((X + bx + bw / 2))" "$((Y + h - 60 + by + bh / 2))" click 1
	# Off the windows again: no tooltip over the next prompt's screenshot.
	xdotool mousemove 0 0
}

# e7x_setup GRANT: e7d installed, its mode and prompt timeout kept in
# $orig_mode and $orig_timeout for e7x_restore, and e7test granted what an
# active desktop session gets (rules.own, info: setpriv gives e7test no
# logind session) by the polkit rules file GRANT; then mode ask.
e7x_setup() {
	e7d_install
	orig_mode=$("${E7CALL[@]}" --method org.eftirlit7.Firewall1.GetMode |
		sed -n "s/^('\(.*\)',)$/\1/p")
	orig_timeout=$(e7ctl get prompt-timeout | awk '{ print $NF }')
	mkdir -p "${1%/*}"
	cat >"$1" <<'RULES'
polkit.addRule(function(action, subject) {
	if (subject.user == "e7test" &&
	    (action.id == "org.eftirlit7.firewall.rules.own" ||
	     action.id == "org.eftirlit7.firewall.info"))
		return polkit.Result.YES;
});
RULES
	systemctl restart polkit.service || e7_fail "cannot restart polkit"
	"${E7CALL[@]}" --method org.eftirlit7.Firewall1.SetMode ask >/dev/null ||
		e7_fail "cannot set mode ask"
}

# e7x_restore GRANT: leaves the guest as found for the next tests of the
# boot: the applet session, background jobs, the namespace srv, e7test's
# rules, e7d's prompt timeout and mode ($orig_timeout, $orig_mode, which
# e7d keeps) and the polkit grant file GRANT.
e7x_restore() {
	local id
	e7x_cleanup
	kill $(jobs -p) 2>/dev/null
	ip netns del srv 2>/dev/null
	for id in $("${E7CALL[@]}" --method org.eftirlit7.Firewall1.ListRules "{'uid': <uint32 1500>}" |
		grep -o "'id': <uint64 [0-9]*>" | grep -o '[0-9]*>' | tr -d '>'); do
		"${E7CALL[@]}" --method org.eftirlit7.Firewall1.RemoveRule "$id" >/dev/null
	done
	[[ -z $orig_timeout ]] || e7ctl set prompt-timeout "$orig_timeout" >/dev/null
	[[ -z $orig_mode || $orig_mode == unknown ]] ||
		"${E7CALL[@]}" --method org.eftirlit7.Firewall1.SetMode "$orig_mode" >/dev/null
	rm -f "$1"
	systemctl restart polkit.service
}
