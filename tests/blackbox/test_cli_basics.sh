#!/usr/bin/env bash
# The everyday CLI (README "A tour"): --version/--help, issue -> verify -> verify again, --json
# output and its fields, decode (says it did not verify, ISO 8601 times), keygen, license
# create, solve-pow, `-` for standard input, and secrets never appearing in any output.
source "$(dirname "$0")/lib.sh"

json_get() {  # json_get JSON PYTHON_EXPR: evaluates EXPR with `d` bound to the parsed JSON
    "$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}
json_ok() {  # json_ok DESCRIPTION JSON PYTHON_EXPR: pass if EXPR is true of the parsed JSON
    local what=$1 text=$2 expr=$3 got
    if got=$(json_get "$text" "bool($expr)" 2>&1) && [ "$got" = True ]; then pass "$what"; else
        fail "$what: ($expr) is not true of: $text ${got:+($got)}"; fi
}
is_error_line() {  # is_error_line DESCRIPTION: $ERR starts with "otts: error: " and says something
    case "$ERR" in "otts: error: "?*) pass "$1: stderr '${ERR%%$'\n'*}'" ;; *) fail "$1: stderr is not 'otts: error: ...': $ERR" ;; esac
}
now() { date +%s; }

# --- version and help -------------------------------------------------------------------------
expect_exit 0 "--version" -- otts --version
[[ "$OUT" =~ ^otts\ [0-9]+\.[0-9]+ ]] && pass "--version prints 'otts X.Y...'" || fail "--version printed: $OUT"
expect_exit 0 "--help" -- otts --help
for sub in issue verify decode solve-pow keygen license; do
    grep -q -- "$sub" <<<"$OUT" && pass "--help lists $sub" || fail "--help does not list $sub: $OUT"
done
for sub in issue verify decode solve-pow keygen; do
    expect_exit 0 "$sub --help" -- otts "$sub" --help
done
expect_exit 0 "license create --help" -- otts license create --help
grep -q -- "--email" <<<"$OUT" && pass "license create --help shows --email" || fail "license create --help: $OUT"
[ ! -e "$OTTS_HOME" ] && pass "--help and --version create no data home" || fail "--help created $OTTS_HOME"

