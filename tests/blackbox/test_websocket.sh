#!/usr/bin/env bash
# The S4 WebSocket endpoint of `otts serve` with the real `ws` npm client (tests/peers/
# ws_client.mjs): a valid user token names the user in the first message, a bad or missing
# token connects anonymously, the token also works as a subprotocol (echoed back), and the
# API Gateway management API pushes to (POST), describes (GET) and drops (DELETE) a connection.
# Client messages get PornSpot's websocket/route.ts answers (get_client_connectionId, ping,
# subscribe, unsubscribe, errors), and POST /@queues/{queueId} reaches a queue's subscribers only.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PEER="$OTTS_SOURCE_DIR/tests/peers/ws_client.mjs"
[ -d "$OTTS_SOURCE_DIR/node_modules/ws" ] || { fail "node_modules/ws missing: run npm ci"; finish; }

start_server --ws-port 0 --in-memory
WS_URL=""
for ((i = 0; i < 100; i++)); do
    WS_URL=$(grep -o 'ws://127\.0\.0\.1:[0-9]*' "$WORK/serve.out" | head -n1 || true)
    [ -n "$WS_URL" ] && break
    sleep 0.05
done
[ -n "$WS_URL" ] || { fail "no ws://127.0.0.1:PORT in the readiness output: $(cat "$WORK/serve.out")"; finish; }
pass "readiness output names $WS_URL"

# client NAME URL [ws_client args...]: starts the peer in the background; events go to
# $WORK/NAME.events, one JSON line each.
client() {
    local name=$1; shift
    node "$PEER" "$@" >"$WORK/$name.events" 2>"$WORK/$name.err" &
    SERVER_PIDS+=("$!")  # stopped with the servers if the script ends early
}
# wait_event NAME EXPR: waits (up to 5 s) for an event line of NAME for which the Python
# expression EXPR over `e` holds; prints that line.
wait_event() {
    local i
    for ((i = 0; i < 100; i++)); do
        "$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if eval(sys.argv[2], {"e": e, "json": json}):
        print(line.strip()); sys.exit(0)
sys.exit(1)' "$WORK/$1.events" "$2" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "(no event; saw: $(cat "$WORK/$1.events" "$WORK/$1.err" 2>/dev/null))"
    return 1
}
connected() { wait_event "$1" 'e["type"] == "message" and json.loads(e["data"]).get("message") == "Connected"'; }
field() { "$PYTHON" -c 'import json,sys; print(json.loads(json.loads(sys.argv[1])["data"])[sys.argv[2]])' "$1" "$2"; }

TOKEN=$(otts issue user --user alice)
ID="" LEAVER=""

