#!/usr/bin/env bash
# S2 in a real browser (Debian's chromium via playwright-core): a frontend on localhost passes
# /auth/* through to `otts serve`; sign in at the dev IdP's page, read /auth/me and /auth/token,
# do what l42's auth.js does to decide the user is signed in (the id token's iss, aud and exp) and
# to ask for authorization (/auth/authorize, /auth/refresh), make a passkey with a CDP virtual
# authenticator and check it with /auth/validate-credential, log out, and follow a callback that
# carries the IdP's error (a cancelled sign-in). Three otts instances, one browser each: no AAGUID allow-list, an allow-list without
# the virtual authenticator, and one with it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

if [ ! -x /usr/bin/chromium ] || [ ! -d "$OTTS_SOURCE_DIR/node_modules/playwright-core" ]; then
    [ "${CI:-}" = true ] && { fail "chromium or playwright-core is missing (scripts/bootstrap installs them)"; finish; }
    echo "skip: /usr/bin/chromium or playwright-core is not installed"; exit 0
fi

# Chromium's virtual CTAP2 authenticator (device/fido/virtual_ctap2_device.cc) has this AAGUID.
VIRTUAL_AAGUID=01020304-0506-0708-0102-030405060708
OTHER_AAGUID=ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4

# run_browser NAME [ENV=VALUE...]: starts the frontend (on a port it picks and writes to
# $WORK/NAME.port), then otts with that FRONTEND_URL and the given settings, hands otts's URL to
# the frontend, which runs the browser; stops otts. The output is $WORK/NAME.out.
run_browser() {
    local name=$1; shift
    local port="" setting browser_pid i start=$SECONDS
    mkfifo "$WORK/$name.in"
    node "$OTTS_SOURCE_DIR/tests/peers/auth_browser.mjs" "$WORK/$name.port" <"$WORK/$name.in" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" &
    browser_pid=$!
    exec 7>"$WORK/$name.in"
    for ((i = 0; i < 200; i++)); do
        [ -s "$WORK/$name.port" ] && port=$(cat "$WORK/$name.port") && break
        kill -0 "$browser_pid" 2>/dev/null || break
        sleep 0.05
    done
    [ -n "$port" ] || { echo "FAIL: $name: the frontend did not start: $(cat "$WORK/$name.err")" >&2; exit 1; }
    export FRONTEND_URL="http://localhost:$port" AAGUID_ALLOWLIST=''
    for setting in "$@"; do export "${setting?}"; done
    start_server --in-memory -q
    unset FRONTEND_URL AAGUID_ALLOWLIST
    for setting in "$@"; do unset "${setting%%=*}"; done
    (echo "$URL" >&7) 2>/dev/null || true  # in a subshell: a frontend gone is a SIGPIPE there
    exec 7>&-
    wait "$browser_pid" || true
    stop_server
    echo "--- $name ($((SECONDS - start)) s)"
    cat "$WORK/$name.out"
    OUTFILE="$WORK/$name.out"
    [ -z "$(line pageerror)$(line error)" ] && pass "$name: no script errors" ||
        fail "$name: errors: $(line pageerror) $(line error) $(cat "$WORK/$name.err")"
}
line() { sed -n "s/^$1: //p" "$OUTFILE"; }

