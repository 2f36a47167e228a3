#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/fuzz.sh - build the libFuzzer targets with clang, run each briefly
#
# Usage: tests/fuzz.sh [SECONDS [TARGET...]]
#   SECONDS	time per target (default 60; 0 only builds)
#   TARGET	api, frame, reasm (default: all)
# Environment: FUZZ_BUILDDIR (default: a new temporary directory), CC
# (default clang). A fixed seed makes CI runs repeatable; new inputs go to
# a scratch corpus, never to the committed one in tests/corpus/.
#
# Copyright (C) 2026 The slirp4netns authors
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(api frame reasm)
builddir=${FUZZ_BUILDDIR:-$(mktemp -d /tmp/s4n-fuzz.XXXXXX)}
cc=${CC:-clang}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -fno-omit-frame-pointer $san"

mkdir -p "$builddir"
cd "$builddir"
if [ ! -f Makefile ]; then
	echo "# configuring in $builddir"
	"$srcdir/configure" -q CC="$cc" \
		CFLAGS="$cflags -fsanitize=fuzzer-no-link"
fi
make -s libs4n.a commit.h

pkgs="slirp glib-2.0 jansson libseccomp libcap"
for t in "${targets[@]}"; do
	echo "# building fuzz-$t"
	# shellcheck disable=SC2046,SC2086
	"$cc" $cflags -fsanitize=fuzzer -D_GNU_SOURCE -I. -I"$srcdir" \
		$(pkg-config --cflags $pkgs) \
		-o "fuzz-$t" "$srcdir/tests/fuzz-$t.c" libs4n.a \
		$(pkg-config --libs $pkgs)
done
[ "$secs" -gt 0 ] || exit 0

rc=0
for t in "${targets[@]}"; do
	scratch="$builddir/corpus-$t"
	mkdir -p "$scratch"
	echo "# fuzzing $t for ${secs}s"
	if ! "./fuzz-$t" -seed=1 -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$builddir/crash-$t-" -close_fd_mask=1 \
		"$scratch" "$srcdir/tests/corpus/$t"; then
		echo "not ok - fuzz-$t: see $builddir/crash-$t-*" >&2
		rc=1
	fi
done
exit $rc
