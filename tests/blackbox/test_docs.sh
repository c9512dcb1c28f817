#!/usr/bin/env bash
# The man page, the shell completions and the README cannot drift from the CLI: every
# subcommand the binary lists and every long option of each subcommand's --help must appear in
# man/otts.1 and in the bash, zsh and fish completions; the man page must render without
# warnings, document every exit code of core/error.hpp and every environment variable the code
# reads; the completion files must parse.
# shellcheck source=tests/blackbox/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MAN="$OTTS_SOURCE_DIR/man/otts.1"
BASH_COMP="$OTTS_SOURCE_DIR/completions/otts.bash"
ZSH_COMP="$OTTS_SOURCE_DIR/completions/_otts"
FISH_COMP="$OTTS_SOURCE_DIR/completions/otts.fish"
README="$OTTS_SOURCE_DIR/README.md"

# A tool this test needs is missing: a skip normally, a failure under CI=true.
missing_tool() {
    if [ "${CI:-}" = true ]; then fail "$1 is not installed"; else echo "skip: $1 is not installed" >&2; fi
}

for f in "$MAN" "$BASH_COMP" "$ZSH_COMP" "$FISH_COMP" "$README"; do
    if [ -s "$f" ]; then pass "${f#"$OTTS_SOURCE_DIR"/} exists"; else fail "${f#"$OTTS_SOURCE_DIR"/} is missing or empty"; fi
done

# --- the man page renders cleanly -------------------------------------------------------------
if command -v groff >/dev/null; then
    if warnings=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1) && [ -z "$warnings" ]; then
        pass "groff renders the man page without warnings"
    else
        fail "groff warnings in man/otts.1: $warnings"
    fi
else
    missing_tool groff
fi
if command -v man >/dev/null; then
    if warnings=$(MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null) && [ -z "$warnings" ]; then
        pass "man --warnings -l renders the man page without warnings"
    else
        fail "man --warnings -l man/otts.1: $warnings"
    fi
fi

# The man source with roff escapes for '-' undone, so '\-\-ttl' reads '--ttl'.
MAN_TEXT=$(sed -e 's/\\-/-/g' -e 's/\\%//g' "$MAN")
# One section of the man page (.SH NAME up to the next .SH).
man_section() { awk -v want="$1" '/^\.SH /{on = (substr($0, 5) == want || substr($0, 5) == "\"" want "\"")} on' <<<"$MAN_TEXT"; }
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "GLOBAL OPTIONS" ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    if [ -n "$(man_section "$s")" ]; then pass "man page has section $s"; else fail "man page lacks section $s"; fi
done

# --- what the binary says it has ----------------------------------------------------------------
# Lines of one section ("Options:", "Subcommands:") of CLI11's --help output.
help_section() {
    awk -v want="$1" '/^[A-Za-z][A-Za-z ]*:$/{on = ($0 == want); next} /^[^ ]/{on = 0} on'
}
# Long options named in a --help output (the name column only, not the descriptions).
long_flags_of() { help_section "Options:" | awk '{print $1}' | tr ',' '\n' | grep -E '^--[a-z]' || true; }
subcommands_of() { help_section "Subcommands:" | awk 'NF {print $1}'; }

if ! top_help=$("$OTTS_BIN" --help 2>&1); then fail "otts --help failed: $top_help"; fi
# Every subcommand path, depth first: "issue", ..., "license", "license create".
paths=()
collect() {
    local prefix=$1 help=$2 sub
    for sub in $(subcommands_of <<<"$help"); do
        local path="${prefix:+$prefix }$sub"
        paths+=("$path")
        local sub_help
        # shellcheck disable=SC2086  # the path is words on purpose
        if ! sub_help=$("$OTTS_BIN" $path --help 2>&1); then fail "otts $path --help failed"; continue; fi
        collect "$path" "$sub_help"
    done
}
collect "" "$top_help"
if [ "${#paths[@]}" -ge 6 ]; then pass "otts --help lists ${#paths[@]} subcommands: ${paths[*]}"; else
    fail "otts --help lists too few subcommands: ${paths[*]:-none}"; fi

has_flag() { grep -qE -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|\$)" <<<"$1"; }
# fish names long options as `-l name`.
fish_has_flag() { grep -qE -- "(^|[[:space:]])-l ${1#--}([[:space:]]|\$)" "$FISH_COMP"; }

check_flag() {  # where (for messages), flag
    local where=$1 flag=$2 ok=1
    has_flag "$MAN_TEXT" "$flag" || { fail "$flag ($where) is not in man/otts.1"; ok=0; }
    has_flag "$(cat "$BASH_COMP")" "$flag" || { fail "$flag ($where) is not in completions/otts.bash"; ok=0; }
    has_flag "$(cat "$ZSH_COMP")" "$flag" || { fail "$flag ($where) is not in completions/_otts"; ok=0; }
    fish_has_flag "$flag" || { fail "$flag ($where) is not in completions/otts.fish"; ok=0; }
    [ "$ok" -eq 1 ] && pass "$flag ($where) is documented and completed"
    return 0
}

