#!/usr/bin/env bash
# DESIGN §5 over HTTP: however many clients race to redeem one token through `otts serve`,
# exactly one gets 200. 64 concurrent POST /tokens with one token; then 2,000 one-time tokens
# and 2,000 create tokens (PoW at 4 bits, solved by the Node client) each raced by 8 clients.
# The server runs on a SQLite file, as a developer would run it. Counts: OTTS_SERVE_RACE_TOKENS.
# Last, the expiry edge: 64 racers on a create token in the second exp + leeway win nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

TOKENS=${OTTS_SERVE_RACE_TOKENS:-2000}
RACE="$OTTS_SOURCE_DIR/tests/peers/http_race.mjs"
if ! command -v node >/dev/null; then fail "node is not installed"; finish; fi

# A secret the test knows, so that it can make create tokens dated where it wants them.
otts keygen --out "$WORK/secret" >/dev/null
export OTTS_SECRET_FILE="$WORK/secret"
LEEWAY=10
start_server --db "$WORK/serve.db" --pow-difficulty 4 --leeway "${LEEWAY}s" -q

# check WHAT LOSER_STATUS JSON: every token won exactly once; the losers all got LOSER_STATUS.
check() {
    local what=$1 loser=$2
    echo "$3" >"$WORK/race.json"
    local wins statuses
    wins=$(jget 'd["wins"]' "$WORK/race.json")
    statuses=$(jget 'sorted(d["statuses"])' "$WORK/race.json")
    if [ "$wins" = "{\"1\":$(jget 'd["tokens"]' "$WORK/race.json")}" ]; then
        pass "$what: every token won exactly once ($(jget 'd["requests"]' "$WORK/race.json") requests, $(jget 'd["seconds"]' "$WORK/race.json") s)"
    else
        fail "$what: tokens by number of 200s: $wins"
    fi
    [ "$statuses" = "[\"200\",\"$loser\"]" ] && pass "$what: losers answered $loser" || fail "$what: statuses $statuses"
}

check "64 concurrent POST /tokens, one token" 401 "$(node "$RACE" same-token "$URL" 64)"
check "$TOKENS one-time tokens x 8 racers" 401 "$(node "$RACE" one-time "$URL" "$TOKENS" 8)"
check "$TOKENS create tokens x 8 racers (POST /token/redeem)" 409 "$(node "$RACE" redeem "$URL" "$TOKENS" 8)"

# create_token EXP: a create token (PoW difficulty 0) signed with the server's secret.
create_token() {
    "$PYTHON" "$OTTS_SOURCE_DIR/tests/peers/pyjwt_peer.py" sign HS256 "$WORK/secret" \
        "{\"jti\":\"$("$PYTHON" -c 'import uuid; print(uuid.uuid4())')\",\"iat\":$(($1 - 60)),\"exp\":$1,\"op\":\"create\",\"nonce\":\"0123456789abcdef0123456789abcdef\",\"pow_difficulty\":0,\"pow_prefix\":\"\"}"
}
# The edge (DESIGN §5): valid while now < exp + leeway. NOW is read before the token is made,
# so time can only move further past the edge during the race: no race with the clock. Before
# the fix every racer in that second won (the replay row expired as the verifier still accepted).
NOW=$(date +%s)
check "a create token valid 50 s more, 64 racers" 409 \
    "$(node "$RACE" redeem-token "$URL" 64 "$(create_token $((NOW + 60 - LEEWAY)))")"
edge=$(node "$RACE" redeem-token "$URL" 64 "$(create_token $((NOW - LEEWAY)))")
echo "$edge" >"$WORK/edge.json"
[ "$(jget 'd["wins"]' "$WORK/edge.json")" = '{"0":1}' ] &&
    pass "a create token at exactly exp + leeway, 64 racers: none wins" ||
    fail "at exp + leeway: wins $(jget 'd["wins"]' "$WORK/edge.json"), statuses $(jget 'd["statuses"]' "$WORK/edge.json")"

req GET /_otts/health
expect_status "the server still serves" 200
stop_server TERM
[ "$SERVER_STATUS" -eq 0 ] && pass "clean exit" || fail "exit $SERVER_STATUS"
finish
