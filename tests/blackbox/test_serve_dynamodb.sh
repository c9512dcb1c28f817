#!/usr/bin/env bash
# Scale-out: two `otts serve --store dynamodb` instances on one dynalite share every token, PIN
# and WebSocket connection record. A token issued by one is consumed once across both; a PIN
# mailed through one is verified through the other; an l42 session (S2) signed in on one is
# read and ended through the other; a socket held by one is listed, pushed to and closed
# through the other; a queue push through either reaches the subscribers on both; and 2,000 tokens, each raced by 64 redeemers spread over both
# instances, are each won exactly once. Counts: OTTS_SERVE_RACE_TOKENS, OTTS_SERVE_RACERS.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/dynalite_lib.sh"
source "$(dirname "$0")/auth_suite.sh"  # sign_in, callback, jar_req

TOKENS=${OTTS_SERVE_RACE_TOKENS:-2000}
RACERS=${OTTS_SERVE_RACERS:-64}
RACE="$OTTS_SOURCE_DIR/tests/peers/http_race.mjs"
WS_PEER="$OTTS_SOURCE_DIR/tests/peers/ws_client.mjs"
require_dynalite
start_dynalite
use_test_credentials

otts dynamodb create-tables >"$WORK/tables.out" 2>&1 && pass "otts dynamodb create-tables" ||
    fail "create-tables: $(cat "$WORK/tables.out")"

# Both share the data home, so the same derived session secret, and each has its dev IdP.
unset SESSION_SECRET COGNITO_USER_POOL_ID COGNITO_CLIENT_ID FRONTEND_URL AUTH_PATH_PREFIX 2>/dev/null || true
start_server --store dynamodb --pow-difficulty 4 --fixed-pin 123456 -q
A=$URL A_OUT=$(cat "$WORK/serve.out")
start_server --store dynamodb --pow-difficulty 4 --fixed-pin 123456 -q
B=$URL B_OUT=$(cat "$WORK/serve.out")
[ "$A" != "$B" ] && pass "two instances: $A and $B" || fail "one URL for both: $A"

URL=$A
req GET /_otts/health
expect_json "health names the DynamoDB store" 'd["store"].startswith("dynamodb:http://127.0.0.1:")' true

# --- a token crosses instances ----------------------------------------------------------------
URL=$A req GET /tokens
TOKEN=$(jget 'd["token"]' | tr -d '"')
URL=$B req POST /tokens -H 'Content-Type: application/json' -d "{\"token\":\"$TOKEN\"}"
expect_status "issued on A, consumed on B" 200
URL=$A req POST /tokens -H 'Content-Type: application/json' -d "{\"token\":\"$TOKEN\"}"
expect_status "replayed on A" 401
expect_json "replay body" 'd["message"]' '"Token has already been used"'

# --- a PIN crosses instances ------------------------------------------------------------------
LICENSE=$(otts license create --email dev@example.com --days 1)
URL=$A req POST /v1/auth/request-pin -H 'Content-Type: application/json' -d "{\"license\":\"$LICENSE\"}"
expect_status "PIN requested on A" 200
URL=$B req GET "/_otts/outbox?to=dev@example.com"
expect_json "the mail is in the shared outbox, seen from B" '[len(d["messages"]) >= 1, "123456" in d["messages"][-1]["text"]]' '[true,true]'
URL=$B req POST /v1/auth/verify-pin -H 'Content-Type: application/json' \
    -d "{\"license\":\"$LICENSE\",\"pin\":\"123456\"}"
expect_status "PIN verified on B" 200
URL=$A req POST /v1/auth/verify-pin -H 'Content-Type: application/json' \
    -d "{\"license\":\"$LICENSE\",\"pin\":\"123456\"}"
expect_status "the same PIN again on A" 400

# --- an l42 session crosses instances ---------------------------------------------------------
jar="$WORK/l42.jar"; : >"$jar"
URL=$A IDP=$A sign_in "$jar" erin@example.com "editors"
URL=$A callback "$jar"
[ "$STATUS" = 307 ] && [ -n "$(jar_cookie "$jar")" ] && pass "signed in on A through its dev IdP" ||
    fail "sign-in on A: $STATUS $(header location)"
URL=$B jar_req "$jar" GET /auth/me
expect_json "B reads the session made on A" '[d["email"], d["groups"]]' '["erin@example.com",["editors"]]'
SESSION=$(jar_cookie "$jar")
URL=$B jar_req "$jar" POST /auth/logout -H 'X-L42-CSRF: 1'
expect_status "logout on B" 200
URL=$A req GET /auth/me -b "l42_session=$SESSION"
expect_status "the session ended on B is gone on A" 401

