#!/usr/bin/env bash
# S0's secrets (DESIGN §13) over HTTP, as sealed.fyi's client calls them: POST /token, the PoW
# solved by `otts solve-pow`, POST /secrets with its JSON body, GET /secrets/{id} (with and
# without accessToken), DELETE /secrets/{id} with X-Burn-Token, a CORS preflight naming
# X-Burn-Token. The same suite runs through `otts serve` and through the Lambda bootstrap
# behind the API Gateway stand-in. Then exactly-once views: a secret with N views read by 64
# concurrent GETs answers exactly N 200s, on one SQLite file and on two `otts serve` sharing it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/lambda_lib.sh"

JSON=(-H "Content-Type: application/json")
ORIGIN=http://localhost:3000

# new_token: POST /token and its solution; sets TOKEN, NONCE, POW.
new_token() {
    req POST /token
    TOKEN=$(jget 'd["token"]' | tr -d '"')
    NONCE=$(jget 'd["nonce"]' | tr -d '"')
    POW=$(otts solve-pow <"$WORK/body")
}

# secret_body [PYTHON-ASSIGNMENTS]: a POST /secrets body for TOKEN into $WORK/secret.json, with
# the statements applied to its dict `b` (e.g. 'b["maxViews"] = 6').
secret_body() {
    NONCE=$NONCE POW=$POW "$PYTHON" - "${1:-pass}" >"$WORK/secret.json" <<'PY'
import base64, json, os, sys
b = {"ciphertext": base64.b64encode(b"sealed bytes and their tag").decode(),
     "iv": base64.b64encode(bytes(range(12))).decode(), "salt": None,
     "nonce": os.environ["NONCE"], "pow": os.environ["POW"], "ttl": 900, "maxViews": 2,
     "passphraseProtected": False}
exec(sys.argv[1])
print(json.dumps(b))
PY
}

create_secret() { req POST /secrets "${JSON[@]}" -H "Authorization: Bearer $TOKEN" --data-binary @"$WORK/secret.json"; }

# secret_suite NAME: the routes against $URL.
secret_suite() {
    local on=$1 id burn access
    new_token
    secret_body 'b["maxViews"] = 6'
    create_secret
    expect_status "$on: maxViews 6 is refused" 400
    expect_json "$on: invalid_request names the member" '[d["error"], "maxViews" in d["message"]]' '["invalid_request",true]'
    secret_body 'b["iv"] = base64.b64encode(bytes(16)).decode()'
    create_secret
    expect_json "$on: a 16-byte iv is refused" 'd["error"]' '"invalid_request"'
    secret_body 'b["pow"] = "x" + b["pow"]'
    create_secret
    expect_status "$on: a wrong PoW" 403
    expect_json "$on: invalid_pow" 'd' '{"error":"invalid_pow"}'
    secret_body
    req POST /secrets "${JSON[@]}" --data-binary @"$WORK/secret.json"
    expect_status "$on: no Bearer token" 401
    expect_json "$on: invalid_token" 'd' '{"error":"invalid_token"}'
    create_secret
    expect_status "$on: the refused bodies left the token unspent: created" 201
    expect_json "$on: id, burnToken, expiresAt" \
        '[len(d["id"]), len(d["burnToken"]), type(d["expiresAt"]).__name__]' '[22,32,"int"]'
    id=$(jget 'd["id"]' | tr -d '"')
    burn=$(jget 'd["burnToken"]' | tr -d '"')
    create_secret
    expect_status "$on: the spent token again" 401
    expect_json "$on: spent is invalid_token" 'd' '{"error":"invalid_token"}'

    req GET "/secrets/$id" -H "Origin: $ORIGIN"
    expect_status "$on: first view" 200
    expect_json "$on: the secret as stored" '[d["ciphertext"], d["salt"], d["passphraseProtected"], len(d["accessToken"])]' \
        "[\"$(printf 'sealed bytes and their tag' | base64)\",null,false,32]"
    [ "$(header cache-control)" = no-store ] && pass "$on: Cache-Control no-store" || fail "$on: Cache-Control $(header cache-control)"
    [ "$(header access-control-allow-origin)" = "$ORIGIN" ] && pass "$on: CORS for the page's origin" ||
        fail "$on: Access-Control-Allow-Origin '$(header access-control-allow-origin)'"
    access=$(jget 'd["accessToken"]' | tr -d '"')
    req GET "/secrets/$id?accessToken=$access"
    expect_json "$on: a re-read with the accessToken keeps it" 'd["accessToken"]' "\"$access\""
    req GET "/secrets/$id"
    expect_status "$on: second (last) view" 200
    req GET "/secrets/$id?accessToken=$access"
    expect_status "$on: the first view's token spent no view, and re-reads no more after the last" 404
    req GET "/secrets/$id"
    expect_status "$on: used up" 404
    cp "$WORK/body" "$WORK/used.body"; cp "$WORK/headers" "$WORK/used.headers"

    new_token
    secret_body 'b["maxViews"] = 5; b["salt"] = base64.b64encode(bytes(16)).decode(); b["passphraseProtected"] = True'
    create_secret
    expect_status "$on: a passphrase-protected secret" 201
    id=$(jget 'd["id"]' | tr -d '"')
    burn=$(jget 'd["burnToken"]' | tr -d '"')
    req OPTIONS "/secrets/$id" -H "Origin: $ORIGIN" -H "Access-Control-Request-Method: DELETE" \
        -H "Access-Control-Request-Headers: x-burn-token"
    expect_status "$on: CORS preflight" 204
    [[ "$(header access-control-allow-headers)" == *X-Burn-Token* ]] && pass "$on: the preflight allows X-Burn-Token" ||
        fail "$on: Access-Control-Allow-Headers '$(header access-control-allow-headers)'"
    req DELETE "/secrets/$id" -H "X-Burn-Token: 00000000000000000000000000000000"
    expect_status "$on: a wrong burn token still answers" 204
    req GET "/secrets/$id"
    expect_json "$on: ... and burns nothing" '[d["passphraseProtected"], len(d["salt"])]' '[true,24]'
    req DELETE "/secrets/$id" -H "X-Burn-Token: $burn" -H "Origin: $ORIGIN"
    expect_status "$on: burned" 204
    [ -z "$BODY" ] && pass "$on: 204 without a body" || fail "$on: burn body '$BODY'"
    req GET "/secrets/$id"
    expect_status "$on: a burned secret" 404
    local path
    for path in "/secrets/$id" /secrets/AAAAAAAAAAAAAAAAAAAAAA /secrets/not-an-id /secrets/%ff /secrets/a/b; do
        req GET "$path"
        if [ "$STATUS" = 404 ] && cmp -s "$WORK/body" "$WORK/used.body" &&
            diff <(grep -v '^date:' "$WORK/headers") <(grep -v '^date:' "$WORK/used.headers") >/dev/null; then
            pass "$on: GET $path answers exactly as a used-up secret"
        else
            fail "$on: GET $path: $STATUS $BODY $(cat "$WORK/headers")"
        fi
    done

    # The largest ciphertext sealed.fyi allows: 68 KiB of base64, above the 64 KiB other bodies get.
    new_token
    secret_body 'b["ciphertext"] = base64.b64encode(bytes(68 * 1024 // 4 * 3)).decode()'
    create_secret
    expect_status "$on: a 68 KiB ciphertext" 201
    new_token
    secret_body 'b["ciphertext"] = base64.b64encode(bytes(68 * 1024 // 4 * 3 + 3)).decode()'
    create_secret
    expect_status "$on: one base64 quantum more" 400
}

