#!/usr/bin/env bash
# `otts serve` end to end on 127.0.0.1 with curl as the client: per route the success shape,
# every error shape and status, Cache-Control and CORS headers; then bad input (broken JSON,
# wrong content type, invalid UTF-8, huge bodies and headers, idle half-sent requests), after
# each of which the server must keep serving; rate limits, the PoW ladder, JSON logs without
# tokens, and a clean exit on SIGTERM.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/api_suite.sh"

start_server --in-memory --pow-difficulty 4

# --- /_otts ---------------------------------------------------------------------------------
req GET /_otts/health
expect_status "GET /_otts/health" 200
expect_json "health says ok with the current difficulty" '[d["status"], d["pow_difficulty"], d["store"]]' \
    '["ok",4,"sqlite::memory:"]'
[ "$(header cache-control)" = no-store ] && pass "health: Cache-Control no-store" || fail "health: no no-store"
req GET /_otts/openapi.json
expect_json "openapi.json lists the served routes" \
    '[d["openapi"], all(p in d["paths"] for p in ["/", "/token", "/token/redeem", "/tokens", "/v1/auth/request-pin", "/v1/auth/verify-pin", "/user/auth/jwt-token", "/_otts/outbox", "/_otts/outbox/{id}"])]' \
    '["3.0.3",true]'
req POST /_otts/sweep
expect_json "POST /_otts/sweep answers a count" '"deleted" in d' true
req GET /tokens
BEFORE_RESET=$(jget 'd["token"]' | tr -d '"')
req POST /_otts/reset
expect_json "POST /_otts/reset" 'd' '{"reset":true}'
req POST /tokens -H 'Content-Type: application/json' -d "{\"token\":\"$BEFORE_RESET\"}"
expect_json "a token issued before the reset is gone" 'd["message"]' '"Token not found"'

route_suite

# --- limits ------------------------------------------------------------------------------------
head -c $((65 * 1024)) /dev/zero | tr '\0' ' ' >"$WORK/65k"
req POST /tokens "${JSON[@]}" --data-binary @"$WORK/65k"
expect_status "a 65 KiB body" 413
expect_json "413 body (S1 shape for /tokens)" 'd["isValid"]' false
req POST /_otts/sweep "${JSON[@]}" --data-binary @"$WORK/65k"
expect_status "a 65 KiB body to /_otts" 413
expect_json "413 body (S3 shape)" 'd["error"]["code"]' '"payload_too_large"'
still_serving "413"
head -c $((64 * 1024)) /dev/zero | tr '\0' ' ' >"$WORK/64k"
req POST /tokens "${JSON[@]}" --data-binary @"$WORK/64k"
expect_status "a 64 KiB body is read (and is not JSON)" 400

many=()
for i in $(seq 24); do many+=(-H "X-Filler-$i: $(head -c 1000 /dev/zero | tr '\0' a)"); done
req GET /_otts/health "${many[@]}"
expect_status "24 KiB of headers" 431
req GET /_otts/health -H "X-Huge: $(head -c 20000 /dev/zero | tr '\0' a)"
[[ $STATUS == 4* ]] && pass "a 20 KB header line answers $STATUS" || fail "a 20 KB header line answered $STATUS"
still_serving "huge headers"

