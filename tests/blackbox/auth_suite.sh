# shellcheck shell=bash
# The S2 token handler's suite (sourced after lib.sh and serve_lib.sh), against $URL: the
# Cognito code flow through a Cognito-shaped IdP (the built-in dev IdP, in process or another
# otts serve), sessions, CSRF, CORS and the security cases. test_auth_api.sh runs it on
# `otts serve`, test_lambda_api.sh through the Lambda bootstrap.
# Needs: FRONTEND (the server's FRONTEND_URL), IDP (the IdP's URL), IDP_KEY (its RS256 private
# key file), SERVICE_TOKEN_VALUE (the server's SERVICE_TOKEN), a rule file giving group
# "admin" every action and "editors" read:*.

# jar_req JAR METHOD PATH [curl args...]: req with a cookie jar.
jar_req() {
    local jar=$1; shift
    req "$@" -b "$jar" -c "$jar"
}

# The l42_session value in a jar ("" when none).
jar_cookie() { awk '$6 == "l42_session" { print $7 }' "$1" 2>/dev/null | tail -n1; }

# set_cookie NAME: the last req's Set-Cookie line for cookie NAME ("" when none).
set_cookie() { sed -n "s/^set-cookie: \($1=.*\)/\1/p" "$WORK/headers" | head -n1; }

# query_param URL NAME: a query parameter of URL, percent-decoded.
query_param() {
    "$PYTHON" -c 'import sys, urllib.parse as u; print(u.parse_qs(u.urlparse(sys.argv[1]).query).get(sys.argv[2], [""])[0])' "$1" "$2"
}

# url_encode TEXT: TEXT percent-encoded for a query string.
url_encode() { "$PYTHON" -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$1"; }

# sign_in JAR EMAIL GROUPS: /auth/login, then the IdP's page and form as a browser would; sets
# CALLBACK (the IdP's redirect to {FRONTEND}/auth/callback?code&state).
sign_in() {
    local jar=$1 email=$2 groups=$3 authorize
    jar_req "$jar" GET "/auth/login?email=$email"
    authorize=$(header location)
    curl -s -o "$WORK/idp.html" "$authorize"
    local fields=()
    local name
    for name in client_id redirect_uri state code_challenge code_challenge_method scope; do
        fields+=(--data-urlencode "$name=$(query_param "$authorize" "$name")")
    done
    CALLBACK=$(curl -s -o /dev/null -w '%{redirect_url}' "${fields[@]}" --data-urlencode "email=$email" \
        --data-urlencode "groups=$groups" "$IDP/oauth2/authorize")
}

# callback JAR: the handler's /auth/callback with CALLBACK's code and state.
callback() {
    local code state
    code=$(query_param "$CALLBACK" code)
    state=$(query_param "$CALLBACK" state)
    jar_req "$1" GET "/auth/callback?code=$code&state=$state"
}

auth_suite() {
local csrf=(-H 'X-L42-CSRF: 1') json=(-H 'Content-Type: application/json')
local alice="$WORK/alice.jar" bob="$WORK/bob.jar" anon="$WORK/anon.jar"
: >"$alice"; : >"$bob"; : >"$anon"

req GET /health
expect_json "GET /health" 'd' '{"cedar":"ready","mode":"token-handler","status":"ok"}'

# --- signed out: 401, CSRF first, nothing stored ------------------------------------------------
jar_req "$anon" GET /auth/token
expect_status "GET /auth/token signed out" 401
expect_json "signed-out body" 'd' '{"error":"Not authenticated"}'
[ -z "$(header set-cookie)" ] && pass "an anonymous request sets no cookie" || fail "anonymous Set-Cookie: $(header set-cookie)"
req POST /auth/session "${json[@]}" -d '{"access_token":"a","id_token":"b"}'
expect_status "POST without X-L42-CSRF (no session)" 403
expect_json "CSRF body" 'd' '{"error":"CSRF validation failed","message":"Missing X-L42-CSRF header"}'
req POST /auth/logout -H 'X-L42-CSRF: 0'
expect_status "X-L42-CSRF other than 1" 403
req POST /auth/session "${csrf[@]}" "${json[@]}" -d '{"access_token":"a"}'
expect_status "POST /auth/session without id_token" 400
req POST /auth/session "${csrf[@]}" "${json[@]}" -d '{"access_token":'
expect_status "POST /auth/session with broken JSON" 400
req POST /auth/logout -H "X-Service-Token: $SERVICE_TOKEN_VALUE"
expect_status "X-Service-Token stands in for the CSRF header" 200
req POST /auth/logout -H "X-Service-Token: ${SERVICE_TOKEN_VALUE}x"
expect_status "a wrong X-Service-Token does not" 403

# --- the code flow --------------------------------------------------------------------------------
jar_req "$alice" GET "/auth/login?email=alice@example.com"
expect_status "GET /auth/login" 307
local location login_cookie
location=$(header location)
login_cookie=$(set_cookie l42_login)
case "$location" in
    "$IDP/oauth2/authorize?"*) pass "login redirects to the IdP's /oauth2/authorize" ;;
    *) fail "login Location: $location" ;;