# --- otts serve on a SQLite file ----------------------------------------------------------------
start_server --db "$WORK/serve.db" --pow-difficulty 4 -q
secret_suite "serve"
new_token
secret_body 'b["ciphertext"] = "A" * (200 * 1024)'
create_secret
expect_status "serve: a body past the POST /secrets limit" 413
req POST /token/redeem "${JSON[@]}" -H "Authorization: Bearer $TOKEN" \
    --data-binary "{\"nonce\":\"$NONCE\",\"pow\":\"$POW\",\"pad\":\"$(head -c 70000 /dev/zero | tr '\0' a)\"}"
expect_status "serve: other routes keep 64 KiB" 413
req POST /token/redeem "${JSON[@]}" -H "Authorization: Bearer $TOKEN" -d "{\"nonce\":\"$NONCE\",\"pow\":\"$POW\"}"
expect_status "serve: the token the 413 refused is still whole" 200

if command -v node >/dev/null; then
    RACE="$OTTS_SOURCE_DIR/tests/peers/http_race.mjs"
    # race WHAT VIEWS URLS: a secret with VIEWS views, 64 concurrent readers over URLS.
    race() {
        echo "$(node "$RACE" secret-views "$3" "$2" 64)" >"$WORK/race.json"
        [ "$(jget 'd["wins"]' "$WORK/race.json")" = "{\"$2\":1}" ] &&
            [ "$(jget 'sorted(d["statuses"].items())' "$WORK/race.json")" = "[[\"200\",$2],[\"404\",$((64 - $2))]]" ] &&
            pass "$1: 64 readers of a $2-view secret, exactly $2 got it" ||
            fail "$1: $(cat "$WORK/race.json")"
    }
    race "one SQLite file" 1 "$URL"
    race "one SQLite file" 5 "$URL"
    FIRST=$URL
    start_server --db "$WORK/serve.db" --pow-difficulty 4 -q
    race "two otts serve on one file" 3 "$FIRST,$URL"
    race "two otts serve on one file" 5 "$URL,$FIRST"
else
    fail "node is not installed"
fi
stop_servers

# --- the Lambda behind the API Gateway stand-in ----------------------------------------------------
if [ -x "$BOOTSTRAP" ]; then
    otts issue >/dev/null
    LAMBDA_ENV=(JWT_SECRET="$(cat "$OTTS_HOME/secret")" LICENSE_PUBLIC_KEY="$OTTS_HOME/license.pub"
                OTTS_AUTH_TOKEN_KEY="$OTTS_HOME/license.key" OTTS_STORE="sqlite:$WORK/lambda.db"
                OTTS_MAILER=outbox OTTS_POW_DIFFICULTY=4 OTTS_CORS_ORIGINS="$ORIGIN")
    start_runtime_api gateway
    start_bootstrap
    wait_first_next
    URL=$GATEWAY_URL
    secret_suite "Lambda"
elif [ "${CI:-}" = true ]; then
    fail "no bootstrap at $BOOTSTRAP"
else
    echo "skipped: the Lambda part (no bootstrap at $BOOTSTRAP)"
fi
finish