# --- a WebSocket connection held by A, addressed through B ------------------------------------
WS_A=$(grep -o 'ws://127\.0\.0\.1:[0-9]*' <<<"$A_OUT" | head -n1)
USER_TOKEN=$(otts issue user --user alice)
node "$WS_PEER" "$WS_A/?token=$USER_TOKEN" --timeout 20000 >"$WORK/ws.events" 2>"$WORK/ws.err" &
SERVER_PIDS+=("$!")
ID=""
for ((i = 0; i < 100; i++)); do
    ID=$("$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "message":
        print(json.loads(e["data"])["connectionId"]); break' "$WORK/ws.events" 2>/dev/null || true)
    [ -n "$ID" ] && break
    sleep 0.05
done
[ -n "$ID" ] && pass "connected to A as $ID" || fail "no Connected message: $(cat "$WORK/ws.events" "$WORK/ws.err")"
URL=$B req GET "/@connections/$ID"
expect_status "B describes A's connection" 200
expect_json "B knows its user" 'd["userId"]' '"alice"'
URL=$B req POST "/@connections/$ID" -d 'pushed through B'
expect_status "B pushes to A's connection" 200
for ((i = 0; i < 100; i++)); do grep -q 'pushed through B' "$WORK/ws.events" && break; sleep 0.05; done
grep -q 'pushed through B' "$WORK/ws.events" && pass "the client got the push" || fail "no push: $(cat "$WORK/ws.events")"
URL=$B req DELETE "/@connections/$ID"
expect_status "B closes A's connection" 204
for ((i = 0; i < 100; i++)); do grep -q '"type":"close"' "$WORK/ws.events" && break; sleep 0.05; done
grep -q '"type":"close"' "$WORK/ws.events" && pass "the socket closed" || fail "not closed: $(cat "$WORK/ws.events")"
URL=$A req GET "/@connections/$ID"
expect_status "the record is gone from A too" 410

# --- queue subscriptions across instances -------------------------------------------------------
# One subscriber on A, one on B, a bystander on B; a push to the queue through either instance
# reaches both subscribers (the subscriptions live in the shared connection records).
WS_B=$(grep -o 'ws://127\.0\.0\.1:[0-9]*' <<<"$B_OUT" | head -n1)
SUB='{"action":"subscribe","data":{"queueId":"q-shared"}}'
node "$WS_PEER" "$WS_A/" --send "$SUB" --timeout 20000 >"$WORK/qa.events" 2>"$WORK/qa.err" &
SERVER_PIDS+=("$!")
node "$WS_PEER" "$WS_B/" --send "$SUB" --timeout 20000 >"$WORK/qb.events" 2>"$WORK/qb.err" &
SERVER_PIDS+=("$!")
node "$WS_PEER" "$WS_B/" --send '{"action":"ping"}' --timeout 20000 >"$WORK/qc.events" 2>"$WORK/qc.err" &
SERVER_PIDS+=("$!")
for f in qa qb; do
    for ((i = 0; i < 100; i++)); do grep -q 'subscription_confirmed' "$WORK/$f.events" && break; sleep 0.05; done
    grep -q 'subscription_confirmed' "$WORK/$f.events" && pass "$f subscribed" || fail "$f: $(cat "$WORK/$f.events" "$WORK/$f.err")"
done
for ((i = 0; i < 100; i++)); do grep -q 'pong' "$WORK/qc.events" && break; sleep 0.05; done
for via in A B; do
    URL=${!via} req POST /@queues/q-shared -d "progress via $via"
    expect_json "a push to the queue through $via reaches both instances' subscribers" 'd["delivered"]' 2
    for f in qa qb; do
        for ((i = 0; i < 100; i++)); do grep -q "progress via $via" "$WORK/$f.events" && break; sleep 0.05; done
        grep -q "progress via $via" "$WORK/$f.events" && pass "$f got the push through $via" || fail "$f missed the push through $via"
    done
done
! grep -q 'progress via' "$WORK/qc.events" && pass "the bystander got no queue push" || fail "the bystander got a push"

# --- exactly once across instances --------------------------------------------------------------
out=$(node "$RACE" one-time "$A,$B" "$TOKENS" "$RACERS")
echo "$out" >"$WORK/race.json"
wins=$(jget 'd["wins"]' "$WORK/race.json")
if [ "$wins" = "{\"1\":$TOKENS}" ]; then
    pass "$TOKENS tokens x $RACERS redeemers over two instances: each won once ($(jget 'd["seconds"]' "$WORK/race.json") s)"
else
    fail "tokens by number of 200s: $wins"
fi
BODY=$(cat "$WORK/race.json"); cp "$WORK/race.json" "$WORK/body"
expect_json "the losers were told it was used" 'sorted(d["statuses"])' '["200","401"]'
finish