esac
[ "$(query_param "$location" code_challenge_method)" = S256 ] && [ -n "$(query_param "$location" code_challenge)" ] &&
    [ -n "$(query_param "$location" state)" ] && [ "$(query_param "$location" login_hint)" = alice@example.com ] &&
    [ "$(query_param "$location" redirect_uri)" = "$FRONTEND/auth/callback" ] &&
    pass "PKCE S256, state, login_hint and redirect_uri in the authorize URL" || fail "authorize URL: $location"
case "$login_cookie" in
    "l42_login="*"; Max-Age=600; Path=/; HttpOnly; SameSite=Lax"*) pass "the login waits in a 10-minute cookie: $login_cookie" ;;
    *) fail "login cookie: $login_cookie" ;;
esac
[ -z "$(set_cookie l42_session)" ] && pass "login stores no session" || fail "login set $(set_cookie l42_session)"

sign_in "$alice" alice@example.com "admin, editors"
case "$CALLBACK" in
    "$FRONTEND/auth/callback?code="*) pass "the IdP redirects to the frontend's callback with a code" ;;
    *) fail "IdP redirect: $CALLBACK" ;;
esac
local good_callback=$CALLBACK
# Another browser's sign-in that comes back with a state not its own.
sign_in "$anon" mallory@example.com ""
CALLBACK="$FRONTEND/auth/callback?code=$(query_param "$CALLBACK" code)&state=forged"
callback "$anon"
[ "$STATUS" = 307 ] && [ "$(header location)" = "$FRONTEND/login?error=Invalid+OAuth+state" ] &&
    pass "a callback with a forged state is refused" || fail "forged state: $STATUS $(header location)"
CALLBACK=$good_callback
callback "$alice"
expect_status "GET /auth/callback" 307
[ "$(header location)" = "$FRONTEND/auth/success?state=$(query_param "$good_callback" state)" ] &&
    pass "callback redirects to {frontend}/auth/success?state=" || fail "callback Location: $(header location)"
case "$(set_cookie l42_session)" in
    "l42_session="*"; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax"*) pass "session cookie: $(set_cookie l42_session)" ;;
    *) fail "session cookie attributes: $(set_cookie l42_session)" ;;
esac
[[ $(set_cookie l42_login) == "l42_login=; Max-Age=0"* ]] && pass "sign-in clears the login cookie" ||
    fail "login cookie after sign-in: $(set_cookie l42_login)"
local signed_in
signed_in=$(jar_cookie "$alice")

# A sign-in the user cancelled at the IdP: its error goes on to the frontend's login page,
# percent-encoded, also when the login was begun elsewhere (auth.js's own authorize URL).
req GET "/auth/callback?error=access_denied&error_description=$(url_encode "User cancelled the login & left")&state=theirs"
[ "$STATUS" = 307 ] && [ "$(header location)" = "$FRONTEND/login?error=User%20cancelled%20the%20login%20%26%20left" ] &&
    [ -z "$(header set-cookie)" ] && pass "the IdP's error_description passes through to {frontend}/login?error=" ||
    fail "IdP error: $STATUS $(header location) $(header set-cookie)"
