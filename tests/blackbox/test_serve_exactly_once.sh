#!/usr/bin/env bash
# DESIGN §5 over HTTP: however many clients race to redeem one token through `otts serve`,
# exactly one gets 200. 64 concurrent POST /tokens with one token; then 2,000 one-time tokens
# and 2,000 create tokens (PoW at 4 bits, solved by the Node client) each raced by 8 clients.
# The server runs on a SQLite file, as a developer would run it. Counts: OTTS_SERVE_RACE_TOKENS.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

TOKENS=${OTTS_SERVE_RACE_TOKENS:-2000}
RACE="$OTTS_SOURCE_DIR/tests/peers/http_race.mjs"
if ! command -v node >/dev/null; then fail "node is not installed"; finish; fi

start_server --db "$WORK/serve.db" --pow-difficulty 4 -q

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

req GET /_otts/health
expect_status "the server still serves" 200
stop_server TERM
[ "$SERVER_STATUS" -eq 0 ] && pass "clean exit" || fail "exit $SERVER_STATUS"
finish
