#!/usr/bin/env bash
# The CLI against a running otts serve (--endpoint / OTTS_ENDPOINT): issue and verify through
# the S1 and S0 routes, the S3 PIN sign-in through the outbox, server errors mapped to the
# local exit codes, 8 racing verify-pin calls with one winner, and an unreachable endpoint.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

start_server --in-memory --ws-port 0 --pow-difficulty 8 --fixed-pin 123456
E=(--endpoint "$URL")

# S1 one-time tokens.
T=$(otts "${E[@]}" issue)
expect_exit 0 "a one-time token from GET /tokens is redeemed by POST /tokens" -- otts "${E[@]}" verify "$T"
expect_exit 12 "a second redeem answers already used" -- otts "${E[@]}" verify "$T"
expect_exit 2 "--no-consume has no remote form" -- otts "${E[@]}" verify --no-consume "$T"
expect_exit 2 "user tokens are not issued by --endpoint" -- otts "${E[@]}" issue user --user a
expect_exit 2 "local-only options are refused with --endpoint" -- otts "${E[@]}" issue --ttl 5m

# S0 create tokens: the CI smoke test of the README, with OTTS_ENDPOINT.
C=$(OTTS_ENDPOINT=$URL otts issue create)
SOL=$(otts solve-pow "$C")
expect_exit 14 "a wrong solution is refused (invalid_pow)" -- env OTTS_ENDPOINT="$URL" "$OTTS_BIN" verify "$C" --pow "$(wrong_pow "$C")"
expect_exit 0 "the create token redeems with its solution" -- env OTTS_ENDPOINT="$URL" "$OTTS_BIN" verify "$C" --pow "$SOL"
expect_exit 12 "a replay answers token_used" -- env OTTS_ENDPOINT="$URL" "$OTTS_BIN" verify "$C" --pow "$SOL"
expect_exit 0 "--json output of a remote issue" -- otts "${E[@]}" --json issue create
[ "$(jget 'sorted(d)' "$WORK/out")" = '["expiresAt","family","nonce","powChallenge","token"]' ] \
    && pass "the S0 answer is shown with its family" || fail "issue --json: $OUT"

# S3 sign-in through the outbox.
otts license create --email cli@example.com --days 1 >"$WORK/license"
expect_exit 0 "request-pin" -- otts "${E[@]}" request-pin --license "$WORK/license"
[[ $OUT == "PIN sent to c***@example.com"* ]] && pass "request-pin says where" || fail "request-pin: $OUT"
expect_exit 0 "outbox --to" -- otts "${E[@]}" --json outbox --to cli@example.com
[ "$(jget '[len(d["messages"]), "123456" in d["messages"][0]["text"]]' "$WORK/out")" = '[1,true]' ] \
    && pass "the outbox holds the PIN mail" || fail "outbox: $OUT"
expect_exit 15 "verify-pin with a wrong PIN" -- otts "${E[@]}" verify-pin --license "$WORK/license" --pin 000000
expect_exit 0 "verify-pin with the mailed PIN" -- otts "${E[@]}" verify-pin --license "$WORK/license" --pin 123456
[ "$(wc -l <<<"$OUT")" = 2 ] && [[ $OUT == eyJ*.*.*$'\n'eyJ*.*.* ]] && pass "access and refresh tokens, a line each" \
    || fail "verify-pin output: $OUT"
expect_exit 15 "the PIN is spent" -- otts "${E[@]}" verify-pin --license "$WORK/license" --pin 123456

# Exactly once over HTTP: 8 racing verify-pin calls on one PIN, 20 rounds.
for round in $(seq 20); do
    otts "${E[@]}" -q request-pin --license "$WORK/license" >/dev/null
    pids=()
    for i in $(seq 8); do
        (rc=0; otts "${E[@]}" -q verify-pin --license "$WORK/license" --pin 123456 >/dev/null 2>&1 || rc=$?
         echo "$rc" >"$WORK/race.$i") &
        pids+=($!)
    done
    wait "${pids[@]}"
    winners=$(cat "$WORK"/race.* | grep -cx 0 || true)
    [ "$winners" = 1 ] || fail "round $round: $winners of 8 verify-pin calls won"
done
pass "20 rounds of 8 racing verify-pin calls: one winner each"

expect_exit 0 "outbox --clear" -- otts "${E[@]}" outbox --clear
expect_exit 0 "the outbox is empty" -- otts "${E[@]}" outbox
[ "$OUT" = "outbox is empty" ] && pass "says so" || fail "outbox after clear: $OUT"

# Errors of the connection itself.
expect_exit 21 "an endpoint nobody listens on is unreachable" -- otts --endpoint http://127.0.0.1:1 issue
expect_exit 2 "an endpoint that is not an http(s) URL" -- otts --endpoint ftp://example.com issue

finish
