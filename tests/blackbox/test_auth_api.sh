#!/usr/bin/env bash
# S2 on `otts serve` with its built-in dev IdP: the token handler suite (auth_suite.sh), then
# what only the emulator has or only a restart shows: the IdP's own pages and errors, sessions
# kept in the SQLite file across a restart, the callback origin allow-list, AUTH_PATH_PREFIX,
# and the settings it refuses to start with.
# shellcheck source=tests/blackbox/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/blackbox/serve_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.sh"
# shellcheck source=tests/blackbox/auth_suite.sh
source "$(dirname "${BASH_SOURCE[0]}")/auth_suite.sh"

export FRONTEND_URL=http://frontend.otts.test:3000 FRONTEND=http://frontend.otts.test:3000
export SERVICE_TOKEN=service-token-for-the-blackbox-suite SERVICE_TOKEN_VALUE=service-token-for-the-blackbox-suite
export OTTS_AUTHZ_POLICY='{"rules":[{"group":"admin","actions":["*"]},{"group":"editors","actions":["read:*"]}]}'
unset SESSION_SECRET COGNITO_USER_POOL_ID COGNITO_CLIENT_ID AUTH_PATH_PREFIX CALLBACK_USE_ORIGIN \
      CALLBACK_ALLOWED_ORIGINS AAGUID_ALLOWLIST 2>/dev/null || true

start_server --db "$WORK/otts.db" -q
IDP=$URL IDP_KEY=$OTTS_HOME/idp.key
auth_suite

