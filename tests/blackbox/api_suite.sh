# shellcheck shell=bash
# The route suite every front end must pass unchanged (sourced after lib.sh and serve_lib.sh):
# S0 and S1 success and error shapes, routing errors and CORS, against $URL. test_serve_api.sh
# runs it on `otts serve`, test_lambda_api.sh through the Lambda bootstrap behind an API
# Gateway stand-in, so the two front ends cannot drift. Needs: the data home's secret shared
# with the server under test, CORS allowing http://localhost:5173 and http://127.0.0.1:3000.

JSON=(-H 'Content-Type: application/json')
still_serving() {
    local saved=$STATUS
    req GET /_otts/health
    if [ "$STATUS" = 200 ]; then pass "still serving after $1"; else fail "not serving after $1 ($STATUS)"; fi
    STATUS=$saved
}

route_suite() {
# --- S0 ---------------------------------------------------------------------------------------
req POST /token
expect_status "POST /token" 200
cp "$WORK/body" "$WORK/issued.json"
expect_json "POST /token shape" '[sorted(d), d["powChallenge"], len(d["nonce"])]' \
    '[["expiresAt","nonce","powChallenge","token"],{"difficulty":4,"prefix":"sealed:"},32]'
[ "$(header cache-control)" = no-store ] && pass "POST /token: no-store" || fail "POST /token: no no-store"
TOKEN=$(jget 'd["token"]' "$WORK/issued.json" | tr -d '"')
NONCE=$(jget 'd["nonce"]' "$WORK/issued.json" | tr -d '"')
POW=$(otts solve-pow <"$WORK/issued.json")
AUTH=(-H "Authorization: Bearer $TOKEN")

req POST /token/redeem "${JSON[@]}" "${AUTH[@]}" -d "{\"nonce\":\"$NONCE\",\"pow\":\"$(wrong_pow "$TOKEN")\"}"
expect_status "redeem with a wrong solution" 403
expect_json "wrong solution body" 'd' '{"error":"invalid_pow"}'
req POST /token/redeem "${JSON[@]}" -d "{\"nonce\":\"$NONCE\",\"pow\":\"$POW\"}"
expect_status "redeem without a token" 401
expect_json "missing token body" 'd' '{"error":"invalid_token"}'
req POST /token/redeem "${JSON[@]}" -H "Authorization: Bearer ${TOKEN}x" -d "{\"nonce\":\"$NONCE\",\"pow\":\"$POW\"}"
expect_status "redeem with a forged token" 401
req POST /token/redeem "${JSON[@]}" "${AUTH[@]}" -d '{"nonce":'
expect_status "redeem with broken JSON" 400
expect_json "broken JSON body (S0)" 'd' '{"error":"bad_request"}'
req POST /token/redeem -H 'Content-Type: text/plain' "${AUTH[@]}" -d "{\"nonce\":\"$NONCE\",\"pow\":\"$POW\"}"
expect_status "redeem with a wrong content type" 400
req POST /token/redeem "${JSON[@]}" "${AUTH[@]}" -d "{\"nonce\":\"$NONCE\",\"pow\":\"$POW\"}"
expect_status "redeem with the right solution" 200
expect_json "redeem body" '[d["valid"], len(d["jti"])]' '[true,36]'
req POST /token/redeem "${JSON[@]}" "${AUTH[@]}" -d "{\"nonce\":\"$NONCE\",\"pow\":\"$POW\"}"
expect_status "a replayed redeem" 409
expect_json "replay body" 'd' '{"error":"token_used"}'

# --- S1 ---------------------------------------------------------------------------------------
req GET /tokens
expect_status "GET /tokens" 200
expect_json "GET /tokens shape" '[sorted(d), bool(__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["expiration"]))]' \
    '[["expiration","token"],true]'
ONE=$(jget 'd["token"]' | tr -d '"')
req POST /tokens "${JSON[@]}" -d "{\"token\":\"$ONE\"}"
expect_status "POST /tokens consumes" 200
expect_json "valid body" 'd' '{"isValid":true,"message":"Token validation successful"}'
req POST /tokens "${JSON[@]}" -d "{\"token\":\"$ONE\"}"
expect_status "POST /tokens again" 401
expect_json "used body" 'd' '{"isValid":false,"message":"Token has already been used"}'
req POST /tokens "${JSON[@]}" -d '{"token":"not.a.token"}'
expect_status "POST /tokens with garbage" 401
expect_json "invalid body" 'd' '{"isValid":false,"message":"Invalid token"}'
# Signed with the same data-home secret but recorded in another store: unknown to the server.
FOREIGN=$(otts --db "$WORK/other.db" issue)
req POST /tokens "${JSON[@]}" -d "{\"token\":\"$FOREIGN\"}"
expect_status "POST /tokens with a token this server never issued" 401
expect_json "not found body" 'd' '{"isValid":false,"message":"Token not found"}'
req POST /tokens "${JSON[@]}" -d '{"token":'
expect_status "POST /tokens broken JSON" 400
expect_json "broken JSON body (S1)" 'd["isValid"]' false
req POST /tokens -H 'Content-Type: application/x-www-form-urlencoded' -d 'token=abc'
expect_status "POST /tokens form-encoded" 400
printf '{"token":"\xff\xfe"}' >"$WORK/bad-utf8"
req POST /tokens "${JSON[@]}" --data-binary @"$WORK/bad-utf8"
expect_status "POST /tokens invalid UTF-8" 400
still_serving "invalid UTF-8"


# --- routing ----------------------------------------------------------------------------------
req GET /no/such/route
expect_status "unknown route" 404
expect_json "404 body is JSON, a string error every client shows" 'd' '{"error":"not_found","message":"no such route"}'
req GET /%ff%fe
expect_status "a path that is not UTF-8" 404
req DELETE /tokens
expect_status "wrong method" 405
[ "$(header allow)" = "GET, POST" ] && pass "405 names the allowed methods" || fail "405 Allow: $(header allow)"
req GET /token
expect_status "GET on a POST route" 405
expect_json "405 in the S0 shape" 'd' '{"error":"method_not_allowed"}'


# --- CORS ------------------------------------------------------------------------------------
req GET /tokens -H 'Origin: http://localhost:5173'
[ "$(header access-control-allow-origin)" = http://localhost:5173 ] && pass "CORS allows a localhost origin" ||
    fail "CORS: $(header access-control-allow-origin)"
req GET /tokens -H 'Origin: https://evil.example'
[ -z "$(header access-control-allow-origin)" ] && pass "CORS ignores other origins" || fail "CORS allowed evil.example"
req OPTIONS /token/redeem -H 'Origin: http://127.0.0.1:3000' -H 'Access-Control-Request-Method: POST' \
    -H 'Access-Control-Request-Headers: authorization, content-type'
expect_status "preflight" 204
case "$(header access-control-allow-headers)" in *Authorization*) pass "preflight allows Authorization" ;;
    *) fail "preflight headers: $(header access-control-allow-headers)" ;; esac
case "$(header access-control-allow-methods)" in *POST*) pass "preflight allows POST" ;;
    *) fail "preflight methods: $(header access-control-allow-methods)" ;; esac

}
