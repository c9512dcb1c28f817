#!/usr/bin/env bash
# Crash safety of `otts serve`: under a mixed load (issue and consume one-time tokens, issue and
# redeem create tokens) the server is killed with SIGKILL, then restarted on the same SQLite
# file. Every token the client saw issued must still be valid or consumed exactly once, and none
# that the client saw consumed or redeemed may be accepted again. Rounds: OTTS_SERVE_CRASH_ROUNDS.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

ROUNDS=${OTTS_SERVE_CRASH_ROUNDS:-3}
LOAD="$OTTS_SOURCE_DIR/tests/peers/crash_load.mjs"
if ! command -v node >/dev/null; then fail "node is not installed"; finish; fi
DB="$WORK/crash.db"

for round in $(seq "$ROUNDS"); do
    LOG="$WORK/load.$round.log"
    : >"$LOG"
    start_server --db "$DB" --pow-difficulty 4 -q
    # Killed mid-load at a moment set per round: once the load has seen KILL_AT responses (it
    # says so on a pipe), with its 16 workers' next requests in flight.
    KILL_AT=$((round * 400))
    mkfifo "$WORK/reached.$round"
    node "$LOAD" load "$URL" "$LOG" "$KILL_AT" >"$WORK/reached.$round" &
    load_pid=$!
    read -r -t 120 reached <"$WORK/reached.$round" || reached="nothing (load: $(tail -n 3 "$LOG"))"
    [ "$reached" = "reached $KILL_AT" ] || fail "round $round: the load reported $reached"
    stop_server KILL
    [ "$SERVER_STATUS" -eq 137 ] && pass "round $round: killed with SIGKILL" || fail "round $round: exit $SERVER_STATUS"
    wait "$load_pid" || true

    start_server --db "$DB" --pow-difficulty 4 -q
    result=$(node "$LOAD" verify "$URL" "$LOG")
    echo "$result" >"$WORK/verify.json"
    issued=$(jget 'd["checked"]' "$WORK/verify.json")
    if [ "$(jget 'd["nviolations"]' "$WORK/verify.json")" = 0 ] && [ "$issued" -gt 100 ]; then
        pass "round $round: $issued tokens seen issued, each valid or used once; $(jget 'd["redeemed"]' "$WORK/verify.json") redeemed create tokens stay redeemed"
    else
        fail "round $round: $result"
    fi
    stop_server TERM
done
finish
