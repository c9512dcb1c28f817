#!/usr/bin/env bash
# The real Lambda bootstrap against a Runtime API stand-in on 127.0.0.1 (tests/peers/
# lambda_runtime_api.py), on a SQLite store: S0 issue and redeem with a solved proof of work,
# S1 issue and single use, a stage-prefixed path, WebSocket $connect/$disconnect/$default, a
# malformed event and non-route events reported to /error while the loop keeps serving, and an
# init failure (no secret) reported to /init/error. Then the packaged zip, if built: it runs
# through its bundled loader and maps no library from outside the package. Prints (does not
# assert) the init time and the first invocation's latency.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/lambda_lib.sh"

require_bootstrap

# The Lambda's environment: keys only from variables (no data home), the store and the outbox
# in one SQLite file, nothing that could reach AWS.
otts keygen es256 --out "$WORK/license.pem" >/dev/null
otts keygen es256 --out "$WORK/auth.pem" >/dev/null
SECRET=$(otts keygen)
LAMBDA_ENV=(JWT_SECRET="$SECRET" LICENSE_PUBLIC_KEY="$WORK/license.pem.pub" OTTS_AUTH_TOKEN_KEY="$WORK/auth.pem"
            OTTS_STORE="sqlite:$WORK/lambda.db" OTTS_MAILER=outbox
            AWS_ACCESS_KEY_ID=none AWS_SECRET_ACCESS_KEY=none DYNAMODB_ENDPOINT=http://127.0.0.1:9)
start_runtime_api
start_bootstrap
wait_first_next
echo "measured: init (process start -> first /next): ${INIT_MS} ms"

# --- S0: issue, then redeem with a solved proof of work ------------------------------------------
invoke "$(event http POST /token)"
echo "measured: first invocation (event handed out -> response posted): ${LATENCY} ms"
expect_kind "POST /token" response
expect_status "POST /token" 200
expect_json "POST /token shape" '[sorted(d), len(d["nonce"])]' '[["expiresAt","nonce","powChallenge","token"],32]'
[ "$(pget 'd["headers"].get("Cache-Control")')" = '"no-store"' ] && pass "POST /token: Cache-Control no-store" ||
    fail "POST /token: headers $(pget 'd["headers"]')"
cp "$WORK/body" "$WORK/issued.json"
TOKEN=$(jget 'd["token"]' "$WORK/issued.json" | tr -d '"')
NONCE=$(jget 'd["nonce"]' "$WORK/issued.json" | tr -d '"')
POW=$(otts solve-pow <"$WORK/issued.json")
REDEEM_BODY="{\"nonce\":\"$NONCE\",\"pow\":\"$POW\"}"
invoke "$(event http POST /token/redeem --header "Authorization: Bearer $TOKEN" \
    --header 'Content-Type: application/json' --body "$REDEEM_BODY")"
expect_kind "POST /token/redeem" response
expect_status "redeem with the solved PoW" 200
expect_json "redeem body" '[d["valid"], len(d["jti"])]' '[true,36]'
invoke "$(event http POST /token/redeem --header "Authorization: Bearer $TOKEN" \
    --header 'Content-Type: application/json' --body "$REDEEM_BODY" --base64)"
expect_status "a replayed redeem (base64 body this time)" 409
expect_json "replay body" 'd' '{"error":"token_used"}'
printf '%s\n' "$SECRET" >"$WORK/lambda.secret"
# redeem_expired AGO: redeems a create token whose exp passed AGO seconds ago.
redeem_expired() {
    invoke "$(event http POST /token/redeem --header "Authorization: Bearer $(expired_create_token "$WORK/lambda.secret" "$1")" \
        --header 'Content-Type: application/json' --body "{\"nonce\":\"$EXPIRED_NONCE\",\"pow\":\"0\"}")"
}
redeem_expired 10
expect_status "a create token expired 10 s ago, within the default 30 s leeway" 200

# --- S1: issue, then validate-and-consume twice -------------------------------------------------
invoke "$(event http GET /tokens)"
expect_status "GET /tokens" 200
expect_json "GET /tokens shape" 'sorted(d)' '["expiration","token"]'
ONE_TIME=$(jget 'd["token"]' | tr -d '"')
invoke "$(event http POST /tokens --header 'Content-Type: application/json' --body "{\"token\":\"$ONE_TIME\"}")"
expect_status "POST /tokens, first use" 200
expect_json "first use body" 'd' '{"isValid":true,"message":"Token validation successful"}'
invoke "$(event http POST /tokens --header 'Content-Type: application/json' --body "{\"token\":\"$ONE_TIME\"}")"
expect_status "POST /tokens, second use" 401
expect_json "second use is already used" '[d["isValid"], "used" in d["message"]]' '[false,true]'

# --- paths: a named stage in front of rawPath, an unknown route --------------------------------
invoke "$(event http GET /tokens --stage Prod)"
expect_status "GET /Prod/tokens on stage Prod routes as /tokens" 200
invoke "$(event http GET /no/such/route)"
expect_kind "an unknown route is a response, not an invocation error" response
expect_status "unknown route" 404

# --- WebSocket ----------------------------------------------------------------------------------
USER_TOKEN=$(JWT_SECRET="$SECRET" otts issue user --user alice)
invoke "$(event ws connect conn-A1= --token "$USER_TOKEN")"
expect_kind "\$connect with ?token=" response
expect_status "\$connect with ?token=" 200
invoke "$(event ws connect conn-B2= --protocol "chat, $USER_TOKEN")"
expect_status "\$connect with the token as a subprotocol" 200
[ "$(pget 'd["headers"]["Sec-WebSocket-Protocol"]')" = "\"$USER_TOKEN\"" ] &&
    pass "\$connect echoes the subprotocol that carried the token" || fail "no echoed subprotocol: $(pget 'd')"
invoke "$(event ws connect conn-C3= --token not-a-token)"
expect_status "\$connect with a bad token is anonymous, not refused" 200
# Client messages: the reply is the route's response body (PornSpot's websocket/route.ts answers).
invoke "$(event ws message conn-A1= --body '{"action":"ping","requestId":"p-1"}')"
expect_status "\$default message" 200
expect_json "ping → pong with an ISO timestamp and the requestId" \
    '[d["type"], d["requestId"], __import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", d["timestamp"]) is not None]' \
    '["pong","p-1",true]'
invoke "$(event ws message conn-A1= --body '{"action":"get_client_connectionId"}')"
expect_json "get_client_connectionId" 'd' '{"connectionId":"conn-A1=","type":"client_connectionId"}'
invoke "$(event ws message conn-A1= --body '{"action":"subscribe","data":{"queueId":"q-1"},"requestId":"s-1"}')"
expect_json "subscribe → subscription_confirmed" 'd' '{"queueId":"q-1","requestId":"s-1","type":"subscription_confirmed"}'
invoke "$(event ws message conn-B2= --body '{"action":"subscribe","data":{"queueId":"q-1"}}')"
expect_json "a second subscriber" 'd["type"]' '"subscription_confirmed"'
invoke "$(event ws message conn-B2= --body '{"action":"unsubscribe","data":{"queueId":"q-1"},"requestId":"u-1"}')"
expect_json "unsubscribe → unsubscription_confirmed" 'd' '{"queueId":"q-1","requestId":"u-1","type":"unsubscription_confirmed"}'
invoke "$(event ws message conn-A1= --body '{"action":')"
expect_json "bad JSON → error" '[d["type"], d["error"], "requestId" in d]' '["error","Invalid JSON format",false]'
invoke "$(event ws message conn-A1= --body '{"action":"teleport","requestId":"x"}')"
expect_json "unknown action → error with the requestId" '[d["error"], d["requestId"]]' '["Unknown action: teleport","x"]'
invoke "$(event ws message conn-Z9= --body '{"action":"subscribe","data":{"queueId":"q-1"}}')"
expect_json "subscribe from a connection without a record" 'd["error"]' '"Connection not found"'
invoke "$(event ws disconnect conn-A1=)"
expect_status "\$disconnect" 200
invoke "$(event ws message conn-A1= --body '{"action":"subscribe","data":{"queueId":"q-1"}}')"
expect_json "\$disconnect dropped the record and its subscriptions" 'd["error"]' '"Connection not found"'

# --- errors: reported to /error, and the loop goes on --------------------------------------------
invoke '{"version": "2.0", "rawPath": "/tok'
expect_kind "a malformed (truncated) event" error
[ "$(jget 'd["error_type"]' "$WORK/result.json")" = '"otts.bad_request"' ] &&
    pass "malformed event: Lambda-Runtime-Function-Error-Type otts.bad_request" ||
    fail "malformed event error type: $(cat "$WORK/result.json")"
[ "$(jget 'd["json"]["errorMessage"]' "$WORK/result.json")" = '"lambda event: not JSON"' ] &&
    pass "malformed event: errorMessage" || fail "malformed event message: $(cat "$WORK/result.json")"

AUTHORIZER="$OTTS_VECTORS/lambda-events/aws-lambda-go/events/testdata/apigw-v2-custom-authorizer-v2-request.json"
if [ -f "$AUTHORIZER" ]; then
    invoke "$(cat "$AUTHORIZER")"
    expect_kind "an authorizer event (handler error)" error
    [ "$(jget '["authorizer event" in d["json"]["errorMessage"], "not a route event" in d["json"]["errorMessage"]]' \
        "$WORK/result.json")" = '[true,true]' ] &&
        pass "authorizer event: not a route event, and the message says so" ||
        fail "authorizer message: $(cat "$WORK/result.json")"
else
    echo "skipped: authorizer fixture not found at $AUTHORIZER"
fi
invoke "$(event http POST /tokens --body '{}' | "$PYTHON" -c 'import json,sys; e=json.load(sys.stdin); e["isBase64Encoded"]=True; e["body"]="%%%"; print(json.dumps(e))')"
expect_kind "a body that is not the base64 it claims (handler error)" error
[ "$(jget 'd["json"]["errorType"]' "$WORK/result.json")" = '"otts.bad_request"' ] &&
    pass "broken base64 body: errorType otts.bad_request" || fail "broken base64: $(cat "$WORK/result.json")"
invoke "$(event http GET /tokens)"
expect_status "still serving after the errors" 200
kill -0 "$BOOT_PID" 2>/dev/null && pass "the bootstrap is still running" || fail "the bootstrap died"
stop_bootstrap

# --- policy variables: OTTS_LEEWAY and OTTS_POW_DIFFICULTY, as test_serve_api.sh checks them in
# `otts serve` ---------------------------------------------------------------------------------------
start_bootstrap OTTS_LEEWAY=5 OTTS_POW_DIFFICULTY=5
wait_first_next
redeem_expired 10
expect_status "the same 10 s expired token with OTTS_LEEWAY=5" 401
invoke "$(event http POST /token)"
expect_json "OTTS_POW_DIFFICULTY=5 sets the issued difficulty" 'd["powChallenge"]["difficulty"]' 5
stop_bootstrap

# --- init failures: no secret, a bad setting → /init/error and a non-zero exit ---------------------
start_failing_bootstrap JWT_SECRET=
[ "$BOOT_STATUS" -ne 0 ] && pass "init failure exits non-zero ($BOOT_STATUS)" || fail "init failure exited 0"
if [ -s "$WORK/init.json" ]; then
    [ "$(jget '[d["json"]["errorType"], d["error_type"], "JWT_SECRET" in d["json"]["errorMessage"]]' "$WORK/init.json")" = \
        '["otts.key_error","otts.key_error",true]' ] && pass "init failure posted to /init/error (otts.key_error, names JWT_SECRET)" ||
        fail "init error: $(cat "$WORK/init.json")"
else
    fail "no /init/error posted; stderr: $(cat "$WORK/boot.err")"
fi
start_failing_bootstrap OTTS_LEEWAY=soon
[ "$BOOT_STATUS" -ne 0 ] &&
    [ "$(jget '[d["json"]["errorType"], "OTTS_LEEWAY" in d["json"]["errorMessage"]]' "$WORK/init.json")" = '["otts.usage",true]' ] &&
    pass "OTTS_LEEWAY=soon fails the init with otts.usage naming the variable" ||
    fail "OTTS_LEEWAY=soon: exit $BOOT_STATUS, $(cat "$WORK/init.json") $(tail -n 2 "$WORK/boot.err")"

# --- the deployment package: bundled loader and libraries only ------------------------------------
if [ -f "$LAMBDA_ZIP" ]; then
    echo "measured: $(basename "$LAMBDA_ZIP") is $(stat -c %s "$LAMBDA_ZIP") bytes"
    unzip -q "$LAMBDA_ZIP" -d "$WORK/pkg"
    [ -x "$WORK/pkg/bootstrap" ] && pass "zip: ./bootstrap is executable" || fail "zip: ./bootstrap not executable"
    start_bootstrap "$WORK/pkg/bootstrap"
    wait_first_next
    echo "measured: packaged bootstrap, init (process start -> first /next): ${INIT_MS} ms"
    invoke "$(event http GET /tokens)"
    echo "measured: packaged bootstrap, first invocation: ${LATENCY} ms"
    expect_status "the packaged bootstrap serves GET /tokens" 200
    # Every shared object mapped into the process comes from the package's lib/.
    outside=$(awk '$6 ~ /\.so/ {print $6}' "/proc/$BOOT_PID/maps" | sort -u | grep -v "^$WORK/pkg/lib/" || true)
    [ -z "$outside" ] && pass "the packaged bootstrap maps only its bundled libraries" ||
        fail "libraries from outside the package: $outside"
    stop_bootstrap
else
    echo "skipped: no $LAMBDA_ZIP (build the lambda_zip target)"
fi

finish
