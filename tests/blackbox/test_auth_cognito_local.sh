#!/usr/bin/env bash
# The l42 token handler (S2, /auth/*) of `otts serve` against a real Cognito peer: cognito-local
# (package.json devDependency) on 127.0.0.1 on a free port, set up by tests/peers/cognito_local.mjs
# (two user pools, app clients with and without a secret, a user in a group, tokens from
# InitiateAuth USER_PASSWORD_AUTH). otts is pointed at it with COGNITO_DOMAIN (hosted UI:
# /oauth2/authorize + /oauth2/token), COGNITO_ENDPOINT (InitiateAuth REFRESH_TOKEN_AUTH),
# COGNITO_ISSUER and COGNITO_JWKS_URL. Nothing here can reach AWS.
#
# cognito-local 5.3 serves the hosted UI with the authorization-code flow and PKCE S256 (a login
# form at GET /oauth2/authorize, its POST redirects to redirect_uri?code&state; /oauth2/token
# checks code_verifier, client_id and redirect_uri, never a client secret), so the whole browser
# flow runs: /auth/login -> the IdP's login form -> /auth/callback -> /auth/token -> /auth/me ->
# /auth/refresh -> /auth/logout, with a curl cookie jar as the browser. Then the direct path
# (POST /auth/session with USER_PASSWORD_AUTH tokens, as after a passkey/password login) and its
# refusals: no X-L42-CSRF, an id token of another user pool (iss), of another app client (aud),
# a forged signature. Its tokens: RS256, kid "CognitoLocal" (one key for every pool),
# iss = http://127.0.0.1:PORT/POOL_ID (HOST:PORT it was started with), aud = the client id;
# its openid-configuration hard-codes localhost:9229, so otts gets COGNITO_JWKS_URL explicitly.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

COGNITO_LOCAL_BIN="$OTTS_SOURCE_DIR/node_modules/.bin/cognito-local"
PEER="$OTTS_SOURCE_DIR/tests/peers/cognito_local.mjs"
# The browser app: never contacted (curl follows no redirects); the hosted UI sends the code to
# its /auth/callback, which a real deployment routes to otts, as this script does by hand.
FRONTEND_URL=http://frontend.otts.test
CALLBACK_URL="$FRONTEND_URL/auth/callback"

# Missing peer: fails under CI=true (scripts/bootstrap installs it: npm ci), skips elsewhere.
if ! [ -x "$COGNITO_LOCAL_BIN" ] || ! command -v node >/dev/null; then
    if [ "${CI:-}" = true ]; then
        fail "cognito-local is not installed (npm ci in $OTTS_SOURCE_DIR)"
        finish
    fi
    echo "skip: cognito-local is not installed (npm ci in $OTTS_SOURCE_DIR)" >&2
    exit 0
fi

# start_cognito_local: cognito-local on 127.0.0.1 on a free port (it takes HOST and PORT from the
# environment and writes them into its tokens' iss, so port 0 will not do; it logs the address
# once listening, and keeps its config and data in ./.cognito, so it runs in $WORK/cognito);
# sets COGNITO_URL.
start_cognito_local() {
    mkdir -p "$WORK/cognito"
    start_peer cognito-local launch_cognito_local
    COGNITO_URL=$PEER_URL
}
launch_cognito_local() {
    cd "$WORK/cognito" && exec env -u COGNITO_LOCAL_DEVMODE -u DEBUG HOST=127.0.0.1 PORT="$(free_port)" "$COGNITO_LOCAL_BIN"
}

