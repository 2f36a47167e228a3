#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-completion.sh - the bash completion: sourced without errors
# (also under `set -u`), it offers every long option of --help and the
# values of the options that have fixed ones.
#
# Copyright (C) 2026 The slirp4netns authors
#
# S4N_COMPLETION names the file (default: completion/slirp4netns in the
# source tree); .ci/run points it at the one in the .deb.

. "$(dirname "$0")/lib.sh"

SRCDIR=${S4N_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
COMPLETION=${S4N_COMPLETION:-$SRCDIR/completion/slirp4netns}
[ -f "$COMPLETION" ] || bail_out "no completion file at $COMPLETION"

# complete WORD... - print, one a line, what the completion offers for the
# last WORD of "slirp4netns WORD..." (the binary under test completing)
complete_words()
{
	bash --norc --noprofile -u -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_slirp4netns || exit 1
		printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$COMPLETION" "$S4N_BINARY" "$@"
}

out=$(bash --norc --noprofile -u -c '. "$1" && complete -p slirp4netns' \
	sh "$COMPLETION" 2>&1) && st=0 || st=$?
is "$st" 0 "sourcing the completion (set -u) succeeds"
is "$out" "complete -F _slirp4netns slirp4netns" \
	"... prints nothing and registers _slirp4netns for slirp4netns"
ok "bash -n: the file parses" bash -n "$COMPLETION"

# Every long option of --help, with "=" for those that take a value.
want=$("$S4N_BINARY" --help |
	sed -nE 's/^ {2,6}(-[a-zA-Z0-9], )?(--[a-z0-9][a-z0-9-]*)(=?).*/\2\3/p' |
	sort)
got=$(complete_words -- | sort)
is "$got" "$want" "'--' offers every long option of --help"
like "$want" $'(^|\n)--mtu=(\n|$)' "... --mtu= among them"
like "$want" $'(^|\n)--configure(\n|$)' "... --configure among them"
is "$(complete_words --netns-t)" "--netns-type=" "a prefix completes to one option"

is "$(complete_words --netns-type= | tr '\n' ' ')" \
	"--netns-type=pid --netns-type=path --netns-type=tapfd --netns-type=create " \
	"--netns-type=: pid, path, tapfd, create (one word)"
is "$(complete_words --netns-type = p | tr '\n' ' ')" "pid path " \
	"--netns-type = p: pid, path (\"=\" a word of its own)"
is "$(complete_words --target-type b)" "bess" "--target-type b: bess"
like "$(complete_words --outbound-addr "")" $'(^|\n)lo(\n|$)' \
	"--outbound-addr: interface names"
is "$(complete_words --mtu "")" $'1500\n65520' "--mtu: 1500 and 65520"
is "$(complete_words -e "")" "" "-e: nothing to offer for an fd"
like "$(complete_words -c "$$")" $'(^|\n)'"$$"$'(\n|$)' \
	"the target: process IDs"
is "$(complete_words -c "$$" "")" "tap0" "then the TAP name: tap0"
like "$(complete_words --netns-type=path /pro)" '^/proc' \
	"--netns-type=path: the target is a file"
like "$(complete_words --netns-type create /pro)" '^/proc' \
	"--netns-type create: the target is a file"
like "$(complete_words -c -- bas)" '(^|'$'\n'')bash('$'\n''|$)' \
	"after --: a command"
like "$(complete_words -- ls /pro)" '^/proc' "after -- COMMAND: its arguments"
is "$(complete_words -- ls --verb)" "" "after --: no option of ours"

done_testing