req GET "/auth/callback?error=access_denied"
[ "$(header location)" = "$FRONTEND/login?error=access_denied" ] && pass "…the error code when there is no description" ||
    fail "IdP error without description: $(header location)"

# A link from any site to the callback (SameSite=Lax sends the cookie) does not sign alice out,
# nor does an abandoned second sign-in coming back with the IdP's error.
local bad
jar_req "$alice" GET /auth/login
local second_state
second_state=$(query_param "$(header location)" state)
for bad in "state=x" "code=c&state=x" "error=access_denied" "error=access_denied&state=$second_state"; do
    jar_req "$alice" GET "/auth/callback?$bad"
    [ "$STATUS" = 307 ] && [[ $(header location) == "$FRONTEND/login?error="* ]] && [ -z "$(set_cookie l42_session)" ] &&
        pass "a failed callback ($bad) answers the error and leaves the session cookie alone" ||
        fail "failed callback ($bad): $STATUS $(header location) $(set_cookie l42_session)"
    jar_req "$alice" GET /auth/token
    expect_status "…alice is still signed in" 200
done
[ "$(jar_cookie "$alice")" = "$signed_in" ] && pass "alice's cookie is the one she signed in with" ||
    fail "alice's cookie changed"

jar_req "$alice" GET /auth/token
expect_status "GET /auth/token signed in" 200
expect_json "token body" '[sorted(d), d["auth_method"]]' '[["access_token","auth_method","id_token"],"oauth"]'
local id_token
id_token=$(jget 'd["id_token"]' | tr -d '"')
# What l42's auth.js (validateTokenClaims in lexicone42/l42-cognito-passkey dist/auth.js) asks
# of the id token before it counts the user as signed in: iss under Cognito's issuer URL for
# its cognitoRegion (default us-west-2), aud = its clientId, a numeric exp at most 30 days ahead.
"$PYTHON" -c 'import json,sys,base64; p=sys.argv[1].split(".")[1]; print(base64.urlsafe_b64decode(p+"=="*2).decode())' \
    "$id_token" >"$WORK/id.claims"
local claim_checks
claim_checks=$(jget '[d["iss"].startswith("https://cognito-idp.us-west-2.amazonaws.com/"), d["iss"], d["aud"], d["token_use"],
                      isinstance(d["exp"], int), 0 < d["exp"] - __import__("time").time() <= 30 * 24 * 3600]' "$WORK/id.claims")
[ "$claim_checks" = '[true,"https://cognito-idp.us-west-2.amazonaws.com/local_otts","otts-local","id",true,true]' ] &&
    pass "the id token passes auth.js's claim checks: Cognito iss, aud = client id, exp within 30 days" ||
    fail "id token claims as auth.js checks them: $claim_checks"
jar_req "$alice" GET /auth/me
expect_json "GET /auth/me" '[d["email"], d["groups"], len(d["sub"])]' '["alice@example.com",["admin","editors"],36]'
local alice_sub
alice_sub=$(jget 'd["sub"]' | tr -d '"')

# The same code again, from another browser: single use.
jar_req "$bob" GET /auth/login
CALLBACK="$FRONTEND/auth/callback?code=$(query_param "$good_callback" code)&state=$(query_param "$(header location)" state)"
callback "$bob"
[ "$(header location)" = "$FRONTEND/login?error=Authentication+failed" ] && pass "a code is redeemed once" ||
    fail "code replay: $(header location)"

