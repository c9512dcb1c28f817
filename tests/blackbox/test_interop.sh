#!/usr/bin/env bash
# Interoperability with real JOSE peers (DESIGN §3, §11): Node `jose` 6, Node `jsonwebtoken` 9
# and PyJWT, in both directions.
#  - Tokens otts issues (HS256 one-time, create and user; ES256 licenses) verify in every peer,
#    which reads back exactly the claims otts reports.
#  - Tokens the peers sign with the same secret and the right family claims verify in otts.
#    A peer-signed one-time token has no row in the store: its signature verifies, then the
#    store answers "not found" (exit 13, DESIGN §5) even with --no-consume, while the same
#    token with one byte of its signature changed is invalid (exit 10). A peer-signed create token needs no row:
#    it is redeemed once with its PoW solution, then replays answer 12.
#  - A license made by Node jose with the license key is accepted by `otts verify`.
#  - The originals' variables (SECRET_KEY for one-time, JWT_SECRET for create/user) and key
#    rotation with a previous secret.
source "$(dirname "$0")/lib.sh"

PEERS="$OTTS_SOURCE_DIR/tests/peers"
PEER_NAMES=(jose jsonwebtoken pyjwt)
# Changes the signature's first character to another base64url character that still decodes.
tamper_sig() {
    local t=$1 sig=${1##*.} c
    c=${sig:0:1}; [ "$c" = A ] && c=B || c=A
    printf '%s.%s' "${t%.*}" "$c${sig:1}"
}
peer() {  # peer NAME ARGS...
    local name=$1; shift
    case "$name" in
        jose) node "$PEERS/jose_peer.mjs" "$@" ;;
        jsonwebtoken) node "$PEERS/jsonwebtoken_peer.mjs" "$@" ;;
        pyjwt) "$PYTHON" "$PEERS/pyjwt_peer.py" "$@" ;;
    esac
}
# same_json DESCRIPTION A B: the two JSON texts parse to equal values
same_json() {
    if "$PYTHON" -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1])==json.loads(sys.argv[2]) else 1)' "$2" "$3" 2>/dev/null
    then pass "$1"; else fail "$1: $2 != $3"; fi
}
json_get() { "$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }
uuid() { "$PYTHON" -c 'import uuid; print(uuid.uuid4())'; }
now() { date +%s; }

# The peers need the real libraries; without them this test cannot say anything.
node -e 'import("jose").then(() => import("jsonwebtoken"))' 2>/dev/null \
    || { echo "FAIL: Node jose/jsonwebtoken not found under $OTTS_SOURCE_DIR/node_modules (run scripts/bootstrap)" >&2; exit 1; }
"$PYTHON" -c 'import jwt, cryptography' 2>/dev/null \
    || { echo "FAIL: $PYTHON lacks PyJWT/cryptography" >&2; exit 1; }

# === otts -> peers ===============================================================================
# With nothing configured, otts makes its data home; the peers read the same secret file.
expect_exit 0 "issue one-time --json" -- otts issue --json
OT=$OUT
SECRET_FILE="$OTTS_HOME/secret"
[ -f "$SECRET_FILE" ] || fail "no secret file in the data home"
expect_exit 0 "issue create --json" -- otts issue create --difficulty 4 --json
CR=$OUT
expect_exit 0 "issue user --json" -- otts issue user --user alice --json
US=$OUT

for family_json in "$OT" "$CR" "$US"; do
    family=$(json_get "$family_json" "d['family']")
    token=$(json_get "$family_json" "d['token']")
    claims=$(json_get "$family_json" "json.dumps(d['claims'])")
    for p in "${PEER_NAMES[@]}"; do
        if got=$(peer "$p" verify HS256 "$SECRET_FILE" "$token" 2>"$WORK/peer-err"); then
            same_json "otts $family token verifies in $p with the claims otts reported" "$got" "$claims"
        else
            fail "otts $family token rejected by $p: $(cat "$WORK/peer-err")"
        fi
    done
    # And a peer holding another secret says no (the check can fail).
    otts keygen --out "$WORK/wrong-$family" >/dev/null
    peer jose verify HS256 "$WORK/wrong-$family" "$token" >/dev/null 2>&1 \
        && fail "jose accepted the $family token under a wrong secret" || pass "jose rejects the $family token under a wrong secret"
done
# The create token's challenge, solved by otts, checks out in Python's hashlib.
CT=$(json_get "$CR" "d['token']")
SOL=$(otts solve-pow "$CT")
"$PYTHON" -c '
import hashlib, json, sys
c = json.loads(sys.argv[1])["claims"]
h = hashlib.sha256((c["pow_prefix"] + c["nonce"] + sys.argv[2]).encode()).digest()
sys.exit(0 if 256 - int.from_bytes(h, "big").bit_length() >= c["pow_difficulty"] else 1)' "$CR" "$SOL" \
    && pass "otts solve-pow solution meets the difficulty in hashlib" || fail "solution $SOL rejected by hashlib"

# ES256: a license from `otts license create` verifies in every peer with license.pub.
expect_exit 0 "license create --json" -- otts license create --email u@example.com --days 30 --seat-count 2 --json
LJ=$OUT
LIC_JWS=$(json_get "$LJ" "d['license']" | base64 -d)
LCLAIMS=$(json_get "$LJ" "json.dumps(d['claims'])")
for p in "${PEER_NAMES[@]}"; do
    if got=$(peer "$p" verify ES256 "$OTTS_HOME/license.pub" "$LIC_JWS" 2>"$WORK/peer-err"); then
        same_json "otts license (ES256) verifies in $p with the same claims" "$got" "$LCLAIMS"
    else
        fail "otts license rejected by $p: $(cat "$WORK/peer-err")"
    fi
done
# ... and with a key pair from `otts keygen es256` as the license key.
otts keygen es256 --out "$WORK/signer.pem" >/dev/null
expect_exit 0 "license create with OTTS_LICENSE_PRIVATE_KEY from keygen" -- \
    env OTTS_LICENSE_PRIVATE_KEY="$WORK/signer.pem" "$OTTS_BIN" license create --email k@example.com
KLIC=$OUT
for p in "${PEER_NAMES[@]}"; do
    peer "$p" verify ES256 "$WORK/signer.pem.pub" "$(base64 -d <<<"$KLIC")" >/dev/null 2>"$WORK/peer-err" \
        && pass "keygen-key license verifies in $p" || fail "keygen-key license rejected by $p: $(cat "$WORK/peer-err")"
done
peer jose verify ES256 "$OTTS_HOME/license.pub" "$(base64 -d <<<"$KLIC")" >/dev/null 2>&1 \
    && fail "jose accepted a license under the wrong public key" || pass "jose rejects a license under the wrong public key"

# === peers -> otts ===============================================================================
EXP=$(($(now) + 600))
for p in "${PEER_NAMES[@]}"; do
    # user (S4): stateless, verifies outright.
    t=$(peer "$p" sign HS256 "$SECRET_FILE" "{\"userId\":\"bob-$p\",\"iat\":$(now),\"exp\":$EXP}")
    expect_exit 0 "$p-signed user token verifies in otts" -- otts verify --json "$t"
    [ "$(json_get "$OUT" "d['family']+'/'+d['claims']['userId']")" = "user/bob-$p" ] \
        && pass "otts reads the $p user claims" || fail "otts verify output: $OUT"
    t=$(peer "$p" sign HS256 "$SECRET_FILE" "{\"userId\":42,\"iat\":$(now),\"exp\":$EXP}")
    expect_exit 0 "$p-signed user token with a numeric userId (as S4 clients send)" -- otts verify --expect user "$t"

    # one-time (S1): the signature verifies (13, not 10); the store never issued it.
    t=$(peer "$p" sign HS256 "$SECRET_FILE" "{\"uuid\":\"$(uuid)\",\"exp\":$EXP}")
    expect_exit 13 "$p-signed one-time token verifies, then is not in the store (--no-consume)" -- otts verify --no-consume "$t"
    expect_exit 10 "$p-signed one-time token with a changed signature is invalid" -- otts verify --no-consume "$(tamper_sig "$t")"
    expect_exit 13 "$p-signed one-time token has no store row: not found" -- otts verify "$t"
    grep -qi "not found" <<<"$ERR" && pass "message says not found" || fail "message: $ERR"

    # create (S0): checked, solved, redeemed once, replay refused.
    t=$(peer "$p" sign HS256 "$SECRET_FILE" \
        "{\"jti\":\"$(uuid)\",\"iat\":$(now),\"exp\":$EXP,\"op\":\"create\",\"nonce\":\"$(openssl rand -hex 16)\",\"pow_difficulty\":6,\"pow_prefix\":\"sealed:\"}")
    expect_exit 0 "$p-signed create token checks (--no-consume)" -- otts verify --no-consume "$t"
    sol=$(otts solve-pow "$t")
    expect_exit 0 "$p-signed create token redeemed with its solution" -- otts verify "$t" --pow "$sol"
    expect_exit 12 "$p-signed create token replay" -- otts verify "$t" --pow "$sol"

    # Wrong secret: refused.
    t=$(peer "$p" sign HS256 "$WORK/wrong-user" "{\"userId\":\"bob\",\"iat\":$(now),\"exp\":$EXP}")
    expect_exit 10 "$p token under another secret is refused" -- otts verify "$t"
done

# kid: otts names its key by the first 8 hex digits of SHA-256(secret) (README); a peer token
# with that kid verifies, one with a foreign kid does not.
KID=$(tr -d '\r\n' <"$SECRET_FILE" | sha256sum | cut -c1-8)
[ "$(otts decode -q --json "$(json_get "$US" "d['token']")" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["header"].get("kid"))')" = "$KID" ] \
    && pass "otts tokens carry kid = sha256(secret)[:8]" || fail "otts kid is not $KID"
t=$(peer jsonwebtoken sign HS256 "$SECRET_FILE" "{\"userId\":\"k\",\"iat\":$(now),\"exp\":$EXP}" "{\"kid\":\"$KID\"}")
expect_exit 0 "peer token with otts's kid verifies" -- otts verify "$t"
t=$(peer jsonwebtoken sign HS256 "$SECRET_FILE" "{\"userId\":\"k\",\"iat\":$(now),\"exp\":$EXP}" '{"kid":"0badc0de"}')
expect_exit 10 "peer token with a foreign kid is refused" -- otts verify "$t"

# === licenses made by Node jose ===================================================================
JLIC=$(peer jose license "$OTTS_HOME/license.key" '{"email":"jose@example.com","seat_count":5}')
expect_exit 0 "Node jose license verifies in otts" -- otts verify --json "$JLIC"
HASH="sha256:$(printf %s "$JLIC" | sha256sum | cut -d' ' -f1)"
[ "$(json_get "$OUT" "d['family']+' '+d['claims']['email']+' '+d['claims']['license_key_hash']+' '+str(d['claims']['seat_count'])")" \
    = "license jose@example.com $HASH 5" ] && pass "otts reads the jose license claims and its license_key_hash" || fail "verify output: $OUT"
expect_exit 0 "jose license with --expect license" -- otts verify --expect license "$JLIC"
expect_exit 0 "jose license from stdin with surrounding whitespace" -- bash -c 'printf "\n  %s  \n" "$1" | "$OTTS_BIN" verify -' _ "$JLIC"
expect_exit 0 "jose license as a bare compact JWS" -- otts verify "$(base64 -d <<<"$JLIC")"
expect_exit 0 "decode the jose license" -- otts decode "$JLIC"
grep -q jose@example.com <<<"$OUT" && pass "decode shows the jose license's email" || fail "decode: $OUT"
# A jose license under its own key, verified with LICENSE_PUBLIC_KEY as a path, PEM text or JWK.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/jose.pem" 2>/dev/null
openssl pkey -in "$WORK/jose.pem" -pubout -out "$WORK/jose.pub" 2>/dev/null
JLIC2=$(peer jose license "$WORK/jose.pem" '{"email":"own@example.com"}')
expect_exit 10 "jose license under a foreign key, home key: refused" -- otts verify "$JLIC2"
expect_exit 0 "... LICENSE_PUBLIC_KEY=path" -- env LICENSE_PUBLIC_KEY="$WORK/jose.pub" "$OTTS_BIN" verify "$JLIC2"
expect_exit 0 "... OTTS_LICENSE_PUBLIC_KEY=PEM text" -- env OTTS_LICENSE_PUBLIC_KEY="$(cat "$WORK/jose.pub")" "$OTTS_BIN" verify "$JLIC2"
JWK=$("$PYTHON" - "$WORK/jose.pub" <<'PY'
import base64, json, sys
from cryptography.hazmat.primitives import serialization
n = serialization.load_pem_public_key(open(sys.argv[1], "rb").read()).public_numbers()
b64 = lambda i: base64.urlsafe_b64encode(i.to_bytes(32, "big")).rstrip(b"=").decode()
print(json.dumps({"kty": "EC", "crv": "P-256", "x": b64(n.x), "y": b64(n.y)}))
PY
)
expect_exit 0 "... LICENSE_PUBLIC_KEY=JWK" -- env LICENSE_PUBLIC_KEY="$JWK" "$OTTS_BIN" verify "$JLIC2"
expect_exit 0 "... LICENSE_PUBLIC_KEY in the config file" -- bash -c \
    'printf "LICENSE_PUBLIC_KEY=%s\n" "$1" >>"$OTTS_HOME/config" && "$OTTS_BIN" verify "$2"; rc=$?; rm -f "$OTTS_HOME/config"; exit $rc' _ "$WORK/jose.pub" "$JLIC2"
expect_exit 10 "a jose license with an empty email is refused" -- otts verify --expect license \
    "$(peer jose license "$OTTS_HOME/license.key" '{"email":""}')"

# === the originals' variables ======================================================================
# SECRET_KEY (S1) keys one-time tokens, JWT_SECRET (S0/S4) create and user tokens.
S1=$(otts keygen); S4=$(otts keygen)
printf '%s\n' "$S1" >"$WORK/s1"; printf '%s\n' "$S4" >"$WORK/s4"
export SECRET_KEY="$S1" JWT_SECRET="$S4"
t=$(peer pyjwt sign HS256 "$WORK/s1" "{\"uuid\":\"$(uuid)\",\"exp\":$EXP}")
expect_exit 13 "PyJWT one-time token under SECRET_KEY verifies (then: not in the store)" -- otts verify --no-consume "$t"
t=$(peer jsonwebtoken sign HS256 "$WORK/s4" "{\"userId\":\"s4\",\"iat\":$(now),\"exp\":$EXP}")
expect_exit 0 "jsonwebtoken user token under JWT_SECRET verifies" -- otts verify "$t"
t=$(peer jsonwebtoken sign HS256 "$WORK/s1" "{\"userId\":\"s4\",\"iat\":$(now),\"exp\":$EXP}")
expect_exit 10 "a user token under SECRET_KEY is refused (families keep their keys)" -- otts verify "$t"
expect_exit 0 "otts issue under SECRET_KEY" -- otts issue
peer pyjwt verify HS256 "$WORK/s1" "$OUT" >/dev/null 2>&1 && pass "PyJWT verifies an otts one-time token with SECRET_KEY" \
    || fail "PyJWT rejects the SECRET_KEY one-time token"
expect_exit 0 "otts issue user under JWT_SECRET" -- otts issue user --user s4
peer jsonwebtoken verify HS256 "$WORK/s4" "$OUT" >/dev/null 2>&1 && pass "jsonwebtoken verifies an otts user token with JWT_SECRET" \
    || fail "jsonwebtoken rejects the JWT_SECRET user token"
unset SECRET_KEY JWT_SECRET

# === key rotation ==================================================================================
otts keygen --out "$WORK/old" >/dev/null
otts keygen --out "$WORK/new" >/dev/null
export OTTS_SECRET_FILE="$WORK/old"
OLD_OT=$(otts issue); OLD_US=$(otts issue user --user rot)
OLD_PEER=$(peer jose sign HS256 "$WORK/old" "{\"userId\":\"rot-peer\",\"iat\":$(now),\"exp\":$EXP}")
export OTTS_SECRET_FILE="$WORK/new"
expect_exit 10 "after rotation, without the previous secret: old user token refused" -- otts verify "$OLD_US"
expect_exit 10 "... old one-time token refused (and not consumed)" -- otts verify "$OLD_OT"
export OTTS_PREVIOUS_SECRET_FILE="$WORK/old"
expect_exit 0 "with OTTS_PREVIOUS_SECRET_FILE: old user token verifies" -- otts verify "$OLD_US"
expect_exit 0 "... old one-time token verifies and is consumed" -- otts verify "$OLD_OT"
expect_exit 12 "... and only once" -- otts verify "$OLD_OT"
expect_exit 0 "... old peer token without kid verifies" -- otts verify "$OLD_PEER"
expect_exit 0 "new tokens are signed with the new secret" -- otts issue user --user fresh
NEW_US=$OUT
peer pyjwt verify HS256 "$WORK/new" "$NEW_US" >/dev/null 2>&1 && pass "PyJWT verifies the new token under the new secret" \
    || fail "new token does not verify under the new secret"
peer pyjwt verify HS256 "$WORK/old" "$NEW_US" >/dev/null 2>&1 && fail "new token verifies under the OLD secret" \
    || pass "new token is not signed with the previous secret"
unset OTTS_PREVIOUS_SECRET_FILE
expect_exit 0 "OTTS_PREVIOUS_SECRET (value) works too" -- env OTTS_PREVIOUS_SECRET="$(cat "$WORK/old")" "$OTTS_BIN" verify "$OLD_US"
expect_exit 0 "--previous-secret-file works too" -- otts verify --previous-secret-file "$WORK/old" "$OLD_US"
expect_exit 10 "a third, unrelated secret as previous does not help" -- otts verify --previous-secret-file "$WORK/wrong-user" "$OLD_US"
unset OTTS_SECRET_FILE

finish
