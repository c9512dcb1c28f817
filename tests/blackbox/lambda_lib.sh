# Helpers for black-box tests of the Lambda bootstrap (sourced after lib.sh and serve_lib.sh):
# a Runtime API stand-in (tests/peers/lambda_runtime_api.py) on 127.0.0.1, the real bootstrap
# polling it, events built by tests/peers/lambda_event.py. Every process started here is put in
# SERVER_PIDS, so serve_lib's EXIT trap stops it by PID.

PEERS="$OTTS_SOURCE_DIR/tests/peers"

# The bootstrap beside the otts binary: build/<preset>/cli/otts → build/<preset>/lambda/bootstrap.
BOOTSTRAP=${OTTS_LAMBDA_BOOTSTRAP:-$(dirname "$(dirname "$OTTS_BIN")")/lambda/bootstrap}
LAMBDA_ZIP=$(dirname "$BOOTSTRAP")/otts-lambda.zip

# require_bootstrap: skips the script (exit 0) when the bootstrap was not built; under CI=true
# that is a failure instead.
require_bootstrap() {
    [ -x "$BOOTSTRAP" ] && return 0
    if [ "${CI:-}" = true ]; then echo "FAIL: no bootstrap at $BOOTSTRAP" >&2; exit 1; fi
    echo "skipped: no bootstrap at $BOOTSTRAP (build the otts_lambda_bootstrap target)"
    exit 0
}

