#!/usr/bin/env bash
# completions/otts.bash completes what the CLI has: it is loaded with bash-completion in a
# non-interactive bash, the completion function is called with COMP_WORDS/COMP_CWORD/COMP_LINE/
# COMP_POINT set as readline would, and COMPREPLY is checked. OTTS_BASH_COMPLETION may name
# another file (to see this test fail on a broken one).
# shellcheck source=tests/blackbox/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMPLETION=${OTTS_BASH_COMPLETION:-$OTTS_SOURCE_DIR/completions/otts.bash}
BASH_COMPLETION_LIB=${BASH_COMPLETION_LIB:-/usr/share/bash-completion/bash_completion}
if [ ! -r "$BASH_COMPLETION_LIB" ]; then
    if [ "${CI:-}" = true ]; then fail "bash-completion is not installed ($BASH_COMPLETION_LIB)"; finish; fi
    echo "skip: bash-completion is not installed ($BASH_COMPLETION_LIB)" >&2
    exit 0
fi

# Runs in a separate bash without -e/-u (bash-completion is not written for them): reads command
# lines on stdin, one per line ("|" marks the end when the line ends in spaces), and prints each
# line's COMPREPLY words on one line.
cat >"$WORK/complete.sh" <<'EOF'
source "$1" || exit 90
source "$2" || exit 91
func=$(complete -p otts 2>/dev/null | sed -nE 's/.*-F ([^ ]+) .*/\1/p')
[ -n "$func" ] || exit 92
while IFS= read -r line; do
    line=${line%|}
    COMP_LINE=$line
    COMP_POINT=${#line}
    read -ra COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    "$func" otts "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    echo "${COMPREPLY[*]}"
done
EOF

complete_lines() {  # lines... -> $WORK/replies (one line of words per input line)
    printf '%s\n' "$@" | bash --norc --noprofile "$WORK/complete.sh" "$BASH_COMPLETION_LIB" "$COMPLETION" \
        >"$WORK/replies" 2>"$WORK/complete.err"
}

# expect LINE includes|excludes|equals WORDS...: one check per call (the completion runs once
# per call, so a failure names its line).
expect() {
    local line=$1 how=$2; shift 2
    local rc=0
    complete_lines "$line|" || rc=$?
    if [ "$rc" -ne 0 ]; then fail "completing '$line': the script failed (exit $rc): $(cat "$WORK/complete.err")"; return 0; fi
    local got
    got=$(head -n1 "$WORK/replies")
    local -a have
    read -ra have <<<"$got"
    local w ok=1
    case $how in
        includes) for w in "$@"; do [[ " ${have[*]} " == *" $w "* ]] || ok=0; done ;;
        excludes) for w in "$@"; do [[ " ${have[*]} " == *" $w "* ]] && ok=0; done ;;
        equals) [ "$(printf '%s\n' "${have[@]}" | sort | xargs)" = "$(printf '%s\n' "$@" | sort | xargs)" ] || ok=0 ;;
    esac
    if [ "$ok" -eq 1 ]; then pass "'$line' $how: $*"; else fail "'$line' should be $how: $*; got: ${got:-nothing}"; fi
}

expect "otts " includes issue verify decode solve-pow keygen license
expect "otts iss" equals issue
expect "otts issue " includes one-time create user
expect "otts issue create " excludes one-time create user
expect "otts verify --n" includes --no-consume --nonce
expect "otts solve-pow --t" includes --threads --timeout
expect "otts solve-pow --t" excludes --ttl
expect "otts --json -q ver" equals verify verify-pin
expect "otts --json -q verify-" equals verify-pin
expect "otts --home /nonexistent s" equals solve-pow serve secret
expect "otts secret " equals create get burn
expect "otts secret create --" includes --ttl --views --passphrase-file --page
expect "otts secret create --" excludes --burn-token
expect "otts secret get --pa" equals --passphrase-file
expect "otts secret burn x --b" equals --burn-token
expect "otts serve --p" includes --port --pow-difficulty --pow-ladder
expect "otts serve --log-format " equals text json
expect "otts keygen " includes hs256 es256
expect "otts license " equals create
expect "otts license create --" includes --email --days --workspace-limit --seat-count
expect "otts verify --expect " equals one-time create user license
expect "otts issue --" includes --ttl --user --difficulty --claim --json --home
expect "otts issue --" excludes --pow --no-consume

# Paths: --home takes directories, --out/--db/--secret-file any file.
mkdir -p "$WORK/paths/dir-a"
: >"$WORK/paths/file-b"
expect "otts --home $WORK/paths/" equals "$WORK/paths/dir-a"
expect "otts keygen --out $WORK/paths/fi" equals "$WORK/paths/file-b"
expect "otts --db $WORK/paths/fi" equals "$WORK/paths/file-b"
expect "otts --secret-file $WORK/paths/fi" equals "$WORK/paths/file-b"

# Every long option the binary shows for a subcommand completes after that subcommand, and every
# subcommand it lists completes after `otts`.
help_section() { awk -v want="$1" '/^[A-Za-z][A-Za-z ]*:$/{on = ($0 == want); next} /^[^ ]/{on = 0} on'; }
long_flags_of() { help_section "Options:" | awk '{print $1}' | tr ',' '\n' | grep -E '^--[a-z]' || true; }
check_path() {  # "sub [subsub]": its name completes, and so does each of its long options
    local path=$1 help flag sub
    expect "otts $path" includes "${path##* }"
    # shellcheck disable=SC2086  # the path is words on purpose
    help=$("$OTTS_BIN" $path --help 2>&1) || { fail "otts $path --help failed"; return 0; }
    for flag in $(long_flags_of <<<"$help"); do expect "otts $path $flag" includes "$flag"; done
    for sub in $(help_section "Subcommands:" <<<"$help" | awk 'NF {print $1}'); do check_path "$path $sub"; done
}
if top_help=$("$OTTS_BIN" --help 2>&1); then
    for flag in $(long_flags_of <<<"$top_help"); do expect "otts $flag" includes "$flag"; done
    for sub in $(help_section "Subcommands:" <<<"$top_help" | awk 'NF {print $1}'); do check_path "$sub"; done
else
    fail "otts --help failed: $top_help"
fi

finish