# --- identity -------------------------------------------------------------------------------
client valid "$WS_URL/?token=$TOKEN"
if line=$(connected valid); then
    [ "$(field "$line" userId)" = alice ] && pass "valid ?token= → userId alice" || fail "valid token: $line"
    ID=$(field "$line" connectionId)
    [ ${#ID} -eq 16 ] && pass "connectionId has API Gateway's length" || fail "connectionId $ID"
else fail "valid token: no Connected message $line"; fi

client bad "$WS_URL/?token=${TOKEN}x"
line=$(connected bad) && [ "$(field "$line" userId)" = None ] && pass "bad token → anonymous (userId null)" ||
    fail "bad token: $line"
client none "$WS_URL/dev" --timeout 60000  # stays until the shutdown below
line=$(connected none) && [ "$(field "$line" userId)" = None ] && pass "no token → anonymous" ||
    fail "no token: $line"

client proto "$WS_URL/" --protocol "$TOKEN"
line=$(connected proto) && [ "$(field "$line" userId)" = alice ] && pass "token as subprotocol → userId alice" ||
    fail "subprotocol: $line"
wait_event proto "e['type'] == 'open' and e['protocol'] == '$TOKEN'" >/dev/null &&
    pass "the token subprotocol is echoed back" || fail "subprotocol not echoed"

# --- /@connections ---------------------------------------------------------------------------
req GET "/@connections/$ID"
expect_status "GET /@connections/{id}" 200
expect_json "GetConnection shape" '[sorted(d["identity"]), d["identity"]["sourceIp"], d["userId"], "T" in d["connectedAt"]]' \
    '[["sourceIp","userAgent"],"127.0.0.1","alice",true]'

req POST "/@connections/$ID" --data-binary '{"hello":"from the backend"}'
expect_status "POST /@connections/{id}" 200
wait_event valid 'e["type"] == "message" and e["data"] == "{\"hello\":\"from the backend\"}"' >/dev/null &&
    pass "the pushed message arrives unchanged" || fail "pushed message did not arrive"

req DELETE "/@connections/$ID"
expect_status "DELETE /@connections/{id}" 204
wait_event valid 'e["type"] == "close" and e["code"] == 1000' >/dev/null && pass "DELETE closes the socket (1000)" ||
    fail "DELETE did not close the socket"
req POST "/@connections/$ID" --data-binary 'late'
expect_status "POST to a deleted connection" 410
[ "$(header x-amzn-errortype)" = GoneException ] && pass "410 names GoneException" || fail "no GoneException header"
req GET "/@connections/AAAAAAAAAAAAAAA="
expect_status "GET an unknown connection" 410
req GET "/@connections/.." --path-as-is
expect_status "GET /@connections/.. is refused" 400
req GET "/@connections/..%2F..%2Fetc%2Fpasswd" --path-as-is
[ "$STATUS" = 400 ] || [ "$STATUS" = 404 ] && pass "encoded slashes in an id: $STATUS" ||
    fail "encoded slashes: $STATUS"

# A client that hangs up leaves the registry.
client leaver "$WS_URL/" --send 'bye'
line=$(connected leaver) && LEAVER=$(field "$line" connectionId)
stop_pid=${SERVER_PIDS[-1]}
kill "$stop_pid" 2>/dev/null || true
for ((i = 0; i < 100; i++)); do
    req GET "/@connections/$LEAVER"
    [ "$STATUS" = 410 ] && break
    sleep 0.05
done
expect_status "a connection the client dropped is gone" 410

# --- client actions (PornSpot's websocket/route.ts) ----------------------------------------------
# talker NAME URL: a client that sends each line `say NAME TEXT` writes (through a FIFO).
talker() {
    local name=$1 fd; shift
    mkfifo "$WORK/$name.in"
    node "$PEER" "$@" --stdin --timeout 60000 <"$WORK/$name.in" >"$WORK/$name.events" 2>"$WORK/$name.err" &
    SERVER_PIDS+=("$!")
    exec {fd}>"$WORK/$name.in"
    printf -v "FD_$name" '%s' "$fd"
}
say() { local var="FD_$1"; printf '%s\n' "$2" >&"${!var}"; }
# reply NAME EXPR: waits for a message of NAME whose JSON `m` satisfies EXPR; prints that JSON.
reply() {
    wait_event "$1" "e['type'] == 'message' and (lambda m: isinstance(m, dict) and ($2))(json.loads(e['data']))" |
        "$PYTHON" -c 'import json,sys; print(json.loads(sys.stdin.read())["data"])'
}
# mget JSON EXPR: a Python expression over the message `m`, printed as JSON.
mget() { "$PYTHON" -c 'import json,sys; m=json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2]), separators=(",", ":"), sort_keys=True))' "$1" "$2"; }
ISO_MS='__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", m["timestamp"]) is not None'

talker t1 "$WS_URL/?token=$TOKEN"
talker t2 "$WS_URL/"
talker t3 "$WS_URL/"
T1=$(field "$(connected t1)" connectionId)
connected t2 >/dev/null
connected t3 >/dev/null

say t1 '{"action":"get_client_connectionId"}'
m=$(reply t1 'm.get("type") == "client_connectionId"')
[ "$(mget "$m" 'm')" = "{\"connectionId\":\"$T1\",\"type\":\"client_connectionId\"}" ] &&
    pass "get_client_connectionId → {type:client_connectionId, connectionId}" || fail "get_client_connectionId: $m"

say t1 '{"action":"ping","requestId":"p-1"}'
m=$(reply t1 'm.get("type") == "pong"')
[ "$(mget "$m" "[sorted(m), m['requestId'], $ISO_MS]")" = '[["requestId","timestamp","type"],"p-1",true]' ] &&
    pass "ping → pong with an ISO timestamp (ms) and the requestId" || fail "ping: $m"

say t1 '{"action":"subscribe","data":{"queueId":"q-1"},"requestId":"s-1"}'
say t2 '{"action":"subscribe","data":{"queueId":"q-1"}}'
say t3 '{"action":"subscribe","data":{"queueId":"q-other"}}'
m=$(reply t1 'm.get("type") == "subscription_confirmed"')
[ "$(mget "$m" 'm')" = '{"queueId":"q-1","requestId":"s-1","type":"subscription_confirmed"}' ] &&
    pass "subscribe → subscription_confirmed with queueId and requestId" || fail "subscribe: $m"
m=$(reply t2 'm.get("type") == "subscription_confirmed"')
[ "$(mget "$m" 'm')" = '{"queueId":"q-1","type":"subscription_confirmed"}' ] &&
    pass "without a requestId the reply has none" || fail "subscribe t2: $m"
reply t3 'm.get("type") == "subscription_confirmed"' >/dev/null || fail "t3 subscribe not confirmed"

req POST /@queues/q-1 --data-binary '{"type":"job_progress","queueId":"q-1"}'
expect_status "POST /@queues/{queueId}" 200
expect_json "two subscribers took it" 'd' '{"delivered":2,"queueId":"q-1"}'
reply t1 'm.get("type") == "job_progress"' >/dev/null && pass "subscriber 1 gets the queue push" ||
    fail "subscriber 1 got no push"
reply t2 'm.get("type") == "job_progress"' >/dev/null && pass "subscriber 2 gets the queue push" ||
    fail "subscriber 2 got no push"
# A push to t3 would have been queued before the pong to this later ping.
say t3 '{"action":"ping","requestId":"after-push"}'
reply t3 'm.get("requestId") == "after-push"' >/dev/null
! grep -q job_progress "$WORK/t3.events" && pass "a client subscribed to another queue gets nothing" ||
    fail "t3 got the q-1 push"

say t2 '{"action":"unsubscribe","data":{"queueId":"q-1"},"requestId":"u-1"}'
m=$(reply t2 'm.get("type") == "unsubscription_confirmed"')
[ "$(mget "$m" 'm')" = '{"queueId":"q-1","requestId":"u-1","type":"unsubscription_confirmed"}' ] &&
    pass "unsubscribe → unsubscription_confirmed" || fail "unsubscribe: $m"
req POST /@queues/q-1 --data-binary '{"type":"completed"}'
expect_json "after unsubscribe one subscriber is left" 'd["delivered"]' 1
reply t1 'm.get("type") == "completed"' >/dev/null && pass "the remaining subscriber gets it" || fail "t1 missed it"
say t2 '{"action":"ping","requestId":"after-unsub"}'
reply t2 'm.get("requestId") == "after-unsub"' >/dev/null
! grep -q completed "$WORK/t2.events" && pass "unsubscribe stops the pushes" || fail "t2 still got a push"

say t2 '{"action":'
m=$(reply t2 'm.get("type") == "error"')
[ "$(mget "$m" "[m['error'], 'requestId' in m, $ISO_MS]")" = '["Invalid JSON format",false,true]' ] &&
    pass "bad JSON → {type:error, error:Invalid JSON format, timestamp}" || fail "bad JSON: $m"
say t2 '{"action":"teleport","requestId":"x-1"}'
m=$(reply t2 'm.get("error", "").startswith("Unknown action")')
[ "$(mget "$m" "[sorted(m), m['error'], m['requestId']]")" = '[["error","requestId","timestamp","type"],"Unknown action: teleport","x-1"]' ] &&
    pass "unknown action → error with the requestId" || fail "unknown action: $m"
say t2 '{"action":"subscribe","data":{}}'
m=$(reply t2 'm.get("error", "").startswith("queueId")')
[ "$(mget "$m" "m['error']")" = '"queueId is required for subscription"' ] &&
    pass "subscribe without a queueId is an error" || fail "no queueId: $m"

# Closing a connection drops its subscriptions.
req DELETE "/@connections/$T1"
expect_status "DELETE the last subscriber" 204
req POST /@queues/q-1 --data-binary 'late'
expect_json "a closed connection's subscription is gone" 'd["delivered"]' 0
req POST "/@queues/%01bad" --data-binary 'x'
expect_status "a queue id with a control character" 400

# --- shutdown ----------------------------------------------------------------------------------
stop_server TERM
[ "$SERVER_STATUS" = 0 ] && pass "otts serve exits 0 on SIGTERM with clients connected" ||
    fail "exit status $SERVER_STATUS on SIGTERM"
wait_event none 'e["type"] == "close" and e["code"] == 1001' >/dev/null && pass "clients get 1001 (going away)" ||
    fail "clients were not closed with 1001"
finish
