#!/usr/bin/env bash
# /_otts/openapi.json of a running otts serve validates with a real OpenAPI validator
# (@apidevtools/swagger-parser) and documents every route the server answers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

start_server --in-memory --ws-port 0
req GET /_otts/openapi.json
expect_status "openapi.json" 200
cp "$WORK/body" "$WORK/openapi.json"
expect_exit 0 "swagger-parser validates the document" -- node "$OTTS_SOURCE_DIR/tests/peers/openapi_validate.mjs" "$WORK/openapi.json"
printf '%s\n' "$OUT" >"$WORK/operations"

# Every route a client of the originals calls, and the emulator's own.
for op in "POST /token" "POST /token/redeem" "GET /tokens" "POST /tokens" \
          "POST /v1/auth/request-pin" "POST /v1/auth/verify-pin" "POST /v1/auth/refresh" "POST /v1/auth/logout" \
          "POST /user/auth/jwt-token" "POST /user/auth/generate-jwt" "GET /@connections" "POST /@connections/{id}" "GET /@connections/{id}" \
          "DELETE /@connections/{id}" "POST /@queues/{queueId}" "GET /_otts/health" "POST /_otts/sweep" "POST /_otts/reset" \
          "GET /_otts/outbox" "DELETE /_otts/outbox" "DELETE /_otts/outbox/{id}" "GET /_otts/openapi.json" "GET /"; do
    grep -qxF "$op" "$WORK/operations" && pass "documented: $op" || fail "not documented: $op"
done

# And the other way round: every documented operation is served (not 404/405).
while read -r method path; do
    concrete=${path//\{id\}/no-such-id}
    case "$method $path" in "POST /_otts/reset") continue ;; esac  # would clear the store mid-test
    req "$method" "$concrete" -H 'Content-Type: application/json' -d '{}'
    [ "$STATUS" != 404 ] || [[ $path == *"{id}"* ]] || fail "$method $path is documented but answers 404"
    [ "$STATUS" != 405 ] && pass "served: $method $path ($STATUS)" || fail "$method $path answers 405"
done <"$WORK/operations"

finish
