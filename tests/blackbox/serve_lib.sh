# Helpers for black-box tests of `otts serve` (sourced after lib.sh): start the real server on
# a free port, make requests with curl, read JSON with Python. Servers started here are
# stopped by PID when the script exits.

SERVER_PIDS=()
stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    SERVER_PIDS=()
}
trap 'stop_servers; cleanup' EXIT

# start_server [serve flags...]: starts `otts serve --port 0 FLAGS`, waits for its readiness
# line and sets SERVER_PID and URL. Logs go to $WORK/serve.err. The WebSocket port is a free
# one too unless FLAGS name it: tests run in parallel, and 8081 is shared.
start_server() {
    : >"$WORK/serve.out"
    local ws=(--ws-port 0)
    [[ " $* " == *" --ws-port "* ]] && ws=()
    "$OTTS_BIN" serve --port 0 "${ws[@]}" "$@" >"$WORK/serve.out" 2>>"$WORK/serve.err" &
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
    local i
    for ((i = 0; i < 200; i++)); do
        URL=$(sed -n 's/^otts serve listening on //p' "$WORK/serve.out")
        [ -n "$URL" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "FAIL: otts serve did not start: $(cat "$WORK/serve.err")" >&2
    exit 1
}

# free_port: a TCP port on 127.0.0.1 nobody listens on (at the time of asking).
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_peer NAME LAUNCHER: runs LAUNCHER in the background; it must exec the peer listening on
# 127.0.0.1 and print its address as http://HOST:PORT once it serves. Port 0 (the system's
# choice) where the peer can report it; a peer that must be told its port (free_port) and
# finds it taken by then exits, and is started again, up to three times. Waits for the address
# line of the peer itself (never for just any answer on the port); sets PEER_URL
# (http://127.0.0.1:PORT) and PEER_PID; the peer joins SERVER_PIDS, stopped by PID when the
# script exits. Its output goes to $WORK/NAME.log.
start_peer() {
    local name=$1 launcher=$2 i port tries
    for tries in 1 2 3; do
        "$launcher" >"$WORK/$name.log" 2>&1 &
        PEER_PID=$!
        SERVER_PIDS+=("$PEER_PID")
        for ((i = 0; i < 300; i++)); do
            port=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/$name.log" | grep -oE 'https?://[^ /]+:[0-9]+' | head -n1 | sed 's/.*://' || true)
            if [ -n "$port" ]; then PEER_URL="http://127.0.0.1:$port"; return 0; fi
            kill -0 "$PEER_PID" 2>/dev/null || break
            sleep 0.05
        done
        kill -0 "$PEER_PID" 2>/dev/null && break  # alive but silent: not a port taken
        echo "$name exited before listening (try $tries): $(tail -n 3 "$WORK/$name.log")" >&2
    done
    echo "FAIL: $name did not start: $(cat "$WORK/$name.log")" >&2
    exit 1
}

# refused_port CMD...: runs CMD with every {PORT} in its arguments replaced by a port on
# 127.0.0.1 that is held bound but not listening for the whole run: connections to it are
# refused, and no other process can start listening there meanwhile.
refused_port() {
    "$PYTHON" - "$@" <<'PY'
import socket, subprocess, sys
with socket.socket() as held:
    held.bind(("127.0.0.1", 0))
    port = str(held.getsockname()[1])
    sys.exit(subprocess.call([arg.replace("{PORT}", port) for arg in sys.argv[1:]]))
PY
}

# stop_server [SIGNAL]: stops the last server started; sets SERVER_STATUS to its exit status.
stop_server() {
    kill "-${1:-TERM}" "$SERVER_PID" 2>/dev/null || true
    set +e; wait "$SERVER_PID"; SERVER_STATUS=$?; set -e
    local kept=() pid
    for pid in "${SERVER_PIDS[@]}"; do [ "$pid" != "$SERVER_PID" ] && kept+=("$pid"); done
    SERVER_PIDS=("${kept[@]+"${kept[@]}"}")
}

# req METHOD PATH [curl args...]: sets STATUS, BODY (file $WORK/body) and HEADERS (file
# $WORK/headers, lower-cased names).
req() {
    local method=$1 path=$2; shift 2
    STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers.raw" -w '%{http_code}' -X "$method" "$@" "$URL$path")
    tr -d '\r' <"$WORK/headers.raw" | sed 's/^\([^:]*\):/\L\1:/' >"$WORK/headers"
    BODY=$(cat "$WORK/body")
}

# header NAME: the value of response header NAME (lower case) of the last req.
header() { sed -n "s/^$1: //p" "$WORK/headers" | head -n1; }

# jget EXPR [FILE]: a Python expression over the JSON `d` of FILE (default: the last body),
# printed as JSON.
jget() {
    "$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[2])); print(json.dumps(eval(sys.argv[1], {"d": d}), separators=(",", ":")))' \
        "$1" "${2:-$WORK/body}"
}

# expect_json WHAT EXPR WANT: the last body's EXPR is WANT (JSON text, compact).
expect_json() {
    local got
    got=$(jget "$2" 2>/dev/null) || got="(no JSON: $BODY)"
    if [ "$got" = "$3" ]; then pass "$1"; else fail "$1: $2 is $got, wanted $3"; fi
}

# expect_status WHAT WANT: the last req answered WANT.
expect_status() {
    if [ "$STATUS" = "$2" ]; then pass "$1 ($STATUS)"; else fail "$1: status $STATUS, wanted $2; body: $BODY"; fi
}

# expired_create_token SECRET_FILE SECONDS_AGO: an S0 create token signed by PyJWT (a real peer)
# whose exp passed SECONDS_AGO seconds ago; difficulty 0, so "0" solves it, and its nonce is
# EXPIRED_NONCE. Redeeming it shows the leeway a server applies, without waiting for time to pass.
EXPIRED_NONCE=0123456789abcdef0123456789abcdef
expired_create_token() {
    local now jti
    now=$(date +%s)
    jti=$("$PYTHON" -c 'import uuid; print(uuid.uuid4())')
    "$PYTHON" "$OTTS_SOURCE_DIR/tests/peers/pyjwt_peer.py" sign HS256 "$1" \
        "{\"jti\":\"$jti\",\"iat\":$((now - 600)),\"exp\":$((now - $2)),\"op\":\"create\",\"nonce\":\"$EXPIRED_NONCE\",\"pow_difficulty\":0,\"pow_prefix\":\"sealed:\"}"
}