# raw EXPR FILE: a Python expression over the JSON `d` of FILE, strings printed bare.
raw() {
    "$PYTHON" -c 'import json,sys; v=eval(sys.argv[1], {"d": json.load(open(sys.argv[2]))}); print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))' \
        "$1" "$2"
}
# claims JWT FILE: writes the JWT's payload (unverified) as JSON to FILE ({} if JWT is none).
claims() {
    "$PYTHON" -c 'import base64,sys; p=sys.argv[1].split(".")[1]; sys.stdout.buffer.write(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))' \
        "$1" >"$2" 2>/dev/null || echo '{}' >"$2"
}
# field NAME: the string field NAME of the last body, empty if there is none.
field() { raw "d.get(\"$1\", \"\") if isinstance(d, dict) else \"\"" "$WORK/body" 2>/dev/null || true; }
# jt EXPR FILE: jget that never fails (for claims files of tokens that may be missing).
jt() { jget "$1" "$2" 2>/dev/null || echo "(missing)"; }
# query URL NAME: the (decoded) query parameter NAME of URL, empty if absent.
query() {
    "$PYTHON" -c 'import sys, urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query).get(sys.argv[2], [""])[0])' "$1" "$2"
}
# expect_eq WHAT GOT WANT
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', wanted '$3'"; fi; }
# expect_prefix WHAT GOT PREFIX
expect_prefix() { if [[ "$2" == "$3"* ]]; then pass "$1"; else fail "$1: '$2' does not start with '$3'"; fi; }

# areq JAR METHOD PATH [curl args...]: req with a cookie jar (the browser).
areq() { local jar=$1; shift; req "$@" -b "$jar" -c "$jar"; }
CSRF=(-H 'X-L42-CSRF: 1')
JSON=(-H 'Content-Type: application/json')

# --- the IdP ------------------------------------------------------------------------------------
start_cognito_local
pass "cognito-local listening at $COGNITO_URL"
if NODE_PATH="$OTTS_SOURCE_DIR/node_modules" node "$PEER" setup "$COGNITO_URL" "$CALLBACK_URL" \
    >"$WORK/idp.json" 2>"$WORK/idp.err"; then
    pass "user pools, app clients, group and user set up; the peer verified its id tokens against the JWKS"
else
    fail "cognito_local.mjs setup: $(cat "$WORK/idp.err") $(cat "$WORK/cognito-local.log")"
    finish
fi
IDP="$WORK/idp.json"
POOL_ID=$(raw 'd["pool_id"]' "$IDP")
CLIENT_ID=$(raw 'd["client_id"]' "$IDP")
EMAIL=$(raw 'd["email"]' "$IDP")
PASSWORD=$(raw 'd["password"]' "$IDP")
SUB=$(raw 'd["sub"]' "$IDP")
ACCESS=$(raw 'd["tokens"]["AccessToken"]' "$IDP")
ID_TOKEN=$(raw 'd["tokens"]["IdToken"]' "$IDP")
REFRESH=$(raw 'd["tokens"]["RefreshToken"]' "$IDP")
claims "$ID_TOKEN" "$WORK/id.claims"
# The expected issuer is whatever the peer writes into its tokens (http://127.0.0.1:PORT/POOL).
ISSUER=$(raw 'd["iss"]' "$WORK/id.claims")
expect_eq "the peer's iss is its base URL + pool id" "$ISSUER" "$COGNITO_URL/$POOL_ID"
JWKS_URL="$ISSUER/.well-known/jwks.json"
curl -s -o "$WORK/jwks.json" "$JWKS_URL"
expect_eq "the peer's JWKS serves the id token's kid" \
    "$(raw '[k["kid"] for k in d["keys"]]' "$WORK/jwks.json")" '["CognitoLocal"]'

# --- otts, configured for the pool's first app client (no secret) --------------------------------
unset COGNITO_CLIENT_SECRET COGNITO_CLIENT_ID COGNITO_USER_POOL_ID COGNITO_REGION COGNITO_DOMAIN \
      COGNITO_ENDPOINT COGNITO_ISSUER COGNITO_JWKS_URL SESSION_SECRET 2>/dev/null || true
