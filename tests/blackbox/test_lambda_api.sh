#!/usr/bin/env bash
# The emulator's route suite (tests/blackbox/api_suite.sh) through the Lambda bootstrap: the
# Runtime API stand-in also plays API Gateway, turning each curl request into a payload 2.0
# event and the bootstrap's answer back into HTTP. Same assertions as against `otts serve`, so
# the two front ends cannot drift; plus what only a deployment does (no emulator routes, no
# browser origin unless configured), the S3 sign-in and S4 user token through the Lambda, and
# the S2 token handler suite (auth_suite.sh) with another `otts serve`'s dev IdP as Cognito.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/lambda_lib.sh"
source "$(dirname "$0")/api_suite.sh"
source "$(dirname "$0")/auth_suite.sh"

require_bootstrap

# The Cognito stand-in: an `otts serve` (its own data home) whose dev IdP plays the user pool's
# hosted UI, JSON API and JWKS. FRONTEND_URL is exported for it too: its IdP redirects only
# there (and to loopback).
export FRONTEND_URL=http://frontend.otts.test:3000 FRONTEND=http://frontend.otts.test:3000
export SERVICE_TOKEN=service-token-for-the-blackbox-suite SERVICE_TOKEN_VALUE=service-token-for-the-blackbox-suite
export OTTS_AUTHZ_POLICY='{"rules":[{"group":"admin","actions":["*"]},{"group":"editors","actions":["read:*"]}]}'
unset SESSION_SECRET COGNITO_USER_POOL_ID COGNITO_CLIENT_ID AUTH_PATH_PREFIX CALLBACK_USE_ORIGIN \
      CALLBACK_ALLOWED_ORIGINS AAGUID_ALLOWLIST 2>/dev/null || true
OTTS_HOME="$WORK/idp-home" start_server --in-memory -q
IDP=$URL IDP_KEY=$WORK/idp-home/idp.key
[ -s "$IDP_KEY" ] || { echo "FAIL: the IdP server wrote no $IDP_KEY" >&2; exit 1; }

# The data home's keys, handed to the Lambda as variables, so that tokens made by the CLI (the
# suite's "issued by another store" case) are signed as the Lambda's own.
otts issue >/dev/null
LAMBDA_ENV=(JWT_SECRET="$(cat "$OTTS_HOME/secret")" LICENSE_PUBLIC_KEY="$OTTS_HOME/license.pub"
            OTTS_AUTH_TOKEN_KEY="$OTTS_HOME/license.key" OTTS_STORE="sqlite:$WORK/lambda.db" OTTS_MAILER=outbox
            OTTS_POW_DIFFICULTY=4 OTTS_CORS_ORIGINS="http://localhost:5173, http://127.0.0.1:3000"
            COGNITO_USER_POOL_ID=local_otts COGNITO_CLIENT_ID=otts-local COGNITO_DOMAIN="$IDP"
            COGNITO_ENDPOINT="$IDP" COGNITO_JWKS_URL="$IDP/.well-known/jwks.json"
            SESSION_SECRET=a-session-secret-for-the-lambda-blackbox-test)
start_runtime_api gateway
start_bootstrap
wait_first_next
URL=$GATEWAY_URL

route_suite

# --- S3 sign-in and the S4 user token through the Lambda ---------------------------------------
# The PIN mail lands in the store's outbox table (OTTS_MAILER=outbox); the Lambda serves no
# outbox route, so the test reads the table itself.
LICENSE=$(otts license create --email dev@example.com --days 1)
req POST /v1/auth/request-pin "${JSON[@]}" -d "{\"license\":\"$LICENSE\"}"
expect_status "S3 request-pin" 200
expect_json "the address is masked" 'd["message"]' '"PIN sent to d***@example.com"'
PIN=$(sqlite3 "$WORK/lambda.db" "SELECT text FROM outbox WHERE to_addr = 'dev@example.com'" 2>/dev/null |
    grep -oE '\b[0-9]{6}\b' | tail -n1 || true)
