#!/bin/bash
# e7ctl's shell completions (bash, zsh, fish): each parses, and bash's and
# fish's offer the commands, the agent's options and the flags. TAP output.
set -u
srcdir=${G_TEST_SRCDIR:-$(dirname "$0")}/../../data
BASH_COMPLETION=/usr/share/bash-completion/bash_completion
n=0 failed=0
check() { # DESC CMD...: one TAP line for CMD's exit status
	local desc=$1 shell=${1%%:*}
	shift
	n=$((n + 1))
	# A package build without the shell (it is not a build dependency)
	# skips its checks; tools/install-deps.sh installs all three.
	if ! command -v "$shell" >/dev/null ||
		{ [[ $shell == bash ]] && [[ ! -e $BASH_COMPLETION ]]; }; then
		echo "ok $n $desc # SKIP $shell or its completion support is not installed"
		return
	fi
	if "$@" >/tmp/e7-completion.$$ 2>&1; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		sed 's/^/# /' /tmp/e7-completion.$$
		failed=1
	fi
}
# bash_offers LINE WORD: completing LINE (the cursor at its end) offers WORD.
bash_offers() {
	bash -c '
. '"$BASH_COMPLETION"'
. "$1"
COMP_LINE=$2 COMP_POINT=${#2}
read -ra COMP_WORDS <<<"$2"
[[ $2 == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_e7ctl e7ctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf "%s\n" "${COMPREPLY[@]}" | grep -qx -- "$3"' bash "$srcdir/e7ctl.bash-completion" "$1" "$2"
}
fish_offers() {
	fish -c "source $srcdir/e7ctl.fish; complete -C '$1'" | cut -f1 | grep -qx -- "$2"
}

check "bash: parses" bash -n "$srcdir/e7ctl.bash-completion"
check "bash: commands" bash_offers "e7ctl ag" agent
check "bash: agent options" bash_offers "e7ctl agent --an" --answer
check "bash: agent answers" bash_offers "e7ctl agent --answer " ignore
check "bash: flags" bash_offers "e7ctl get policy-unp" policy-unparsed
check "zsh: parses" zsh -n "$srcdir/e7ctl.zsh-completion"
check "fish: parses" fish -n "$srcdir/e7ctl.fish"
check "fish: commands" fish_offers "e7ctl ag" agent
check "fish: agent options" fish_offers "e7ctl agent --li" --lifetime
check "fish: flags" fish_offers "e7ctl get policy-unp" policy-unparsed
rm -f /tmp/e7-completion.$$
echo "1..$n"
exit $failed