# start_runtime_api [gateway]: starts the stand-in on a free port; sets RUNTIME_API (host:port)
# and RT_URL. With "gateway" it also plays API Gateway on another free port, whose base URL
# goes in GATEWAY_URL: plain HTTP requests there are served by the bootstrap.
start_runtime_api() {
    rm -f "$WORK/rt.port" "$WORK/gw.port"
    local gateway=()
    [ "${1:-}" = gateway ] && gateway=("$WORK/gw.port")
    "$PYTHON" "$PEERS/lambda_runtime_api.py" "$WORK/rt.port" "${gateway[@]}" 2>>"$WORK/rt.err" &
    SERVER_PIDS+=("$!")
    local i
    for ((i = 0; i < 200; i++)); do
        [ -s "$WORK/rt.port" ] && break
        sleep 0.05
    done
    [ -s "$WORK/rt.port" ] || { echo "FAIL: runtime API stand-in did not start: $(cat "$WORK/rt.err")" >&2; exit 1; }
    RUNTIME_API="127.0.0.1:$(cat "$WORK/rt.port")"
    RT_URL="http://$RUNTIME_API"
    if [ ${#gateway[@]} -gt 0 ]; then
        for ((i = 0; i < 200; i++)); do [ -s "$WORK/gw.port" ] && break; sleep 0.05; done
        GATEWAY_URL="http://127.0.0.1:$(cat "$WORK/gw.port")"
    fi
}

# now_s: the wall clock in seconds with fractions (comparable with Python's time.time()).
now_s() { date +%s.%N; }

# start_bootstrap [BINARY] [VAR=VALUE...]: starts the bootstrap (default $BOOTSTRAP) against the
# stand-in with the Lambda's environment plus the given variables; sets BOOT_PID and
# BOOT_STARTED (now_s just before the start). stderr goes to $WORK/boot.err.
start_bootstrap() {
    local binary=$BOOTSTRAP
    if [ $# -gt 0 ] && [[ "$1" != *=* ]]; then binary=$1; shift; fi
    BOOT_STARTED=$(now_s)
    env AWS_LAMBDA_RUNTIME_API="$RUNTIME_API" AWS_LAMBDA_FUNCTION_NAME=otts AWS_REGION=us-east-1 \
        "${LAMBDA_ENV[@]}" "$@" "$binary" 2>>"$WORK/boot.err" &
    BOOT_PID=$!
    SERVER_PIDS+=("$BOOT_PID")
}

# stop_bootstrap: stops the last bootstrap started (it never returns on its own: /next blocks).
stop_bootstrap() {
    kill "$BOOT_PID" 2>/dev/null || true
    wait "$BOOT_PID" 2>/dev/null || true
}

# start_failing_bootstrap [VAR=VALUE...]: starts the bootstrap with an environment its init must
# refuse and waits for it to exit; sets BOOT_STATUS and writes the stand-in's /init/error record
# to $WORK/init.json (empty when none was posted).
start_failing_bootstrap() {
    start_bootstrap "$@"
    local i
    set +e
    for ((i = 0; i < 100; i++)); do kill -0 "$BOOT_PID" 2>/dev/null || break; sleep 0.05; done
    wait "$BOOT_PID"; BOOT_STATUS=$?
    set -e
    rt_get '/_test/init-error?wait=5' >"$WORK/init.json" || : >"$WORK/init.json"
}

# rt_get PATH: GET on the stand-in's control API, body to stdout.
rt_get() { curl -sf "$RT_URL$1"; }

# wait_first_next: waits until the last bootstrap started asks for its first event; sets
# INIT_MS (process start → its first /next, as the stand-in saw it).
wait_first_next() {
    local i at=
    for ((i = 0; i < 200; i++)); do
        at=$(rt_get /_test/state | "$PYTHON" -c '
import json, sys
after = [t for t in json.load(sys.stdin)["next_at"] if t >= float(sys.argv[1])]
print(min(after) if after else "")' "$BOOT_STARTED")
        [ -n "$at" ] && break
        kill -0 "$BOOT_PID" 2>/dev/null || break
        sleep 0.02
    done
    if [ -z "$at" ]; then echo "FAIL: bootstrap never called /next: $(cat "$WORK/boot.err")" >&2; exit 1; fi
    INIT_MS=$("$PYTHON" -c "print(round(($at - $BOOT_STARTED) * 1000, 1))")
}

# invoke EVENT_TEXT: queues the event, waits for the bootstrap's answer and sets
#   KIND     response | error
#   STATUS   the payload's statusCode (responses)
#   LATENCY  ms from /next handing the event out to the answer arriving
#   $WORK/result.json  the stand-in's record; $WORK/payload.json the posted JSON;
#   $WORK/body / BODY  the HTTP body inside the payload (base64-decoded), for serve_lib's
#                      jget / expect_json
invoke() {
    local id
    id=$(curl -sf --data-binary "$1" "$RT_URL/_test/events" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    if ! curl -sf -o "$WORK/result.json" "$RT_URL/_test/results/$id?wait=20"; then
        fail "no answer to event $id; bootstrap stderr: $(cat "$WORK/boot.err")"
        KIND=none; STATUS=none; LATENCY=none; : >"$WORK/body"; BODY=; return 0
    fi
    "$PYTHON" - "$WORK" <<'EOF'
import base64, json, sys
work = sys.argv[1]
record = json.load(open(work + "/result.json"))
payload = record["json"] if record["json"] is not None else {}
json.dump(payload, open(work + "/payload.json", "w"))
body = payload.get("body", "") if isinstance(payload, dict) else ""
if isinstance(payload, dict) and payload.get("isBase64Encoded"):
    body = base64.b64decode(body).decode("utf-8", "replace")
open(work + "/body", "w").write(body or "")
status = payload.get("statusCode", "none") if isinstance(payload, dict) else "none"
open(work + "/meta", "w").write("%s %s %s\n" % (record["kind"], status, record["latency_ms"]))
EOF
    read -r KIND STATUS LATENCY <"$WORK/meta"
    BODY=$(cat "$WORK/body")
}

# event ARGS...: an event from tests/peers/lambda_event.py.
event() { "$PYTHON" "$PEERS/lambda_event.py" "$@"; }

# expect_kind WHAT WANT: the last invocation was answered with /response or /error.
expect_kind() {
    if [ "$KIND" = "$2" ]; then pass "$1 ($KIND)"; else fail "$1: answered $KIND, wanted $2: $(cat "$WORK/result.json")"; fi
}

# pget EXPR: like jget, over the last posted payload (statusCode, headers, cookies, ...).
pget() { jget "$1" "$WORK/payload.json"; }