[[ "$PIN" =~ ^[0-9]{6}$ ]] && pass "the PIN mail is in the outbox table" || fail "no PIN mail in $WORK/lambda.db"
WRONG=$(printf '%06d' $(((10#$PIN + 1) % 1000000)))
req POST /v1/auth/verify-pin "${JSON[@]}" -d "{\"license\":\"$LICENSE\",\"pin\":\"$WRONG\"}"
expect_status "a wrong PIN" 400
expect_json "wrong PIN body" 'd["error"]["code"]' '"invalid_pin"'
req POST /v1/auth/verify-pin "${JSON[@]}" -d "{\"license\":\"$LICENSE\",\"pin\":\"$PIN\"}"
expect_status "S3 verify-pin" 200
ACCESS=$(jget 'd["access_token"]' | tr -d '"')
REFRESH=$(jget 'd["refresh_token"]' | tr -d '"')
req POST /user/auth/jwt-token -H "Authorization: Bearer $ACCESS"
expect_status "S4 jwt-token with the access token" 200
expect_json "S4 user token for the signed-in email" '[d["success"], d["data"]["userId"], d["data"]["expiresIn"]]' \
    '[true,"dev@example.com","1h"]'
req POST /user/auth/jwt-token
expect_status "S4 jwt-token without a token" 401
req POST /v1/auth/refresh "${JSON[@]}" -d "{\"refresh_token\":\"$REFRESH\",\"license\":\"$LICENSE\"}"
expect_status "S3 refresh" 200
req POST /v1/auth/refresh "${JSON[@]}" -d "{\"refresh_token\":\"$REFRESH\",\"license\":\"$LICENSE\"}"
expect_status "the spent refresh token again" 401
req POST /v1/auth/logout -H "Authorization: Bearer $ACCESS"
expect_status "S3 logout" 200

# --- S2, the token handler, through the Lambda (the IdP's redirects and cookies via the gateway)
auth_suite

# The same payload 2.0 cookie handling without the stand-in's translation: Set-Cookie comes back
# in the answer's `cookies` array (not in headers), a session cookie goes in via the event's.
invoke "$(event http GET /auth/login --query email=dave@example.com)"
[ "$STATUS" = 307 ] && [ "$(pget '[c.split("=")[0] for c in d["cookies"]]')" = '["l42_login"]' ] &&
    [ "$(pget '[k for k in d["headers"] if k.lower() == "set-cookie"]')" = '[]' ] &&
    pget 'd["headers"]["Location"] if "Location" in d["headers"] else d["headers"]["location"]' | grep -q "^\"$IDP/oauth2/authorize?" &&
    pass "login's cookie is in the payload's cookies array, its Location in headers" ||
    fail "login payload: $(cat "$WORK/payload.json")"
jar="$WORK/dave.jar"; : >"$jar"
sign_in "$jar" dave@example.com ""
callback "$jar"
invoke "$(event http GET /auth/me --cookie theme=dark --cookie "l42_session=$(jar_cookie "$jar")")"
[ "$STATUS" = 200 ] && [ "$(jget 'd["email"]')" = '"dave@example.com"' ] &&
    pass "the event's cookies array carries the session" || fail "GET /auth/me by event cookies: $STATUS $BODY"

# --- what a deployment does not serve ----------------------------------------------------------
for route in "GET /_otts/outbox" "POST /_otts/reset" "GET /@connections/abc="; do
    req ${route% *} "${route#* }"
    expect_status "$route is not served by the Lambda" 404
done
req POST /@queues/q-1 -d 'x'
expect_status "POST /@queues is served, 501 without WEBSOCKET_API_ENDPOINT (test_lambda_queues.sh has it)" 501
req GET /_otts/health
expect_json "health names the store" 'd["store"].startswith("sqlite:")' true
req POST /token -H 'Origin: http://localhost:8000'
[ -z "$(header access-control-allow-origin)" ] && pass "only the configured origins get CORS" ||
    fail "CORS allowed an unconfigured localhost origin"
finish
