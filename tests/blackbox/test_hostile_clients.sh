#!/usr/bin/env bash
# Slow, idle, huge and malformed clients of `otts serve` (issue 11 parts 2 and 4), from raw
# sockets (tests/blackbox/hostile_clients.py, shared with bench/hostile/run), at small sizes:
#  - idle keep-alive and slowloris connections do not keep a normal client waiting;
#  - a chunked body over 64 KiB is answered 413 as soon as the limit is passed, without the
#    server reading (or holding) the rest; request line + headers over 16 KiB answer 431, an
#    over-long Authorization or Cookie header too; a malformed request line answers 400 at
#    once and the connection is closed; pipelined requests are all answered, in order;
#  - a WebSocket handshake with a Sec-WebSocket-Key that is not 16 bytes of base64 answers 400;
#    a WebSocket client that never reads is closed (1008) once its queue passes a bound, and
#    pushes to it then answer 410; the server's memory stays bounded throughout;
#  - with its file descriptors exhausted by WebSocket connections, the server does not spin
#    and still answers HTTP.
# Each check bounds its own time; nothing sleeps to let time pass.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

HOSTILE="$OTTS_SOURCE_DIR/tests/blackbox/hostile_clients.py"
RSS_LIMIT_MIB=150

# start_hostile_server: an in-memory server; sets SERVER_PID, URL and WS_URL.
start_hostile_server() {
    start_server --in-memory
    WS_URL=$(sed -n 's/^otts serve websocket on //p' "$WORK/serve.out")
    [ -n "$WS_URL" ] || { fail "no websocket readiness line: $(cat "$WORK/serve.out")"; finish; }
}

# hostile NAME CHECK ARGS...: runs a check of hostile_clients.py; its JSON result goes to
# $WORK/NAME.json (a check that crashes leaves {"crashed": ...} there).
hostile() {
    local name=$1; shift
    if ! "$PYTHON" "$HOSTILE" "$@" >"$WORK/$name.json" 2>"$WORK/$name.err"; then
        "$PYTHON" -c 'import json,sys; print(json.dumps({"crashed": open(sys.argv[1]).read()[-600:]}))' \
            "$WORK/$name.err" >"$WORK/$name.json"
    fi
}
# expect_that NAME WHAT EXPR: the Python expression EXPR over `d`, the JSON result of check
# NAME, holds; otherwise the failure shows the whole result.
expect_that() {
    local got
    got=$(jget "$3" "$WORK/$1.json" 2>/dev/null) || got="(error evaluating)"
    if [ "$got" = true ]; then pass "$2"; else fail "$2 [$3] — result of $1: $(cut -c1-900 "$WORK/$1.json")"; fi
}

# --- one server for the quick request-level checks ---------------------------------------------
start_hostile_server

hostile pipeline pipeline "$URL" /_otts/health /nonexistent-a /token
expect_that pipeline "three pipelined GETs in one write: three responses, in order (200, 404, 405)" \
    'd["statuses"] == [200, 404, 405]'

hostile header_ok big-header "$URL" --name X-Fits --size $((12 * 1024))
expect_that header_ok "a 12 KiB header is still served (200)" 'd.get("status") == 200'
hostile header_17k big-header "$URL" --name X-Big --size $((17 * 1024))
expect_that header_17k "request line + headers over 16 KiB → 431" 'd.get("status") == 431'
hostile authorization big-header "$URL" --name Authorization --size $((20 * 1024))
expect_that authorization "a 20 KiB Authorization header → 431" 'd.get("status") == 431'
hostile cookie big-header "$URL" --name Cookie --size $((20 * 1024))
expect_that cookie "a 20 KiB Cookie header → 431" 'd.get("status") == 431'

hostile malformed raw "$URL" 'GARBAGE\r\n\r\n'
expect_that malformed "a malformed request line → 400" 'd.get("status") == 400'
expect_that malformed "... answered at once (< 1 s)" 'd.get("seconds", 99) < 1'
expect_that malformed "... and the connection closed (within 1 s), holding nothing" 'd.get("closed_after") is True'

hostile chunked_200k stream "$URL" chunked $((200 * 1024)) --piece 8192
expect_that chunked_200k "a 200 KB chunked body → 413 (as with Content-Length)" \
    'd["clients"][0].get("status") == 413'