# --- idle and half-sent connections (slowloris) are dropped --------------------------------
HOSTPORT=${URL#http://}
exec 5<>"/dev/tcp/${HOSTPORT%:*}/${HOSTPORT#*:}"
printf 'POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"tok' >&5
exec 6<>"/dev/tcp/${HOSTPORT%:*}/${HOSTPORT#*:}"
printf 'GET /_otts/health HTTP/1.1\r\nHost: x\r\n' >&6
still_serving "two half-sent requests"
start=$SECONDS
if timeout 12 cat <&6 >/dev/null; then
    pass "a stalled request is dropped after $((SECONDS - start)) s"
else
    fail "a stalled request was still open after 12 s"
fi
exec 5>&- 6>&-
still_serving "slowloris connections"

# --- logs -------------------------------------------------------------------------------------
if grep -q "$TOKEN\|$ONE\|eyJ" "$WORK/serve.err"; then fail "a token appears in the access log"; else
    pass "no token in the access log"; fi
grep -q '"POST /token/redeem" 409' "$WORK/serve.err" && pass "access log line per request" ||
    fail "access log: $(tail -n 3 "$WORK/serve.err")"
stop_server TERM
[ "$SERVER_STATUS" -eq 0 ] && pass "SIGTERM: exit 0" || fail "SIGTERM: exit $SERVER_STATUS"

# --- rate limits, CORS allow-list, JSON logs, PoW ladder ---------------------------------------
: >"$WORK/serve.err"
start_server --in-memory --rate-limits --cors-origin https://app.example --log-format json \
    --pow-difficulty 4 --pow-ladder 3:6
for i in $(seq 10); do req POST /token; [ "$STATUS" = 200 ] || fail "POST /token $i under the limit: $STATUS"; done
expect_json "the ladder raised the difficulty after 3 issuances" 'd["powChallenge"]["difficulty"]' 6
req GET /_otts/health
expect_json "health shows the laddered difficulty" 'd["pow_difficulty"]' 6
req POST /token
expect_status "the 11th POST /token in a minute" 429
expect_json "429 body" 'd' '{"error":"rate_limited"}'
[[ "$(header retry-after)" =~ ^[0-9]+$ ]] && pass "429 has Retry-After $(header retry-after)" || fail "no Retry-After"
req GET /_otts/health -H 'Origin: https://app.example'
[ "$(header access-control-allow-origin)" = https://app.example ] && pass "--cors-origin allows its origin" ||
    fail "--cors-origin: $(header access-control-allow-origin)"
req GET /_otts/health -H 'Origin: http://localhost:5173'
[ -z "$(header access-control-allow-origin)" ] && pass "--cors-origin replaces the localhost default" ||
    fail "localhost still allowed with --cors-origin"
stop_server INT
[ "$SERVER_STATUS" -eq 0 ] && pass "SIGINT: exit 0" || fail "SIGINT: exit $SERVER_STATUS"
if "$PYTHON" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]' "$WORK/serve.err"; then
    pass "--log-format json: every log line is JSON"
else
    fail "--log-format json: $(head -n 3 "$WORK/serve.err")"
fi
grep -q '"status":429' "$WORK/serve.err" && pass "JSON access log has the status" || fail "no status in JSON logs"

expect_exit 2 "a malformed --pow-ladder is a usage error" -- otts serve --port 0 --in-memory --pow-ladder 10

# --- policy variables: OTTS_LEEWAY and OTTS_POW_DIFFICULTY (test_lambda_runtime.sh checks the same
# through the Lambda bootstrap) ------------------------------------------------------------------
redeem_expired() {
    req POST /token/redeem -H 'Content-Type: application/json' -H "Authorization: Bearer $1" \
        -d "{\"nonce\":\"$EXPIRED_NONCE\",\"pow\":\"0\"}"
}
start_server --in-memory -q
redeem_expired "$(expired_create_token "$OTTS_HOME/secret" 10)"
expect_status "a create token expired 10 s ago, within the default 30 s leeway" 200
stop_server
OTTS_LEEWAY=5 OTTS_POW_DIFFICULTY=5 start_server --in-memory -q
redeem_expired "$(expired_create_token "$OTTS_HOME/secret" 10)"
expect_status "the same with OTTS_LEEWAY=5" 401
req POST /token
expect_json "OTTS_POW_DIFFICULTY=5 sets the issued difficulty" 'd["powChallenge"]["difficulty"]' 5
stop_server
OTTS_POW_DIFFICULTY=5 start_server --in-memory -q --pow-difficulty 6
req POST /token
expect_json "--pow-difficulty overrides OTTS_POW_DIFFICULTY" 'd["powChallenge"]["difficulty"]' 6
stop_server
expect_exit 2 "OTTS_LEEWAY=soon is a usage error" -- env OTTS_LEEWAY=soon "$OTTS_BIN" serve --port 0 --in-memory
grep -q "OTTS_LEEWAY" <<<"$ERR" && pass "the error names OTTS_LEEWAY" || fail "OTTS_LEEWAY=soon: $ERR"
expect_exit 2 "OTTS_POW_DIFFICULTY=65 is a usage error" -- env OTTS_POW_DIFFICULTY=65 "$OTTS_BIN" serve --port 0 --in-memory
expect_exit 2 "an address that cannot be bound is a usage error" -- otts serve --port 8 --in-memory --host 256.1.1.1

finish