nflags=0
for flag in $(long_flags_of <<<"$top_help"); do check_flag "global" "$flag"; nflags=$((nflags + 1)); done
for path in "${paths[@]}"; do
    # shellcheck disable=SC2086
    sub_help=$("$OTTS_BIN" $path --help 2>&1) || true
    for flag in $(long_flags_of <<<"$sub_help"); do check_flag "$path" "$flag"; nflags=$((nflags + 1)); done

    # The subcommand itself: a COMMANDS entry in the man page, a word in each completion.
    # (an entry may name a deeper path: "\fBlicense create\fP" documents "license" too)
    commands_section=$(man_section COMMANDS)
    if grep -qF -- "\\fB$path\\fP" <<<"$commands_section" || grep -qF -- "\\fB$path " <<<"$commands_section"; then
        pass "man COMMANDS documents '$path'"
    else
        fail "man/otts.1 COMMANDS has no entry \\fB$path\\fP"; fi
    last=${path##* }
    for f in "$BASH_COMP" "$ZSH_COMP" "$FISH_COMP"; do
        if grep -qE -- "(^|[^A-Za-z0-9_-])$last([^A-Za-z0-9_-]|\$)" "$f"; then :; else
            fail "subcommand '$path' is not in ${f#"$OTTS_SOURCE_DIR"/}"; fi
    done
    if grep -qE -- "otts $path([^A-Za-z0-9_-]|\$)" "$README"; then pass "README mentions 'otts $path'"; else
        fail "README.md does not mention 'otts $path'"; fi
done
# A parser change that hid every option would make the loop above vacuous.
if [ "$nflags" -ge 25 ]; then pass "checked $nflags long options"; else fail "only $nflags long options found in --help"; fi

# --- exit codes: the table in core/error.hpp, all of it, and nothing else -----------------------
codes=$(sed -n '/^namespace exit_code/,/^}/p' "$OTTS_SOURCE_DIR/core/error.hpp" |
    sed -nE 's/.*constexpr int [a-z_]+ = ([0-9]+);.*/\1/p' | sort -n)
man_codes=$(man_section "EXIT STATUS" | sed -nE 's/^\.B ([0-9]+)$/\1/p' | sort -n)
if [ "$(wc -w <<<"$codes")" -ge 13 ]; then pass "core/error.hpp has $(wc -w <<<"$codes") exit codes"; else
    fail "could not read the exit codes of core/error.hpp: $codes"; fi
for code in $codes; do
    if grep -qx "$code" <<<"$man_codes"; then pass "exit code $code in man EXIT STATUS"; else
        fail "exit code $code is not in man/otts.1 EXIT STATUS"; fi
done
for code in $man_codes; do
    grep -qx "$code" <<<"$codes" || fail "man/otts.1 EXIT STATUS lists $code, which core/error.hpp does not have"
done

# --- environment variables the code reads -------------------------------------------------------
env_vars=$(
    cd "$OTTS_SOURCE_DIR" || exit 1
    {
        grep -ohE '"[A-Z][A-Z0-9_]{2,}"' adapters/settings.cpp adapters/key_config.cpp adapters/data_home.cpp \
            cli/*.cpp app/*.cpp || true
        # Settings lookups anywhere in the adapters: settings.get("NAME") / get({"A", "B"}).
        grep -rohE 'get\(\{?"[A-Z][A-Z0-9_]+"(, "[A-Z][A-Z0-9_]+")*' adapters || true
        grep -rohE 'getenv\("[A-Z][A-Z0-9_]*"' adapters core cli app || true
    } 2>/dev/null | grep -oE '[A-Z][A-Z0-9_]+' | sort -u
)
if [ "$(wc -w <<<"$env_vars")" -ge 10 ]; then pass "the code reads $(wc -w <<<"$env_vars") environment variables"; else
    fail "could not find the environment variables the code reads: $env_vars"; fi
env_section=$(man_section ENVIRONMENT)
for var in $env_vars; do
    if grep -qE "(^|[^A-Z0-9_])$var([^A-Z0-9_]|\$)" <<<"$env_section"; then pass "man ENVIRONMENT documents $var"; else
        fail "$var is read by the code but not in man/otts.1 ENVIRONMENT"; fi
done

# --- data home files ---------------------------------------------------------------------------
files_section=$(man_section FILES)
for name in otts.db secret license.key license.pub config; do
    grep -qF ".B $name" <<<"$files_section" || fail "man/otts.1 FILES does not describe $name"
done

# --- the completion files parse -----------------------------------------------------------------
if bash -n "$BASH_COMP" 2>"$WORK/bash-n"; then pass "bash -n otts.bash"; else fail "bash -n otts.bash: $(cat "$WORK/bash-n")"; fi
if command -v zsh >/dev/null; then
    if zsh -n "$ZSH_COMP" 2>"$WORK/zsh-n"; then pass "zsh -n _otts"; else fail "zsh -n _otts: $(cat "$WORK/zsh-n")"; fi
    head -n1 "$ZSH_COMP" | grep -q '^#compdef otts' || fail "_otts does not start with '#compdef otts'"
else
    missing_tool zsh
fi
if command -v fish >/dev/null; then
    if fish --no-execute "$FISH_COMP" 2>"$WORK/fish-n"; then pass "fish --no-execute otts.fish"; else
        fail "fish --no-execute otts.fish: $(cat "$WORK/fish-n")"; fi
else
    missing_tool fish
fi

finish