export COGNITO_CLIENT_ID="$CLIENT_ID" COGNITO_USER_POOL_ID="$POOL_ID" COGNITO_REGION=us-east-1 \
       COGNITO_DOMAIN="$COGNITO_URL" COGNITO_ENDPOINT="$COGNITO_URL" COGNITO_ISSUER="$ISSUER" \
       COGNITO_JWKS_URL="$JWKS_URL" SESSION_SECRET=otts-blackbox-session-secret-0123456789abcdef \
       FRONTEND_URL="$FRONTEND_URL"
start_server --in-memory -q

req GET /health
expect_status "GET /health" 200
req GET /auth/token
expect_status "GET /auth/token without a session" 401
expect_json "its body" 'd' '{"error":"Not authenticated"}'
req GET /auth/me
expect_status "GET /auth/me without a session" 401

# --- the hosted-UI flow: /auth/login -> IdP login form -> /auth/callback -------------------------
JAR="$WORK/browser.jar"; : >"$JAR"
areq "$JAR" GET /auth/login
if [ "$STATUS" = 302 ] || [ "$STATUS" = 307 ]; then pass "GET /auth/login redirects ($STATUS)"; else
    fail "GET /auth/login: status $STATUS, wanted 302 or 307; body: $BODY"; fi
LOGIN_TO=$(header location)
expect_prefix "to the IdP's authorize endpoint" "$LOGIN_TO" "$COGNITO_URL/oauth2/authorize?"
expect_eq "client_id" "$(query "$LOGIN_TO" client_id)" "$CLIENT_ID"
expect_eq "response_type" "$(query "$LOGIN_TO" response_type)" code
expect_eq "code_challenge_method" "$(query "$LOGIN_TO" code_challenge_method)" S256
expect_eq "redirect_uri is FRONTEND_URL/auth/callback" "$(query "$LOGIN_TO" redirect_uri)" "$CALLBACK_URL"
[[ "$(query "$LOGIN_TO" code_challenge)" =~ ^[A-Za-z0-9_-]{43}$ ]] && pass "code_challenge is a base64url SHA-256" ||
    fail "code_challenge: '$(query "$LOGIN_TO" code_challenge)'"
STATE=$(query "$LOGIN_TO" state)
[ "${#STATE}" -ge 16 ] && pass "state is set (${#STATE} chars)" || fail "state: '$STATE'"
grep -qi '^set-cookie: l42_login=' "$WORK/headers" && ! grep -qi '^set-cookie: l42_session=' "$WORK/headers" &&
    pass "the login waits in the l42_login cookie, no session yet" ||
    fail "cookies on /auth/login: $(grep -i '^set-cookie' "$WORK/headers")"
# A second login gets its own state and challenge.
: >"$WORK/other.jar"; : >"$WORK/replay.jar"
areq "$WORK/other.jar" GET /auth/login
OTHER_LOGIN_TO=$(header location)
[ "$(query "$OTHER_LOGIN_TO" state)" != "$STATE" ] &&
    [ "$(query "$OTHER_LOGIN_TO" code_challenge)" != "$(query "$LOGIN_TO" code_challenge)" ] &&
    pass "every login has a fresh state and PKCE challenge" || fail "state/challenge reused: $OTHER_LOGIN_TO"

# The user signs in on the IdP's page (the peer plays the browser on cognito-local's form).
hosted_login() { # AUTHORIZE_URL -> sets CODE and CODE_STATE from the redirect to the callback
    NODE_PATH="$OTTS_SOURCE_DIR/node_modules" node "$PEER" hosted-login "$1" "$EMAIL" "$PASSWORD" \
        >"$WORK/hosted.json" 2>"$WORK/hosted.err" || { fail "hosted login: $(cat "$WORK/hosted.err")"; finish; }
    local to; to=$(raw 'd["location"]' "$WORK/hosted.json")
    expect_prefix "the IdP sends the code to the registered callback" "$to" "$CALLBACK_URL?"
    CODE=$(query "$to" code); CODE_STATE=$(query "$to" state)
}
hosted_login "$LOGIN_TO"
expect_eq "the IdP echoes state" "$CODE_STATE" "$STATE"