# --- logins store nothing: only a sign-in writes a session row ------------------------------------
rows() { "$PYTHON" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sessions").fetchone()[0])' "$WORK/otts.db"; }
before=$(rows)
: >"$WORK/many.jar"
for _ in $(seq 150); do
    curl -s -o /dev/null "$URL/auth/login"
    curl -s -o /dev/null -b "$WORK/many.jar" -c "$WORK/many.jar" "$URL/auth/login"
done
[ "$(rows)" = "$before" ] && pass "300 logins, with and without a cookie jar, add no session rows ($before)" ||
    fail "logins added rows: $before → $(rows)"

# --- the dev IdP's own answers --------------------------------------------------------------------
req GET "/oauth2/authorize?client_id=otts-local&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&response_type=code"
[ "$STATUS" = 400 ] && [ -z "$(header location)" ] && pass "the IdP shows, never follows, a foreign redirect_uri" ||
    fail "foreign redirect_uri: $STATUS $(header location)"
req GET "/oauth2/authorize?client_id=someone&redirect_uri=http%3A%2F%2Flocalhost%2Fcb"
expect_status "the IdP refuses an unknown client_id" 400
for look_alike in "https://localhost:3000.evil.example/" "$FRONTEND.evil.example/auth/callback" "$FRONTEND/auth/callback/x" \
    "http://localhost:3000/auth/callback"; do
    req GET "/oauth2/authorize?client_id=otts-local&response_type=code&redirect_uri=$(url_encode "$look_alike")"
    [ "$STATUS" = 400 ] && [ -z "$(header location)" ] && pass "the IdP refuses an unregistered redirect_uri ($look_alike)" ||
        fail "redirect_uri $look_alike: $STATUS $(header location)"
    req POST /oauth2/authorize --data-urlencode client_id=otts-local --data-urlencode "redirect_uri=$look_alike" \
        --data-urlencode email=dev@example.com
    [ "$STATUS" = 400 ] && [ -z "$(header location)" ] && pass "…and its sign-in form does not redirect there" ||
        fail "POST with redirect_uri $look_alike: $STATUS $(header location)"
done
req GET "/oauth2/authorize?client_id=otts-local&redirect_uri=$(url_encode "$FRONTEND/auth/callback")&state=%22%3E%3Cscript%3E"
grep -q 'id="email"' "$WORK/body" && ! grep -q '"><script>' "$WORK/body" && pass "sign-in page, parameters escaped" ||
    fail "sign-in page: $BODY"
req POST /oauth2/authorize --data "client_id=otts-local&redirect_uri=$(url_encode "$FRONTEND/auth/callback")&email=not-an-email"
[ "$STATUS" = 400 ] && grep -q 'id="problem">enter an email' "$WORK/body" && pass "a bad email re-shows the page" ||
    fail "bad email: $STATUS"
req POST /oauth2/token --data 'grant_type=authorization_code&client_id=otts-local&code=garbage&redirect_uri=x'
expect_json "/oauth2/token with a bad code" 'd["error"]' '"invalid_grant"'
req POST /oauth2/token --data 'grant_type=password&client_id=otts-local'
expect_json "/oauth2/token with another grant" 'd["error"]' '"unsupported_grant_type"'
req POST / -H 'X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth' \
    -d '{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"otts-local","AuthParameters":{"REFRESH_TOKEN":"nope"}}'
expect_json "InitiateAuth with a bad refresh token" 'd["__type"]' '"NotAuthorizedException"'
req GET /.well-known/openid-configuration
expect_json "discovery document: Cognito's issuer, this server's JWKS" '[d["issuer"], d["jwks_uri"]]' \
    "[\"https://cognito-idp.us-west-2.amazonaws.com/local_otts\",\"$URL/.well-known/jwks.json\"]"

# --- sessions live in the SQLite file: a restart keeps them ----------------------------------------
jar="$WORK/restart.jar"; : >"$jar"
sign_in "$jar" carol@example.com ""
callback "$jar"
stop_server
start_server --db "$WORK/otts.db" -q
IDP=$URL
jar_req "$jar" GET /auth/me
expect_json "a session survives a restart" 'd["email"]' '"carol@example.com"'
stop_server

# --- CALLBACK_USE_ORIGIN with an allow-list; AUTH_PATH_PREFIX -------------------------------------
CALLBACK_USE_ORIGIN=true CALLBACK_ALLOWED_ORIGINS=http://good.otts.test AUTH_PATH_PREFIX=_auth/ start_server --in-memory -q
req GET /_auth/login -H 'Host: good.otts.test'
[ "$(query_param "$(header location)" redirect_uri)" = http://good.otts.test/_auth/callback ] &&
    pass "AUTH_PATH_PREFIX=_auth/ serves /_auth, callback URL from the allowed origin" || fail "prefix/origin: $(header location)"
req GET /_auth/callback?code=x -H 'Host: evil.otts.test'
[ "$(header location)" = "$FRONTEND/login?error=Invalid+callback+origin" ] &&
    pass "a callback from an origin not allowed goes to the frontend, not to that origin" || fail "evil origin: $(header location)"
req GET /_auth/callback?code=x -H 'X-Forwarded-Host: evil.otts.test' -H 'Host: good.otts.test'
case "$(header location)" in http://evil*) fail "X-Forwarded-Host redirected to evil" ;; *) pass "X-Forwarded-Host is held to the allow-list too" ;; esac
req GET /auth/login
expect_status "the default prefix is gone when another is set" 404
stop_server

# --- settings it refuses --------------------------------------------------------------------------
SESSION_SECRET=too-short expect_exit 2 "SESSION_SECRET under 32 characters refuses to start" -- \
    "$OTTS_BIN" serve --port 0 --ws-port 0 --in-memory
grep -q SESSION_SECRET <<<"$ERR" && pass "…naming SESSION_SECRET" || fail "message: $ERR"
COGNITO_USER_POOL_ID=us-west-2_x expect_exit 2 "a Cognito pool without COGNITO_CLIENT_ID refuses to start" -- \
    "$OTTS_BIN" serve --port 0 --ws-port 0 --in-memory
grep -q COGNITO_CLIENT_ID <<<"$ERR" && pass "…naming COGNITO_CLIENT_ID" || fail "message: $ERR"
OTTS_AUTHZ_POLICY='{"rules":[{"group":"x"}]}' expect_exit 2 "a rule file without actions refuses to start" -- \
    "$OTTS_BIN" serve --port 0 --ws-port 0 --in-memory

finish