hostile ws_key ws-key "$WS_URL" --key abc
expect_that ws_key "WebSocket handshake with Sec-WebSocket-Key: abc → 400 (not 101)" 'd.get("status") == 400'
hostile ws_key_ok ws-key "$WS_URL" --key dGhlIHNhbXBsZSBub25jZQ==
expect_that ws_key_ok "... while a 16-byte base64 key still upgrades (101)" 'd.get("status") == 101'
stop_server

# --- idle and slowloris connections --------------------------------------------------------------
start_hostile_server
hostile flood flood "$URL" --pid "$SERVER_PID" --idle 300 --slow 100 --interval 1 \
    --probes 20 --probe-timeout 1 --cap 25 --max-failures 3
expect_that flood "300 idle + 100 slowloris connections were open" \
    'd["attack_ready"]["idle_open"] + d["attack_ready"]["slow_open"] >= 400'
expect_that flood "... and 20 GET /_otts/health on new connections were each answered within 1 s" \
    'd["probes"] == 20 and d["answered"] == 20'
stop_server

# --- a huge chunked body -------------------------------------------------------------------------
# Sent in 16 KiB chunks; past 64 KiB each waits up to 5 ms for an answer, so the server has
# the time to answer long before 5 MB went out, whatever the socket buffers hold.
start_hostile_server
hostile chunked_5m stream "$URL" chunked 5000000 --pid "$SERVER_PID" --piece 16384 \
    --pace-after $((64 * 1024)) --pace 0.005 --timeout 20
expect_that chunked_5m "a chunked body passing 64 KiB → 413" 'd["clients"][0].get("status") == 413'
expect_that chunked_5m "... answered before the client finished sending 5 MB" \
    'd["clients"][0].get("all_sent") is False'
expect_that chunked_5m "... server RSS stayed under $RSS_LIMIT_MIB MB" "d['peak_rss_mib'] < $RSS_LIMIT_MIB"
stop_server

# --- a WebSocket client that never reads ------------------------------------------------------------
start_hostile_server
hostile slow_ws slow-ws "$URL" "$WS_URL" --pid "$SERVER_PID" --message 32768 --max-pushes 2000 \
    --after-410 3 --drain-timeout 3 --timeout 30
expect_that slow_ws "pushes of 32 KB to a client that never reads answer 410 within 2,000 pushes" \
    '"first_410_at" in d'
expect_that slow_ws "... and every push after the first 410 answers 410 too" \
    'd.get("after_410") == [410, 410, 410]'
expect_that slow_ws "... server RSS stayed under $RSS_LIMIT_MIB MB" "d['peak_rss_mib'] < $RSS_LIMIT_MIB"
expect_that slow_ws "... and the client, reading at last, sees a close frame 1008 (or the end of the stream)" \
    'd["client"].get("close_code") == 1008 or (d["client"].get("close_code") is None and bool(d["client"].get("closed")))'
stop_server

# --- file descriptors exhausted ----------------------------------------------------------------------
# The server may open 64 files; 100 connections to its WebSocket port take every one it has.
# Then, over 1.5 s of polling GET /_otts/health, it must answer each poll, and use little CPU
# (an accept loop retrying EMFILE at once spins a whole core).
printf '#!/usr/bin/env bash\nulimit -n 64\nexec %q "$@"\n' "$OTTS_BIN" >"$WORK/otts-64-files"
chmod +x "$WORK/otts-64-files"
OTTS_BIN="$WORK/otts-64-files" start_hostile_server
hostile fds fd-exhaust "$URL" "$WS_URL" --pid "$SERVER_PID" --conns 100 --window 1.5 --health-timeout 2
expect_that fds "server limited to 64 files, 100 WebSocket connections made" \
    'd["server_nofile"] == 64 and d["connected"] == 100'
expect_that fds "... GET /_otts/health still answers within 2 s" \
    'd["health_first"].get("status") == 200 and d["health_first"]["seconds"] < 2'
expect_that fds "... and answers every poll" 'd["health_answered"] == d["health_polls"]'
expect_that fds "... and the server does not spin (CPU < 0.3 s over the 1.5 s window)" \
    'd["server_cpu_seconds"] < 0.3'
stop_server

finish