# A callback whose state is not the session's is refused without exchanging the code.
hosted_login "$OTHER_LOGIN_TO"
OTHER_CODE=$CODE
areq "$WORK/other.jar" GET "/auth/callback?code=$OTHER_CODE&state=not-the-state"
expect_status "callback with a foreign state" 307
expect_prefix "to the frontend's login page with an error" "$(header location)" "$FRONTEND_URL/login?error="
areq "$WORK/other.jar" GET /auth/token
expect_status "no session after a state mismatch" 401

hosted_login "$LOGIN_TO"
areq "$JAR" GET "/auth/callback?code=$CODE&state=$STATE"
expect_status "GET /auth/callback exchanges the code" 307
expect_prefix "to FRONTEND_URL/auth/success" "$(header location)" "$FRONTEND_URL/auth/success"
FIRST_CODE=$CODE

areq "$JAR" GET /auth/token
expect_status "GET /auth/token after the code flow" 200
expect_json "auth_method" 'd["auth_method"]' '"oauth"'
expect_json "no refresh token leaves the handler" '"refresh_token" in d' false
claims "$(field id_token)" "$WORK/flow.claims"
got=$(jt '[d["iss"], d["aud"], d["email"], d["sub"], d["token_use"]]' "$WORK/flow.claims")
expect_eq "the id token came from the pool, for this client" "$got" "[\"$ISSUER\",\"$CLIENT_ID\",\"$EMAIL\",\"$SUB\",\"id\"]"
FLOW_ID_TOKEN=$(field id_token)
claims "$(field access_token)" "$WORK/flow.access"
expect_eq "the access token is the pool's" "$(jt '[d["token_use"], d["client_id"]]' "$WORK/flow.access")" \
    "[\"access\",\"$CLIENT_ID\"]"

areq "$JAR" GET /auth/me
expect_status "GET /auth/me" 200
expect_json "me: email, sub, groups (cognito:groups)" '[d["email"], d["sub"], d["groups"]]' \
    "[\"$EMAIL\",\"$SUB\",[\"admins\"]]"

# The code is single-use at the IdP: replayed through a fresh browser, the exchange fails.
areq "$WORK/replay.jar" GET "/auth/callback?code=$FIRST_CODE&state=$STATE"
expect_status "replayed code" 307
expect_prefix "replayed code ends on the login page" "$(header location)" "$FRONTEND_URL/login?error="
areq "$WORK/replay.jar" GET /auth/token
expect_status "no session from a replayed code" 401

areq "$JAR" POST /auth/refresh
expect_status "POST /auth/refresh without X-L42-CSRF" 403
areq "$JAR" POST /auth/refresh "${CSRF[@]}"
expect_status "POST /auth/refresh (InitiateAuth REFRESH_TOKEN_AUTH at the IdP)" 200
areq "$JAR" GET /auth/token
expect_status "GET /auth/token after refresh" 200
NEW_ID_TOKEN=$(field id_token)
[ -n "$NEW_ID_TOKEN" ] && [ "$NEW_ID_TOKEN" != "$FLOW_ID_TOKEN" ] && pass "refresh stored a new id token" ||
    fail "the id token did not change on refresh"
claims "$NEW_ID_TOKEN" "$WORK/refreshed.claims"
expect_eq "the refreshed id token is the same user's" "$(jt '[d["iss"], d["aud"], d["sub"]]' "$WORK/refreshed.claims")" \
    "[\"$ISSUER\",\"$CLIENT_ID\",\"$SUB\"]"

cp "$JAR" "$WORK/stolen.jar"
areq "$JAR" POST /auth/logout
expect_status "POST /auth/logout without X-L42-CSRF" 403
areq "$JAR" POST /auth/logout "${CSRF[@]}"
expect_status "POST /auth/logout" 200
expect_json "logout body" 'd' '{"success":true}'
areq "$JAR" GET /auth/token
expect_status "GET /auth/token after logout" 401
areq "$WORK/stolen.jar" GET /auth/token
expect_status "the pre-logout cookie is dead too (the session is gone server-side)" 401
areq "$JAR" POST /auth/refresh "${CSRF[@]}"
expect_status "POST /auth/refresh after logout" 401