# --- refresh, authorize, S4 -----------------------------------------------------------------------
# The IdP's tokens carry a fresh jti, so a refreshed id token differs within the same second.
jar_req "$alice" POST /auth/refresh
expect_status "POST /auth/refresh without X-L42-CSRF" 403
jar_req "$alice" POST /auth/refresh "${csrf[@]}"
expect_status "POST /auth/refresh" 200
[ "$(jget 'd["id_token"]' | tr -d '"')" != "$id_token" ] && pass "refresh brings a new id token" || fail "same id token after refresh"
jar_req "$alice" GET /auth/me
expect_json "still alice after refresh" 'd["email"]' '"alice@example.com"'

jar_req "$alice" POST /auth/authorize "${csrf[@]}" "${json[@]}" -d '{"action":"delete:everything"}'
expect_status "authorize: admin may do anything" 200
expect_json "authorize body" '[d["authorized"], "reason" in d]' '[true,true]'
jar_req "$alice" POST /auth/authorize "${csrf[@]}" "${json[@]}" -d '{"resource":{"id":"x"}}'
expect_status "authorize without an action" 400
sign_in "$bob" bob@example.com "editors"
callback "$bob"
jar_req "$bob" POST /auth/authorize "${csrf[@]}" "${json[@]}" -d '{"action":"read:doc"}'
expect_status "authorize: editors may read" 200
jar_req "$bob" POST /auth/authorize "${csrf[@]}" "${json[@]}" -d '{"action":"delete:doc"}'
expect_status "authorize: editors may not delete" 403
expect_json "denied body" 'd["authorized"]' 'false'

jar_req "$alice" POST /user/auth/jwt-token
expect_status "S4 jwt-token by session without X-L42-CSRF" 403
jar_req "$alice" POST /user/auth/jwt-token "${csrf[@]}"
expect_status "S4 jwt-token by session" 200
expect_json "S4 userId is the id token's sub" 'd["data"]["userId"]' "\"$alice_sub\""

# --- POST /auth/validate-credential: signed-in users only, as the original -------------------------
local credential='{"attestation_object":"AAAA","client_data_json":"e30"}'
jar_req "$anon" POST /auth/validate-credential "${csrf[@]}" "${json[@]}" -d "$credential"
expect_status "validate-credential signed out" 401
expect_json "…the original's body" 'd' '{"error":"Not authenticated"}'
jar_req "$alice" POST /auth/validate-credential "${csrf[@]}" "${json[@]}" -d "$credential"
expect_status "validate-credential signed in reads the body (no attestation: 400)" 400

# --- cookies that are not ours --------------------------------------------------------------------
local id_part=${signed_in%%.*} mac_part=${signed_in#*.}
# Another first character: six bits of the MAC change (the last one's low bits are padding).
local flipped=A${mac_part:1}
[ "${mac_part:0:1}" = A ] && flipped=B${mac_part:1}
req GET /auth/token -b "l42_session=$id_part.$flipped"
[ "$STATUS" = 401 ] && [ -z "$(header set-cookie)" ] && pass "a tampered cookie is a new anonymous session" || fail "tampered cookie: $STATUS"
req GET /auth/token -b "l42_session=${signed_in:0:20}"
expect_status "a truncated cookie is a new anonymous session" 401
local foreign
foreign=$("$PYTHON" -c 'import base64,hmac,hashlib,sys; i=base64.urlsafe_b64decode(sys.argv[1]+"=="); print(sys.argv[1]+"."+base64.urlsafe_b64encode(hmac.new(b"another-secret-of-at-least-32-characters!", i, hashlib.sha256).digest()).decode().rstrip("="))' "$id_part")
req GET /auth/token -b "l42_session=$foreign"
expect_status "a cookie signed with another secret is a new anonymous session" 401
req POST /auth/logout "${csrf[@]}" -b "l42_session=$id_part.$flipped"
expect_status "logout with a tampered cookie still answers 200" 200
jar_req "$alice" GET /auth/token
expect_status "alice's session survived the tampered logout" 200

# --- POST /auth/session: verified id tokens only --------------------------------------------------
local kid claims
kid=$(curl -s "$IDP/.well-known/jwks.json" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["keys"][0]["kid"])')
claims=$("$PYTHON" -c 'import json,sys,base64; p=sys.argv[1].split(".")[1]; print(base64.urlsafe_b64decode(p+"=="*2).decode())' "$id_token")
signed() {  # signed KEYFILE PYTHON-EXPR-OVER-c: an id token with changed claims
    "$PYTHON" "$OTTS_SOURCE_DIR/tests/peers/idp_token.py" "$1" "$kid" \
        "$("$PYTHON" -c 'import json,sys,time; c=json.loads(sys.argv[1]); c["exp"]=int(time.time())+600; exec(sys.argv[2]); print(json.dumps(c))' "$claims" "$2")"
}
"$PYTHON" "$OTTS_SOURCE_DIR/tests/peers/idp_token.py" --new-key "$WORK/foreign.pem"
local case_name expr
for case_name in "another pool's key|pass|foreign" "another audience|c['aud']='someone-else'|own" \
    "another issuer|c['iss']='https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other'|own" \
    "an expired token|c['exp']=int(time.time())-3600|own" "an access token|c['token_use']='access'|own"; do
    IFS='|' read -r what expr keyname <<<"$case_name"
    local keyfile=$IDP_KEY
    [ "$keyname" = foreign ] && keyfile=$WORK/foreign.pem
    req POST /auth/session "${csrf[@]}" "${json[@]}" -d "{\"access_token\":\"x\",\"id_token\":\"$(signed "$keyfile" "$expr")\"}"
    [ "$STATUS" = 403 ] && [ "$BODY" = '{"error":"Token verification failed"}' ] && pass "POST /auth/session refuses $what" ||
        fail "$what: $STATUS $BODY"
done
req POST /auth/session "${csrf[@]}" "${json[@]}" -c "$WORK/direct.jar" \
    -d "{\"access_token\":\"x\",\"id_token\":\"$(signed "$IDP_KEY" 'pass')\",\"refresh_token\":\"r\"}"
expect_status "POST /auth/session with a valid id token" 200
expect_json "session body" 'd' '{"success":true}'
jar_req "$WORK/direct.jar" GET /auth/token
expect_json "auth_method defaults to direct; no refresh token shown" '[d["auth_method"], "refresh_token" in d]' '["direct",false]'
jar_req "$WORK/direct.jar" POST /auth/refresh "${csrf[@]}"
expect_status "a refresh the IdP refuses" 401
expect_json "refused refresh body" 'd["error"]' '"Refresh failed"'
jar_req "$WORK/direct.jar" GET /auth/token
expect_status "a refused refresh ends the session" 401

# --- CORS -----------------------------------------------------------------------------------------
req OPTIONS /auth/token -H "Origin: $FRONTEND" -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: x-l42-csrf'
[ "$(header access-control-allow-origin)" = "$FRONTEND" ] && [ "$(header access-control-allow-credentials)" = true ] &&
    grep -qi 'x-l42-csrf' <<<"$(header access-control-allow-headers)" && pass "CORS preflight for FRONTEND_URL" ||
    fail "CORS preflight: $(cat "$WORK/headers")"
req GET /auth/token -H 'Origin: https://evil.example'
[ -z "$(header access-control-allow-origin)" ] && pass "no CORS for another origin" || fail "CORS for evil.example"
req OPTIONS /auth/token -H 'Origin: http://localhost:5173' -H 'Access-Control-Request-Method: GET'
[ -z "$(header access-control-allow-origin)" ] && pass "the handler's paths: no CORS even for an origin the API allows" ||
    fail "CORS on /auth for localhost:5173"
req POST /token -H "Origin: $FRONTEND"
[ "$(header access-control-allow-credentials)" = true ] && pass "FRONTEND_URL gets credentialed CORS on other routes too" ||
    fail "no credentials for FRONTEND on /token"

# --- logout ---------------------------------------------------------------------------------------
jar_req "$alice" POST /auth/logout "${csrf[@]}"
expect_json "POST /auth/logout" 'd' '{"success":true}'
case "$(header set-cookie)" in
    "l42_session=; Max-Age=0"*) pass "logout clears the cookie" ;;
    *) fail "logout Set-Cookie: $(header set-cookie)" ;;
esac
req GET /auth/token -b "l42_session=$signed_in"
expect_status "the session is gone after logout (old cookie replayed)" 401
}