# --- no allow-list: the whole flow -----------------------------------------------------------
run_browser open OTTS_AUTHZ_POLICY='{"rules":[{"group":"admin","actions":["*"]}]}'
[ "$(line idp)" = /oauth2/authorize ] && pass "/auth/login leads to the IdP's sign-in page" || fail "idp page: $(line idp)"
[[ $(line landed) =~ ^http://localhost:[0-9]+/auth/success\ with\ state$ ]] &&
    pass "the callback lands on the frontend's /auth/success with the state" || fail "landed: $(line landed)"
[ "$(line cookies)" = l42_session ] && pass "the browser holds the l42_session cookie" || fail "cookies: $(line cookies)"
[[ $(line me) =~ ^200\ (.*)$ ]] && ME=${BASH_REMATCH[1]} || ME=
echo "$ME" >"$WORK/me.json"
[ "$(jget '[d["email"], d["groups"]]' "$WORK/me.json" 2>/dev/null)" = '["dev@example.com",["admin","editors"]]' ] &&
    pass "/auth/me shows the email and groups from the sign-in page" || fail "me: $(line me)"
[ "$(jget 'len(d["sub"]) > 0' "$WORK/me.json" 2>/dev/null)" = true ] && pass "/auth/me has a sub" || fail "me: no sub"
[ "$(line token)" = "200 access_token 3 parts, id_token 3 parts, auth_method oauth" ] &&
    pass "/auth/token hands out both tokens" || fail "token: $(line token)"
# The checks auth.js makes (restated in auth_browser.mjs, which cites them).
[ "$(line "auth.js iss")" = https://cognito-idp.us-west-2.amazonaws.com/local_otts ] &&
    pass "the id token's iss is a Cognito user pool's (auth.js's iss prefix)" || fail "iss: $(line "auth.js iss")"
[ "$(line "auth.js authenticated")" = true ] &&
    pass "isAuthenticatedAsync's checks pass: iss prefix, aud = clientId, exp within 30 days and unexpired" ||
    fail "auth.js authenticated: $(line "auth.js authenticated")"
[ "$(line "auth.js authorize")" = "200 authorized true" ] && pass "requireServerAuthorization: /auth/authorize says authorized" ||
    fail "auth.js authorize: $(line "auth.js authorize")"
[ "$(line "auth.js refresh")" = "200 authenticated true" ] && pass "refreshTokensViaHandler: refreshed tokens pass the same checks" ||
    fail "auth.js refresh: $(line "auth.js refresh")"
[ "$(line authenticator)" = "aaguid $VIRTUAL_AAGUID" ] && pass "the virtual authenticator's AAGUID is $VIRTUAL_AAGUID" ||
    fail "authenticator: $(line authenticator)"
[ "$(line credential)" = '200 {"allowed":true,"device":{"aaguid":"'$VIRTUAL_AAGUID'","backup_eligible":false,"backup_state":false,"user_verified":true}}' ] &&
    pass "the passkey is allowed, with the device's flags" || fail "credential: $(line credential)"
[ "$(line logout)" = '200 {"success":true}' ] && pass "logout" || fail "logout: $(line logout)"
[ "$(line "cookies after logout")" = none ] && pass "logout clears the cookie" || fail "cookies after logout: $(line "cookies after logout")"
[[ $(line "me after logout") == 401* ]] && pass "/auth/me after logout is 401" || fail "me after logout: $(line "me after logout")"
[ "$(line cancelled)" = "/login?error=User%20cancelled%20the%20login" ] &&
    pass "a sign-in cancelled at the IdP lands on the frontend's /login with the IdP's description" ||
    fail "cancelled: $(line cancelled)"

# --- an allow-list without the virtual authenticator -----------------------------------------
run_browser refused AAGUID_ALLOWLIST="$OTHER_AAGUID"
[ "$(line me | cut -c1-3)" = 200 ] && pass "refused: signed in" || fail "refused: me: $(line me)"
CRED=$(line credential)
[[ $CRED =~ ^403\ (.*)$ ]] && echo "${BASH_REMATCH[1]}" >"$WORK/cred.json" || : >"$WORK/cred.json"
[ "$(jget 'd["allowed"]' "$WORK/cred.json" 2>/dev/null)" = false ] && pass "an AAGUID not on the allow-list: 403 allowed:false" ||
    fail "credential: $CRED"
[[ $(jget 'd["reason"]' "$WORK/cred.json" 2>/dev/null) =~ [Aa]llow.?list ]] && pass "the reason names the allow-list" ||
    fail "reason: $CRED"
[ "$(line logout)" = '200 {"success":true}' ] && pass "refused: logout" || fail "refused: logout: $(line logout)"

# --- an allow-list with it ---------------------------------------------------------------------
run_browser listed AAGUID_ALLOWLIST="$OTHER_AAGUID,$VIRTUAL_AAGUID"
[[ $(line credential) == '200 {"allowed":true,'*'"aaguid":"'$VIRTUAL_AAGUID'"'* ]] &&
    pass "an allow-list that includes the virtual authenticator: 200 allowed" || fail "listed: credential: $(line credential)"

finish