# --- the direct path: POST /auth/session with USER_PASSWORD_AUTH tokens --------------------------
session_body() { # ACCESS ID [REFRESH] [AUTH_METHOD] -> JSON
    "$PYTHON" -c 'import json,sys; a=sys.argv[1:]; b={"access_token": a[0], "id_token": a[1]}
if len(a) > 2 and a[2]: b["refresh_token"] = a[2]
if len(a) > 3: b["auth_method"] = a[3]
print(json.dumps(b))' "$@"
}
JAR="$WORK/direct.jar"; : >"$JAR"
areq "$JAR" POST /auth/session "${JSON[@]}" -d "$(session_body "$ACCESS" "$ID_TOKEN" "$REFRESH" password)"
expect_status "POST /auth/session without X-L42-CSRF" 403
areq "$JAR" GET /auth/token
expect_status "no session without X-L42-CSRF" 401

B_ACCESS=$(raw 'd["other_pool"]["tokens"]["AccessToken"]' "$IDP")
B_ID=$(raw 'd["other_pool"]["tokens"]["IdToken"]' "$IDP")
areq "$JAR" POST /auth/session "${CSRF[@]}" "${JSON[@]}" -d "$(session_body "$B_ACCESS" "$B_ID" "" password)"
expect_status "an id token of another user pool (iss, same signing key)" 403
expect_json "its body" 'd' '{"error":"Token verification failed"}'

O_ACCESS=$(raw 'd["other_client"]["tokens"]["AccessToken"]' "$IDP")
O_ID=$(raw 'd["other_client"]["tokens"]["IdToken"]' "$IDP")
areq "$JAR" POST /auth/session "${CSRF[@]}" "${JSON[@]}" -d "$(session_body "$O_ACCESS" "$O_ID" "" password)"
expect_status "an id token of another app client (aud)" 403
expect_json "its body" 'd' '{"error":"Token verification failed"}'

# The right token with its signature altered (a character in the middle of the signature).
FORGED=$("$PYTHON" -c 'import sys; h,p,s=sys.argv[1].split("."); i=len(s)//2; print(".".join([h,p,s[:i]+("A" if s[i]!="A" else "B")+s[i+1:]]))' "$ID_TOKEN")
areq "$JAR" POST /auth/session "${CSRF[@]}" "${JSON[@]}" -d "$(session_body "$ACCESS" "$FORGED" "" password)"
expect_status "a forged id token signature" 403
areq "$JAR" GET /auth/token
expect_status "no session after refused tokens" 401

areq "$JAR" POST /auth/session "${CSRF[@]}" "${JSON[@]}" -d "$(session_body "$ACCESS" "$ID_TOKEN" "$REFRESH" password)"
expect_status "POST /auth/session with the pool's tokens" 200
expect_json "its body" 'd' '{"success":true}'
grep -qi '^set-cookie: l42_session=' "$WORK/headers" && pass "Set-Cookie l42_session" ||
    fail "no l42_session cookie: $(grep -i '^set-cookie' "$WORK/headers")"
grep -i '^set-cookie: l42_session=' "$WORK/headers" | grep -qi 'httponly' && pass "the session cookie is HttpOnly" ||
    fail "session cookie not HttpOnly: $(grep -i '^set-cookie' "$WORK/headers")"
areq "$JAR" GET /auth/token
expect_status "GET /auth/token" 200
expect_json "the same tokens back, no refresh token" '[d["access_token"], d["id_token"], d["auth_method"], "refresh_token" in d]' \
    "[\"$ACCESS\",\"$ID_TOKEN\",\"password\",false]"
