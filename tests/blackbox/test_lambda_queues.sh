#!/usr/bin/env bash
# POST /@queues/{queueId} through the real Lambda bootstrap (Runtime API stand-in, SQLite store):
# connections recorded by $connect and subscribed by $default messages, then a push delivered
# through API Gateway's management API, played by tests/peers/apigw_management_api.py on
# 127.0.0.1: each subscriber gets the body in a SigV4-signed PostToConnection (service
# execute-api), a 410 GoneException drops that connection's record and is not counted, a
# connection that did not subscribe gets nothing. Without WEBSOCKET_API_ENDPOINT the route
# answers 501 naming the setting.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/lambda_lib.sh"

require_bootstrap

otts keygen es256 --out "$WORK/license.pem" >/dev/null
otts keygen es256 --out "$WORK/auth.pem" >/dev/null
LAMBDA_ENV=(JWT_SECRET="$(otts keygen)" LICENSE_PUBLIC_KEY="$WORK/license.pem.pub" OTTS_AUTH_TOKEN_KEY="$WORK/auth.pem"
            OTTS_STORE="sqlite:$WORK/lambda.db" OTTS_MAILER=outbox
            AWS_ACCESS_KEY_ID=AKIDOTTSTEST AWS_SECRET_ACCESS_KEY=none DYNAMODB_ENDPOINT=http://127.0.0.1:9)
MESSAGE='{"type":"job_update","status":"done","n":1}'
start_runtime_api

# --- without the setting: a clear error, not a crash and not "0 delivered" ----------------------
start_bootstrap
wait_first_next
invoke "$(event http POST /@queues/q1 --body "$MESSAGE")"
expect_kind "POST /@queues without WEBSOCKET_API_ENDPOINT" response
expect_status "POST /@queues without WEBSOCKET_API_ENDPOINT" 501
expect_json "the error names the missing setting" '"WEBSOCKET_API_ENDPOINT is not set" in d["message"]' 'true'
stop_bootstrap

# --- with the management API stand-in -----------------------------------------------------------
"$PYTHON" "$PEERS/apigw_management_api.py" "$WORK/mgmt.port" prod conn-G3= 2>>"$WORK/mgmt.err" &
SERVER_PIDS+=("$!")
for ((i = 0; i < 200; i++)); do [ -s "$WORK/mgmt.port" ] && break; sleep 0.05; done
[ -s "$WORK/mgmt.port" ] || { fail "management API stand-in did not start: $(cat "$WORK/mgmt.err")"; finish; }
MGMT_URL="http://127.0.0.1:$(cat "$WORK/mgmt.port")"
start_bootstrap WEBSOCKET_API_ENDPOINT="$MGMT_URL/prod"
wait_first_next

for id in conn-A1= conn-B2= conn-G3= conn-C4=; do
    invoke "$(event ws connect "$id")"
    expect_status "\$connect $id" 200
done
for id in conn-A1= conn-B2= conn-G3=; do
    invoke "$(event ws message "$id" --body '{"action":"subscribe","data":{"queueId":"q1"}}')"
    expect_json "$id subscribes to q1" 'd["type"]' '"subscription_confirmed"'
done
invoke "$(event ws message conn-C4= --body '{"action":"subscribe","data":{"queueId":"q2"}}')"
expect_json "conn-C4= subscribes to q2 only" 'd["type"]' '"subscription_confirmed"'

invoke "$(event http POST /@queues/q1 --header 'Content-Type: application/json' --body "$MESSAGE")"
expect_status "POST /@queues/q1" 200
expect_json "delivered counts the two live subscribers, not the gone one" 'd' '{"delivered":2,"queueId":"q1"}'

curl -sf "$MGMT_URL/_test/calls" >"$WORK/calls.json" || fail "no calls record"
expect_calls() { # WHAT EXPR WANT over the stand-in's records
    local got
    got=$(jget "$2" "$WORK/calls.json" 2>/dev/null) || got="(unreadable: $(cat "$WORK/calls.json"))"
    if [ "$got" = "$3" ]; then pass "$1"; else fail "$1: $2 is $got, wanted $3"; fi
}
expect_calls "PostToConnection went to the three subscribers, none to conn-C4=" \
    'sorted(c["connectionId"] for c in d)' '["conn-A1=","conn-B2=","conn-G3="]'
expect_calls "each on the stage's /@connections/{id}, the id percent-encoded" \
    'sorted(c["path"] for c in d)' '["/prod/@connections/conn-A1%3D","/prod/@connections/conn-B2%3D","/prod/@connections/conn-G3%3D"]'
expect_calls "each carried the pushed body as it was" "all(c['body'] == '$MESSAGE' for c in d)" 'true'
expect_calls "each was SigV4-signed for execute-api" \
    'all(__import__("re").fullmatch(r"AWS4-HMAC-SHA256 Credential=AKIDOTTSTEST/\d{8}/us-east-1/execute-api/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}", c["authorization"]) is not None for c in d)' \
    'true'

invoke "$(event ws message conn-G3= --body '{"action":"subscribe","data":{"queueId":"q1"}}')"
expect_json "the gone connection's record was deleted" 'd["error"]' '"Connection not found"'
invoke "$(event ws message conn-C4= --body '{"action":"unsubscribe","data":{"queueId":"q2"}}')"
expect_json "the unsubscribed connection's record stays" 'd["type"]' '"unsubscription_confirmed"'

invoke "$(event http POST /@queues/nobody)"
expect_json "a queue without subscribers: 0 delivered" 'd' '{"delivered":0,"queueId":"nobody"}'
stop_bootstrap
finish