# --- issue -> verify -> verify again ----------------------------------------------------------
expect_exit 0 "issue (one-time, default)" -- otts issue
TOKEN=$OUT
[[ "$TOKEN" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] && pass "issue prints one compact JWS" || fail "issue printed: $TOKEN"
[ -d "$OTTS_HOME" ] && [ "$(stat -c %a "$OTTS_HOME")" = 700 ] && pass "data home created 0700" \
    || fail "data home: $(stat -c %a "$OTTS_HOME" 2>&1)"
for f in secret license.key; do
    [ "$(stat -c %a "$OTTS_HOME/$f" 2>&1)" = 600 ] && pass "$f is 0600" || fail "$f mode: $(stat -c %a "$OTTS_HOME/$f" 2>&1)"
done
[ -f "$OTTS_HOME/license.pub" ] && [ -f "$OTTS_HOME/otts.db" ] && pass "license.pub and otts.db exist" \
    || fail "data home holds: $(ls -a "$OTTS_HOME")"
SECRET=$(tr -d '\r\n' <"$OTTS_HOME/secret")
[[ "$SECRET" =~ ^[0-9a-f]{64}$ ]] && pass "home secret is 64 hex characters" || fail "home secret has the wrong form"

expect_exit 0 "verify consumes" -- otts verify "$TOKEN"
grep -q "one-time" <<<"$OUT" && pass "verify names the family" || fail "verify output: $OUT"
expect_exit 12 "verify again: already used" -- otts verify "$TOKEN"
is_error_line "already used"
grep -qi "used" <<<"$ERR" && pass "message says used" || fail "message: $ERR"

# --no-consume leaves it consumable
expect_exit 0 "issue" -- otts issue
T2=$OUT
expect_exit 0 "verify --no-consume" -- otts verify --no-consume "$T2"
expect_exit 0 "verify --no-consume twice" -- otts verify --no-consume "$T2"
expect_exit 0 "then verify consumes" -- otts verify "$T2"
expect_exit 12 "and only once" -- otts verify "$T2"

# --- --json -------------------------------------------------------------------------------------
before=$(now)
expect_exit 0 "issue --json" -- otts issue --json
J=$OUT
json_ok "issue --json fields" "$J" \
    "set(d) >= {'token','family','expires_at','expiration','claims'} and d['family']=='one-time'"
json_ok "issue --json: claims {uuid, exp}" "$J" \
    "d['claims']['exp']==d['expires_at'] and __import__('re').fullmatch(r'[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}', d['claims']['uuid'])"
json_ok "issue --json: default TTL 8 h" "$J" "abs(d['expires_at'] - $before - 8*3600) <= 5"
json_ok "issue --json: expiration is ISO 8601 UTC of expires_at" "$J" \
    "d['expiration']==__import__('datetime').datetime.utcfromtimestamp(d['expires_at']).strftime('%Y-%m-%dT%H:%M:%SZ')"
JT=$(json_get "$J" "d['token']")
expect_exit 0 "verify --json --no-consume" -- otts verify --json --no-consume "$JT"
json_ok "verify --json fields (not consumed)" "$OUT" \
    "d['valid'] is True and d['family']=='one-time' and d['consumed'] is False and d['claims']['uuid']==$(json_get "$J" "repr(d['claims']['uuid'])")"
expect_exit 0 "verify --json (global flag after the subcommand)" -- otts verify "$JT" --json
json_ok "verify --json: consumed" "$OUT" "d['consumed'] is True"
expect_exit 12 "verify --json again" -- otts --json verify "$JT"
json_ok "--json error body {error, message} on stdout" "$OUT" "d['error']=='token_used' and len(d['message'])>0"
is_error_line "--json still reports on stderr"

expect_exit 0 "issue --ttl 90s --json" -- otts issue --ttl 90s --json
json_ok "--ttl 90s" "$OUT" "abs(d['expires_at'] - $(now) - 90) <= 5"
expect_exit 0 "issue --claim --json" -- otts issue --claim role=admin --claim 'n=42' --json
json_ok "--claim adds claims (JSON-typed when it parses)" "$OUT" "d['claims']['role']=='admin' and d['claims']['n']==42"

# --- create tokens and proof of work -------------------------------------------------------------
expect_exit 0 "issue create --difficulty 8 --json" -- otts issue create --difficulty 8 --json
C=$OUT
json_ok "create claims" "$C" "d['family']=='create' and d['claims']['op']=='create' and d['claims']['pow_difficulty']==8 and isinstance(d['claims']['pow_prefix'],str) and isinstance(d['claims']['iat'],int) and __import__('re').fullmatch('[0-9a-f]{32}', d['claims']['nonce']) and __import__('re').fullmatch('[0-9a-f-]{36}', d['claims']['jti'])"
json_ok "create TTL 5 min" "$C" "d['claims']['exp']-d['claims']['iat']==300"
CT=$(json_get "$C" "d['token']")
expect_exit 0 "issue create (default difficulty) --json" -- otts issue create --json
json_ok "default difficulty 18" "$OUT" "d['claims']['pow_difficulty']==18"
expect_exit 2 "a create token is not redeemed without --pow" -- otts verify "$CT"
is_error_line "create without --pow"
expect_exit 0 "verify create --no-consume" -- otts verify --no-consume "$CT"
expect_exit 0 "solve-pow TOKEN" -- otts solve-pow "$CT"
SOL=$OUT
[[ "$SOL" =~ ^[0-9]{1,64}$ ]] && pass "solution is a decimal string" || fail "solution: $SOL"
PFX=$(json_get "$C" "d['claims']['pow_prefix']"); NONCE=$(json_get "$C" "d['claims']['nonce']")
pow_check "$PFX" "$NONCE" "$SOL" 8 && pass "Python hashlib agrees the solution meets 8 bits" \
    || fail "hashlib rejects solution $SOL at 8 bits"
BAD=$(wrong_pow "$CT")
expect_exit 14 "a wrong solution is refused" -- otts verify "$CT" --pow "$BAD"
is_error_line "wrong PoW"
expect_exit 10 "a solution sent with another nonce is refused" -- otts verify "$CT" --pow "$SOL" --nonce 00000000000000000000000000000000
expect_exit 0 "redeem with the solution" -- otts verify "$CT" --pow "$SOL" --nonce "$NONCE"
expect_exit 12 "replay of a redeemed create token" -- otts verify "$CT" --pow "$SOL"

# solve-pow from --prefix/--nonce/--difficulty, from stdin, and from a POST /token body
expect_exit 0 "solve-pow --prefix --nonce --difficulty" -- otts solve-pow --prefix "sealed:" --nonce 0123456789abcdef0123456789abcdef --difficulty 10
pow_check "sealed:" 0123456789abcdef0123456789abcdef "$OUT" 10 && pass "manual challenge solved (10 bits)" || fail "manual solution $OUT"
expect_exit 0 "solve-pow --json" -- otts solve-pow --json --nonce abcd --difficulty 6
json_ok "solve-pow --json fields" "$OUT" "set(d) >= {'solution','nonce','prefix','difficulty','hashes'} and d['nonce']=='abcd' and d['prefix']=='' and d['difficulty']==6"
expect_exit 0 "issue create --difficulty 6" -- otts issue create --difficulty 6
CT2=$OUT
expect_exit 0 "solve-pow - (token on stdin)" -- bash -c 'printf "%s\n" "$1" | "$OTTS_BIN" solve-pow -' _ "$CT2"
SOL2=$OUT
expect_exit 0 "solve-pow with a POST /token body on stdin" -- bash -c \
    'printf "{\"token\":\"%s\",\"nonce\":\"x\",\"powChallenge\":{\"difficulty\":6,\"prefix\":\"\"}}" "$1" | "$OTTS_BIN" solve-pow' _ "$CT2"
expect_exit 0 "redeem the stdin-solved token" -- otts verify "$CT2" --pow "$SOL2"
expect_exit 14 "solve-pow --max-iterations bound" -- otts solve-pow --nonce ff --difficulty 60 --max-iterations 1000
is_error_line "unsolved PoW"
expect_exit 2 "solve-pow --nonce without --difficulty" -- otts solve-pow --nonce ff

# --- user tokens ---------------------------------------------------------------------------------
expect_exit 0 "issue user --user alice --json" -- otts issue user --user alice --json
U=$OUT
json_ok "user claims {userId, iat, exp}, 1 h" "$U" "d['family']=='user' and d['claims']['userId']=='alice' and d['claims']['exp']-d['claims']['iat']==3600"
UT=$(json_get "$U" "d['token']")
expect_exit 0 "verify user" -- otts verify "$UT"
expect_exit 0 "verify user again (stateless: not consumed)" -- otts verify --json "$UT"
json_ok "user verify --json" "$OUT" "d['family']=='user' and d['consumed'] is False and d['claims']['userId']=='alice'"
expect_exit 2 "issue user without --user" -- otts issue user
is_error_line "issue user without --user"

# --- decode --------------------------------------------------------------------------------------
expect_exit 0 "decode" -- otts decode "$UT"
grep -qi "not verified" <<<"$ERR" && pass "decode says it did not verify" || fail "decode stderr: $ERR"
grep -Eq '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' <<<"$OUT" && pass "decode prints ISO 8601 times" || fail "decode output: $OUT"
grep -q '"alice"' <<<"$OUT" && grep -q '"HS256"' <<<"$OUT" && pass "decode shows header and claims" || fail "decode output: $OUT"
expect_exit 0 "decode --json" -- otts decode --json "$UT"
json_ok "decode --json: verified false, header, payload, times" "$OUT" \
    "d['verified'] is False and d['header']['alg']=='HS256' and d['payload']['userId']=='alice' and d['times']['exp']==__import__('datetime').datetime.utcfromtimestamp(d['payload']['exp']).strftime('%Y-%m-%dT%H:%M:%SZ') and 'iat' in d['times']"
TAMPERED="${UT%.*}.AAAA"
expect_exit 0 "decode shows even a token with a bad signature" -- otts decode "$TAMPERED"
expect_exit 10 "... which verify refuses" -- otts verify "$TAMPERED"
expect_exit 0 "decode -q" -- otts decode -q "$UT"
[ -z "$ERR" ] && pass "-q silences the decode note" || fail "-q left: $ERR"
expect_exit 0 "decode - (stdin)" -- bash -c 'printf "  %s\n\n" "$1" | "$OTTS_BIN" decode -' _ "$UT"
grep -q alice <<<"$OUT" && pass "decode read stdin" || fail "decode stdin output: $OUT"

# --- stdin token input ---------------------------------------------------------------------------
expect_exit 0 "issue" -- otts issue
T3=$OUT
expect_exit 0 "verify - (token on stdin)" -- bash -c 'printf "%s\n" "$1" | "$OTTS_BIN" verify -' _ "$T3"
expect_exit 12 "verify with no argument reads stdin" -- bash -c 'printf "%s" "$1" | "$OTTS_BIN" verify' _ "$T3"
expect_exit 2 "verify - with empty stdin" -- bash -c '"$OTTS_BIN" verify - </dev/null'
is_error_line "empty stdin"

# --- keygen --------------------------------------------------------------------------------------
expect_exit 0 "keygen" -- otts keygen
[[ "$OUT" =~ ^[0-9a-f]{64}$ ]] && pass "keygen prints 64 hex characters" || fail "keygen printed: $OUT"
K1=$OUT
expect_exit 0 "keygen hs256" -- otts keygen hs256
[ "$OUT" != "$K1" ] && pass "two keygens differ" || fail "keygen repeated a secret"
expect_exit 0 "keygen --out" -- otts keygen --out "$WORK/hs.key"
[ "$(stat -c %a "$WORK/hs.key")" = 600 ] && pass "keygen --out file is 0600" || fail "mode $(stat -c %a "$WORK/hs.key")"
grep -Eqx '[0-9a-f]{64}' "$WORK/hs.key" && pass "keygen --out holds the hex secret" || fail "keygen file: $(cat "$WORK/hs.key")"
grep -q "$(cat "$WORK/hs.key")" <<<"$OUT$ERR" && fail "keygen --out printed the secret it wrote" || pass "keygen --out does not print the secret"
cp "$WORK/hs.key" "$WORK/hs.key.before"
expect_exit 2 "keygen refuses to overwrite" -- otts keygen --out "$WORK/hs.key"
is_error_line "keygen overwrite"
cmp -s "$WORK/hs.key" "$WORK/hs.key.before" && pass "existing key file untouched" || fail "keygen changed an existing file"
expect_exit 0 "keygen es256 --out" -- otts keygen es256 --out "$WORK/signer.pem"
[ "$(stat -c %a "$WORK/signer.pem")" = 600 ] && pass "signer.pem is 0600" || fail "signer.pem mode $(stat -c %a "$WORK/signer.pem")"
openssl pkey -in "$WORK/signer.pem" -noout -text 2>/dev/null | grep -q "P-256" && pass "signer.pem is a P-256 private key" || fail "signer.pem is not a P-256 key"
openssl pkey -pubin -in "$WORK/signer.pem.pub" -noout 2>/dev/null && pass "signer.pem.pub is a public key" || fail "signer.pem.pub unreadable"
[ "$(openssl pkey -in "$WORK/signer.pem" -pubout 2>/dev/null)" = "$(openssl pkey -pubin -in "$WORK/signer.pem.pub" 2>/dev/null)" ] \
    && pass "signer.pem.pub is signer.pem's public half" || fail "public file does not match the private key"
expect_exit 2 "keygen es256 refuses to overwrite" -- otts keygen es256 --out "$WORK/signer.pem"
expect_exit 0 "keygen es256 (stdout)" -- otts keygen es256
grep -q "BEGIN PRIVATE KEY" <<<"$OUT" && grep -q "BEGIN PUBLIC KEY" <<<"$OUT" && pass "keygen es256 prints both PEM blocks" || fail "keygen es256: $OUT"
expect_exit 0 "keygen es256 --json" -- otts keygen es256 --json
json_ok "keygen es256 --json has a public JWK" "$OUT" "d['type']=='es256' and d['public_jwk']['kty']=='EC' and d['public_jwk']['crv']=='P-256' and 'd' not in d['public_jwk']"
expect_exit 2 "keygen rsa (unknown type)" -- otts keygen rsa

# --- licenses ------------------------------------------------------------------------------------
expect_exit 0 "license create" -- otts license create --email u@example.com --days 30
LIC=$OUT
[[ "$LIC" =~ ^[A-Za-z0-9+/]+=*$ ]] && pass "license is standard base64 text" || fail "license: $LIC"
base64 -d <<<"$LIC" | grep -Eq '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' && pass "license wraps a compact JWS" || fail "license does not decode to a JWS"
expect_exit 0 "verify license" -- otts verify "$LIC"
grep -q "license" <<<"$OUT" && pass "verify names the license family" || fail "verify license: $OUT"
expect_exit 0 "verify license --json" -- otts verify --json --expect license "$LIC"
HASH="sha256:$(printf %s "$LIC" | sha256sum | cut -d' ' -f1)"
json_ok "license claims and license_key_hash" "$OUT" \
    "d['family']=='license' and d['claims']['email']=='u@example.com' and d['claims']['license_key_hash']=='$HASH' and abs(d['claims']['exp']-d['claims']['nbf']-30*86400)<=5 and len(d['claims']['id'])>0"
expect_exit 0 "license create --json with seat/workspace claims" -- otts license create --json --email v@example.org --seat-count 3 --workspace-limit 2
json_ok "license create --json" "$OUT" "d['license_key_hash'].startswith('sha256:') and d['claims']['seat_count']==3 and d['claims']['workspace_limit']==2 and d['claims']['email']=='v@example.org' and d['expiration'].endswith('Z')"
expect_exit 0 "decode license text" -- otts decode "$LIC"
grep -q "u@example.com" <<<"$OUT" && grep -q ES256 <<<"$OUT" && pass "decode unwraps license text" || fail "decode license: $OUT"
expect_exit 2 "license create with a bad email" -- otts license create --email not-an-address
is_error_line "bad email"
expect_exit 2 "license create without --email" -- otts license create

# --- secrets never printed -----------------------------------------------------------------------
printf '%s\n' "s3cr3t-$(openssl rand -hex 24)" >"$WORK/known.secret"
KNOWN=$(tr -d '\n' <"$WORK/known.secret")
ALL="$WORK/all-output"
: >"$ALL"
logged() { "$OTTS_BIN" "$@" >>"$ALL" 2>&1 || true; }
logged -v -v issue
export OTTS_SECRET_FILE="$WORK/known.secret"
logged -v -v issue --json
KT=$("$OTTS_BIN" issue 2>>"$ALL")
logged -v -v verify --no-consume "$KT"
logged -v -v verify "$KT"
logged -v -v verify "$KT"
logged -v -v verify --json "${KT%.*}.AAAA"
logged -v -v issue user --user eve --json
logged -v -v issue create --difficulty 1 --json
logged -v -v decode "$KT"
logged -v -v verify --previous-secret-file "$WORK/known.secret" "$UT"
unset OTTS_SECRET_FILE
OTTS_SECRET="$KNOWN" logged -v -v issue user --user eve
OTTS_SECRET="$KNOWN" logged -v -v verify "$UT"
printf 'short\n' >"$WORK/short.secret"
logged -v -v --secret-file "$WORK/short.secret" issue
OTTS_SECRET="tooshort-but-secret" logged -v -v issue user --user eve
logged -v -v license create --email w@example.com
if grep -qF -e "$KNOWN" -e "$SECRET" -e "tooshort-but-secret" "$ALL"; then
    fail "a secret appeared in output: $(grep -F -e "$KNOWN" -e "$SECRET" -e tooshort-but-secret "$ALL" | head -3)"
else
    pass "no secret in $(wc -l <"$ALL") lines of stdout/stderr from -v -v runs"
fi
if grep -q "PRIVATE KEY" "$ALL" || grep -qF "$(sed -n 2p "$OTTS_HOME/license.key")" "$ALL"; then
    fail "the license private key appeared in output"
else
    pass "no license private key in output"
fi
# --secret-file really is used (a token from it does not verify under the home secret)
expect_exit 0 "issue user with --secret-file" -- otts --secret-file "$WORK/known.secret" issue user --user zed
ST=$OUT
expect_exit 0 "verify with the same --secret-file" -- otts verify --secret-file "$WORK/known.secret" "$ST"
expect_exit 10 "verify under the home secret fails" -- otts verify "$ST"

finish