areq "$JAR" GET /auth/me
expect_status "GET /auth/me" 200
expect_json "me: email, sub, groups" '[d["email"], d["sub"], d["groups"]]' "[\"$EMAIL\",\"$SUB\",[\"admins\"]]"
areq "$JAR" POST /auth/refresh "${CSRF[@]}"
expect_status "POST /auth/refresh with the USER_PASSWORD_AUTH refresh token" 200
areq "$JAR" GET /auth/token
expect_status "GET /auth/token after refresh" 200
got=$(field id_token)
[ -n "$got" ] && [ "$got" != "$ID_TOKEN" ] && pass "refresh replaced the id token" || fail "id token unchanged after refresh"
expect_json "auth_method survives refresh" 'd["auth_method"]' '"password"'
areq "$JAR" POST /auth/logout "${CSRF[@]}"
expect_status "POST /auth/logout" 200
areq "$JAR" GET /auth/token
expect_status "GET /auth/token after logout" 401

# A session without a refresh token cannot refresh.
JAR="$WORK/norefresh.jar"; : >"$JAR"
areq "$JAR" POST /auth/session "${CSRF[@]}" "${JSON[@]}" -d "$(session_body "$ACCESS" "$ID_TOKEN")"
expect_status "POST /auth/session without refresh_token" 200
areq "$JAR" POST /auth/refresh "${CSRF[@]}"
expect_status "POST /auth/refresh without a refresh token" 401

# A refresh token the IdP refuses (NotAuthorizedException) ends the session.
JAR="$WORK/revoked.jar"; : >"$JAR"
areq "$JAR" POST /auth/session "${CSRF[@]}" "${JSON[@]}" -d "$(session_body "$ACCESS" "$ID_TOKEN" not-a-refresh-token password)"
expect_status "POST /auth/session with a bad refresh token" 200
areq "$JAR" POST /auth/refresh "${CSRF[@]}"
expect_status "POST /auth/refresh refused by the IdP" 401
areq "$JAR" GET /auth/token
expect_status "the session is gone after a refused refresh" 401

# --- a confidential app client (COGNITO_CLIENT_SECRET) -------------------------------------------
# cognito-local accepts but never checks client secrets: this shows otts's secret path still
# speaks the protocol (client_id in the token request body), not that the secret is right.
stop_server
export COGNITO_CLIENT_ID
COGNITO_CLIENT_ID=$(raw 'd["client_secret_client"]["client_id"]' "$IDP")
export COGNITO_CLIENT_SECRET
COGNITO_CLIENT_SECRET=$(raw 'd["client_secret_client"]["client_secret"]' "$IDP")
start_server --in-memory -q
JAR="$WORK/secret.jar"; : >"$JAR"
areq "$JAR" GET /auth/login
expect_eq "login names the confidential client" "$(query "$(header location)" client_id)" "$COGNITO_CLIENT_ID"
hosted_login "$(header location)"
areq "$JAR" GET "/auth/callback?code=$CODE&state=$CODE_STATE"
expect_status "callback with a client secret" 307
expect_prefix "to FRONTEND_URL/auth/success" "$(header location)" "$FRONTEND_URL/auth/success"
areq "$JAR" GET /auth/token
expect_status "GET /auth/token (confidential client)" 200
claims "$(field id_token)" "$WORK/secret.claims"
expect_eq "its id token is for the confidential client" "$(raw 'd.get("aud", "")' "$WORK/secret.claims")" "$COGNITO_CLIENT_ID"
areq "$JAR" POST /auth/refresh "${CSRF[@]}"
expect_status "POST /auth/refresh (confidential client)" 200
# The first client's tokens are another audience for this instance.
areq "$JAR" POST /auth/session "${CSRF[@]}" "${JSON[@]}" -d "$(session_body "$ACCESS" "$ID_TOKEN" "" password)"
expect_status "the first client's id token (aud) on the confidential client's instance" 403

finish
