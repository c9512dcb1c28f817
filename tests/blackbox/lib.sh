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

finish() {
    if [ "$failures" -ne 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
    echo "all passed"
}
