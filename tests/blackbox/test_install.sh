#!/usr/bin/env bash
# `cmake --install` puts the binary, the man page and the three completions where their tools
# look for them (GNUInstallDirs under the prefix), and the installed binary runs.
source "$(dirname "$0")/lib.sh"

build_dir=$(cd "$(dirname "$OTTS_BIN")/.." && pwd)
prefix="$WORK/prefix"
expect_exit 0 "cmake --install into a temporary prefix" -- cmake --install "$build_dir" --prefix "$prefix"

for f in bin/otts share/man/man1/otts.1 share/bash-completion/completions/otts \
         share/zsh/vendor-completions/_otts share/fish/vendor_completions.d/otts.fish; do
    [ -f "$prefix/$f" ] && pass "installed $f" || fail "missing $prefix/$f"
done
[ -x "$prefix/bin/otts" ] && pass "otts is executable" || fail "otts is not executable"

expect_exit 0 "the installed otts runs" -- "$prefix/bin/otts" --version
grep -q '^otts ' <<<"$OUT" && pass "version line" || fail "version output: $OUT"
expect_exit 0 "man finds the installed page" -- env MANPATH="$prefix/share/man" man -w otts
[ "$OUT" = "$prefix/share/man/man1/otts.1" ] && pass "man -w points into the prefix" || fail "man -w: $OUT"

finish
