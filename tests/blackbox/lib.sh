# Shared helpers for the black-box tests. Each test script sources this file; it runs the real
# `otts` binary ($OTTS_BIN, set by ctest) in a private, throw-away data home.
set -euo pipefail

: "${OTTS_BIN:?OTTS_BIN must point at the otts binary}"
: "${OTTS_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
OTTS_VECTORS=${OTTS_TEST_VECTORS:-${OTTS_DEFAULT_VECTORS_DIR:-$OTTS_SOURCE_DIR/../shared/vectors}}
# Debian's python3 has PyJWT and cryptography; a pyenv python3 earlier on PATH may not.
PYTHON=/usr/bin/python3
NODE_PATH="$OTTS_SOURCE_DIR/node_modules"
export NODE_PATH

WORK=$(mktemp -d "${TMPDIR:-/tmp}/otts-bb.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# A fresh data home per script; nothing from the caller's environment leaks in.
export OTTS_HOME="$WORK/home"
unset OTTS_DB OTTS_SECRET OTTS_SECRET_FILE OTTS_PREVIOUS_SECRET OTTS_PREVIOUS_SECRET_FILE \
      SECRET_KEY JWT_SECRET OTTS_LICENSE_PRIVATE_KEY OTTS_LICENSE_PUBLIC_KEY LICENSE_PUBLIC_KEY \
      OTTS_ENDPOINT OTTS_LEEWAY OTTS_POW_DIFFICULTY OTTS_POW_LADDER OTTS_RATE_LIMITS OTTS_CORS_ORIGINS \
      PIN_TTL_HOURS PIN_RATE_LIMIT_SECONDS OTTS_FIXED_PIN 2>/dev/null || true

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# expect_exit CODE DESCRIPTION -- CMD...: runs CMD, captures stdout/stderr in $OUT/$ERR.
expect_exit() {
    local want=$1 what=$2; shift 3
    set +e
    "$@" >"$WORK/out" 2>"$WORK/err"
    local got=$?
    set -e
    OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
    if [ "$got" -eq "$want" ]; then pass "$what (exit $got)"; else
        fail "$what: exit $got, wanted $want; stderr: $ERR"; fi
}

# otts with the script's data home.
otts() { "$OTTS_BIN" "$@"; }

# claim TOKEN NAME: claim NAME of compact JWT TOKEN's payload, read without a key.
claim() {
    "$PYTHON" -c 'import base64, json, sys
payload = sys.argv[1].split(".")[1]
print(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[sys.argv[2]])' "$1" "$2"
}

# pow_check PREFIX NONCE SOLUTION DIFFICULTY: the independent PoW checker (hashlib); exit 0 if
# SOLUTION is valid, 1 if not.
pow_check() { "$PYTHON" "$OTTS_SOURCE_DIR/tests/peers/pow_check.py" "$@"; }

# wrong_pow TOKEN: a solution to create token TOKEN's challenge that pow_check rejects. A made-up "wrong" solution ("${POW}x", "nope") is a valid
# one 1 time in 2^difficulty, so each candidate is proven wrong before it is used.
wrong_pow() {
    local prefix nonce difficulty counter=0 rc
    prefix=$(claim "$1" pow_prefix) nonce=$(claim "$1" nonce) difficulty=$(claim "$1" pow_difficulty)
    if [ "$difficulty" -lt 1 ]; then echo "wrong_pow: difficulty $difficulty accepts any solution" >&2; return 1; fi
    while :; do
        rc=0
        pow_check "$prefix" "$nonce" "$counter" "$difficulty" || rc=$?
        case $rc in
            0) counter=$((counter + 1)) ;;
            1) echo "$counter"; return 0 ;;
            *) echo "wrong_pow: pow_check.py failed ($rc)" >&2; return 1 ;;
        esac
    done
}

finish() {
    if [ "$failures" -ne 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
    echo "all passed"
}
