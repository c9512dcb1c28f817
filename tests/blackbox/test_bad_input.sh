#!/usr/bin/env bash
# Bad input of every kind (DESIGN §3, §9, §10; README exit codes): malformed, oversize,
# wrong-algorithm, wrong-family, tampered, expired and not-yet-valid tokens; unreadable or
# unusable keys; an unusable data home or store; command-line parse errors; otts serve's
# start-up errors. Each must end with its documented exit code and one clear `otts: error: ...`
# line on stderr, never a crash. The HTTP API answers such input with a 4xx in the route
# family's shape, never a 500.
# Tokens otts would never issue are signed by a real peer (PyJWT) or crafted here with the
# same secret, so that only the property under test is wrong.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PEERS="$OTTS_SOURCE_DIR/tests/peers"

# bad CODE DESCRIPTION -- CMD...: CMD exits CODE, with an `otts: error: ` line on stderr, nothing
# on stdout (no --json here), and no sign of a crash.
bad() {
    local what=$2
    expect_exit "$@"
    case "$ERR" in
        "otts: error: "?*) ;;
        *) fail "$what: stderr is not 'otts: error: ...': '$ERR'" ;;
    esac
    if grep -Eqi 'terminate called|Aborted|Segmentation|AddressSanitizer|runtime error|core dumped' <<<"$ERR"; then
        fail "$what: crash signs on stderr: $ERR"
    fi
    [ -z "$OUT" ] || fail "$what: unexpected stdout: $OUT"
    printf '%s\n%s\n' "$OUT" "$ERR" >>"$WORK/all-output"
    echo "    ${ERR%%$'\n'*}"
}
# says WORD...: the last stderr mentions one of the words (case-insensitive)
says() {
    local w
    for w in "$@"; do grep -qi -- "$w" <<<"$ERR" && return 0; done
    fail "stderr does not mention ${*}: $ERR"
}

# One secret shared by otts and the peers.
otts keygen --out "$WORK/secret" >/dev/null
export OTTS_SECRET_FILE="$WORK/secret"
SECRET=$(cat "$WORK/secret")
otts issue >/dev/null  # creates the data home (license key pair, store)
LICENSE_KEY="$OTTS_HOME/license.key"

now() { date +%s; }
uuid() { "$PYTHON" -c 'import uuid; print(uuid.uuid4())'; }
# peer_sign PAYLOAD_JSON [ALG] [KEYFILE] [HEADER_JSON]: a token signed by PyJWT
peer_sign() { "$PYTHON" "$PEERS/pyjwt_peer.py" sign "${2:-HS256}" "${3:-$WORK/secret}" "$1" ${4:+"$4"}; }
# craft HEADER_TEXT PAYLOAD_TEXT [SIG_MODE]: base64url of the exact texts given, HMAC-SHA256
# signed with the shared secret (SIG_MODE "none": empty signature).
craft() {
    "$PYTHON" - "$WORK/secret" "$1" "$2" "${3:-hs256}" <<'PY'
import base64, hashlib, hmac, sys
key = open(sys.argv[1], "rb").read().rstrip(b"\r\n")
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
signing_input = b64(sys.argv[2].encode()) + "." + b64(sys.argv[3].encode())
sig = "" if sys.argv[4] == "none" else b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())
print(signing_input + "." + sig)
PY
}

EXP=$(($(now) + 3600))
# A user (S4) payload: stateless, so a check needs no store row whatever --no-consume means.
PAYLOAD="{\"userId\":\"mallory\",\"iat\":$(now),\"exp\":$EXP}"
HS_HEADER='{"alg":"HS256","typ":"JWT"}'

# Sanity: the crafting tools make tokens otts accepts, so every refusal below is about the
# one thing each case changes.
expect_exit 0 "control: a PyJWT-signed user token verifies" -- otts verify --no-consume "$(peer_sign "$PAYLOAD")"
expect_exit 0 "control: a crafted user token verifies" -- otts verify --no-consume "$(craft "$HS_HEADER" "$PAYLOAD")"

# --- malformed ------------------------------------------------------------------------------------
GOOD=$(otts issue)
bad 10 "no dots (not base64 license text either)" -- otts verify "not-a-token"
bad 10 "two parts" -- otts verify "abc.def"
bad 10 "three garbage parts" -- otts verify "a.b.c"
bad 10 "four parts" -- otts verify "$GOOD.AAAA"
bad 10 "empty parts" -- otts verify ".."
bad 10 "base64url padding" -- otts verify "$GOOD="
bad 10 "standard-base64 characters" -- otts verify "$(tr '_-' '/+' <<<"$GOOD" | sed 's/^\(.\{5\}\)./\1+/')"
bad 10 "a space inside the token" -- otts verify "${GOOD:0:20} ${GOOD:20}"
bad 10 "header not JSON" -- otts verify "$(craft 'nope' "$PAYLOAD")"
bad 10 "header a JSON array" -- otts verify "$(craft '["HS256"]' "$PAYLOAD")"
bad 10 "payload a JSON array" -- otts verify --expect user "$(craft "$HS_HEADER" '[1,2]')"
bad 10 "payload truncated JSON" -- otts verify --expect user "$(craft "$HS_HEADER" '{"uuid":"x"')"
bad 10 "duplicate member in the payload" -- otts verify --no-consume "$(craft "$HS_HEADER" "{\"uuid\":\"$(uuid)\",\"exp\":1,\"exp\":$EXP}")"
bad 10 "duplicate member in the header" -- otts verify --no-consume "$(craft '{"alg":"HS256","alg":"HS256"}' "$PAYLOAD")"
bad 10 "unknown crit header" -- otts verify --no-consume "$(craft '{"alg":"HS256","crit":["exp"]}' "$PAYLOAD")"
bad 10 "decode of a malformed token" -- otts decode "a.b.c"
bad 10 "decode of neither JWT nor base64" -- otts decode "not base64!"
head -c 3000 /dev/urandom >"$WORK/binary"
bad 10 "binary garbage on stdin" -- bash -c '"$OTTS_BIN" verify - <"$1"' _ "$WORK/binary"
bad 10 "binary garbage to decode" -- bash -c '"$OTTS_BIN" decode - <"$1"' _ "$WORK/binary"

# --- oversize -----------------------------------------------------------------------------------
FILL=$(head -c 9000 /dev/zero | tr '\0' a)
BIG=$(peer_sign "{\"uuid\":\"$(uuid)\",\"exp\":$EXP,\"fill\":\"$FILL\"}")
[ "${#BIG}" -gt 8192 ] || fail "the oversize token is only ${#BIG} bytes"
bad 10 "a validly signed token over 8 KiB" -- otts verify --no-consume "$BIG"
says large size big
bad 10 "decode of a token over 8 KiB" -- otts decode "$BIG"
bad 10 "verify of a token over 8 KiB on stdin" -- bash -c 'printf "%s" "$1" | "$OTTS_BIN" verify --no-consume -' _ "$BIG"
SMALLER=$(peer_sign "{\"userId\":\"bob\",\"iat\":$(now),\"exp\":$EXP,\"fill\":\"${FILL:0:5000}\"}")
[ "${#SMALLER}" -lt 8192 ] || fail "the under-limit token is ${#SMALLER} bytes"
expect_exit 0 "a validly signed token under 8 KiB (${#SMALLER} bytes) is fine" -- otts verify --no-consume "$SMALLER"
head -c 70000 /dev/zero | tr '\0' a >"$WORK/huge"
bad 10 "70 KB on stdin" -- bash -c '"$OTTS_BIN" verify - <"$1"' _ "$WORK/huge"
bad 10 "70 KB license text on stdin" -- bash -c '"$OTTS_BIN" verify --expect license - <"$1"' _ "$WORK/huge"

# --- wrong algorithm ------------------------------------------------------------------------------
bad 10 "HS384 with the right secret" -- otts verify --no-consume "$(peer_sign "$PAYLOAD" HS384)"
bad 10 "HS512 with the right secret" -- otts verify --no-consume "$(peer_sign "$PAYLOAD" HS512)"
bad 10 "alg none (PyJWT, empty signature)" -- otts verify --no-consume "$(peer_sign "$PAYLOAD" none /dev/null)"
bad 10 "alg None, crafted" -- otts verify --no-consume "$(craft '{"alg":"None","typ":"JWT"}' "$PAYLOAD" none)"
bad 10 "alg none with a valid HMAC attached" -- otts verify --no-consume "$(craft '{"alg":"none","typ":"JWT"}' "$PAYLOAD")"
bad 10 "no alg in the header" -- otts verify --no-consume "$(craft '{"typ":"JWT"}' "$PAYLOAD")"
bad 10 "alg not a string" -- otts verify --no-consume "$(craft '{"alg":["HS256"]}' "$PAYLOAD")"
bad 10 "ES256-signed user token (alg/key mismatch)" -- otts verify --no-consume "$(peer_sign "$PAYLOAD" ES256 "$LICENSE_KEY")"
# Key confusion: an HS256 "license" whose HMAC key is the license public key's PEM text.
CONFUSED=$(node "$PEERS/jose_peer.mjs" sign HS256 "$OTTS_HOME/license.pub" \
    "{\"id\":\"$(uuid)\",\"email\":\"u@example.com\",\"nbf\":$(now),\"exp\":$EXP}")
bad 10 "HS256 license keyed with the public PEM (alg confusion), compact" -- otts verify "$CONFUSED"
bad 10 "HS256 license keyed with the public PEM (alg confusion), base64" -- otts verify "$(printf %s "$CONFUSED" | base64 -w0)"
# ES256 with a DER signature instead of the 64-byte P1363 form.
DER=$("$PYTHON" - "$LICENSE_KEY" "{\"id\":\"$(uuid)\",\"email\":\"u@example.com\",\"nbf\":$(now),\"exp\":$EXP}" <<'PY'
import base64, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), password=None)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
si = b64(b'{"alg":"ES256","typ":"JWT"}') + "." + b64(sys.argv[2].encode())
print(si + "." + b64(key.sign(si.encode(), ec.ECDSA(hashes.SHA256()))))
PY
)
bad 10 "ES256 license with a DER signature" -- otts verify --expect license "$DER"

# --- wrong family -------------------------------------------------------------------------------
USER_T=$(otts issue user --user alice)
CREATE_T=$(otts issue create --difficulty 1)
OT_T=$(otts issue)
LIC=$(otts license create --email u@example.com)
bad 10 "user token --expect one-time" -- otts verify --expect one-time "$USER_T"
says family
bad 10 "one-time token --expect user" -- otts verify --expect user "$OT_T"
says family
bad 10 "create token --expect one-time" -- otts verify --expect one-time "$CREATE_T"
bad 10 "user token --expect create" -- otts verify --expect create --no-consume "$USER_T"
bad 10 "license --expect user" -- otts verify --expect user "$LIC"
bad 10 "one-time token --expect license" -- otts verify --expect license "$OT_T"
expect_exit 0 "the one-time token refused above is still unconsumed" -- otts verify "$OT_T"
bad 10 "ambiguous payload (uuid and userId)" -- otts verify "$(peer_sign "{\"uuid\":\"$(uuid)\",\"userId\":\"bob\",\"exp\":$EXP}")"
bad 10 "payload of no family" -- otts verify "$(peer_sign "{\"sub\":\"bob\",\"exp\":$EXP}")"
bad 10 "one-time token whose uuid is not a UUID" -- otts verify --no-consume "$(peer_sign "{\"uuid\":\"not-a-uuid\",\"exp\":$EXP}")"
bad 10 "create token whose nonce is not 32 hex" -- otts verify --no-consume \
    "$(peer_sign "{\"jti\":\"$(uuid)\",\"iat\":$(now),\"exp\":$EXP,\"op\":\"create\",\"nonce\":\"xyz\",\"pow_difficulty\":1,\"pow_prefix\":\"\"}")"
bad 10 "user token with an empty userId" -- otts verify "$(peer_sign "{\"userId\":\"\",\"iat\":$(now),\"exp\":$EXP}")"

# --- tampered -----------------------------------------------------------------------------------
flip() {  # flip TOKEN INDEX: replace the character at INDEX with a different base64url one
    local t=$1 i=$2 c=${1:$2:1} r=A
    [ "$c" = A ] && r=B
    printf '%s' "${t:0:i}$r${t:i+1}"
}
SIG=${GOOD##*.}
bad 10 "one character of the signature changed" -- otts verify "$(flip "$GOOD" $((${#GOOD} - ${#SIG} / 2)))"
bad 10 "signature truncated" -- otts verify "${GOOD:0:${#GOOD}-4}"
bad 10 "signature of another token" -- otts verify "${GOOD%.*}.${OT_T##*.}"
bad 10 "signature removed" -- otts verify "${GOOD%.*}."
HDR_PAY=${GOOD%.*}
PAYLOAD_JSON=$("$PYTHON" -c 'import base64,sys; p=sys.argv[1]; print(base64.urlsafe_b64decode(p+"="*(-len(p)%4)).decode())' "${HDR_PAY#*.}")
LONGER=$("$PYTHON" -c 'import json,sys,base64; d=json.loads(sys.argv[1]); d["exp"]+=86400; print(base64.urlsafe_b64encode(json.dumps(d,separators=(",",":")).encode()).rstrip(b"=").decode())' "$PAYLOAD_JSON")
bad 10 "payload changed (exp extended), old signature" -- otts verify "${GOOD%%.*}.$LONGER.$SIG"
bad 10 "user token signed with another secret" -- otts verify --secret-file /dev/stdin "$USER_T" <<<"$(otts keygen)"
LIC_JWS=$(base64 -d <<<"$LIC")
LSIG=${LIC_JWS##*.}
bad 10 "license with a changed signature (base64 text)" -- otts verify "$(flip "$LIC_JWS" $((${#LIC_JWS} - ${#LSIG} / 2)) | base64 -w0)"
bad 10 "license text with a character removed" -- otts verify "${LIC:1}"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/other.pem" 2>/dev/null
bad 10 "license signed by another P-256 key" -- otts verify "$(node "$PEERS/jose_peer.mjs" license "$WORK/other.pem" '{"email":"u@example.com"}')"
bad 10 "user token with a foreign kid" -- otts verify "$(peer_sign "{\"userId\":\"bob\",\"iat\":$(now),\"exp\":$EXP}" HS256 "$WORK/secret" '{"kid":"deadbeef"}')"

# --- expired and not yet valid --------------------------------------------------------------------
NOW=$(now)
bad 11 "one-time token expired an hour ago (--no-consume)" -- otts verify --no-consume "$(peer_sign "{\"uuid\":\"$(uuid)\",\"exp\":$((NOW - 3600))}")"
says expired
bad 11 "one-time token expired an hour ago (consume)" -- otts verify "$(peer_sign "{\"uuid\":\"$(uuid)\",\"exp\":$((NOW - 3600))}")"
IN_LEEWAY=$(peer_sign "{\"userId\":\"bob\",\"iat\":$((NOW - 100)),\"exp\":$((NOW - 10))}")
expect_exit 0 "expired 10 s ago: inside the default 30 s leeway" -- otts verify "$IN_LEEWAY"
bad 11 "expired 10 s ago with --leeway 0" -- otts verify --leeway 0 "$IN_LEEWAY"
bad 11 "expired 10 s ago with OTTS_LEEWAY=0" -- env OTTS_LEEWAY=0 "$OTTS_BIN" verify "$IN_LEEWAY"
# The last second: a token is valid while now < exp + leeway (RFC 7519, jsonwebtoken), so at
# exp + leeway it is refused. Time only moves on after NOW was read: no race with the clock.
bad 11 "at exactly exp + leeway (10 s)" -- otts verify --leeway 10s "$IN_LEEWAY"
expect_exit 0 "--leeway 0s means what --leeway 0 does" -- otts verify --leeway 0s "$(peer_sign "{\"userId\":\"bob\",\"exp\":$EXP}")"
bad 2 "--leeway over 5m (single-use records outlive exp by 5 min only)" -- otts verify --leeway 6m "$IN_LEEWAY"
says "OTTS_LEEWAY"
bad 2 "--ttl given but empty" -- otts issue --ttl ''
says "--ttl"
for big in 1e300 1e19 9.3e18; do
    bad 10 "create token with exp $big (no float-to-int conversion)" -- otts verify --pow 0 \
        "$(craft "$HS_HEADER" "{\"jti\":\"$(uuid)\",\"iat\":$NOW,\"exp\":$big,\"op\":\"create\",\"nonce\":\"0123456789abcdef0123456789abcdef\",\"pow_difficulty\":0,\"pow_prefix\":\"\"}")"
    says "out of range"
done
bad 11 "expired 40 s ago (beyond the leeway)" -- otts verify "$(peer_sign "{\"userId\":\"bob\",\"iat\":$((NOW - 100)),\"exp\":$((NOW - 40))}")"
bad 11 "nbf an hour ahead" -- otts verify --no-consume "$(peer_sign "{\"uuid\":\"$(uuid)\",\"nbf\":$((NOW + 3600)),\"exp\":$EXP}")"
says "not yet" "nbf" "future"
bad 11 "iat an hour ahead" -- otts verify "$(peer_sign "{\"userId\":\"bob\",\"iat\":$((NOW + 3600)),\"exp\":$EXP}")"
expect_exit 0 "nbf 10 s ahead: inside the leeway" -- otts verify "$(peer_sign "{\"userId\":\"bob\",\"nbf\":$((NOW + 10)),\"exp\":$EXP}")"
bad 10 "no exp" -- otts verify --no-consume "$(peer_sign "{\"uuid\":\"$(uuid)\"}")"
bad 10 "exp a string" -- otts verify --no-consume "$(craft "$HS_HEADER" "{\"uuid\":\"$(uuid)\",\"exp\":\"$EXP\"}")"
bad 11 "create token expired" -- otts verify --no-consume \
    "$(peer_sign "{\"jti\":\"$(uuid)\",\"iat\":$((NOW - 900)),\"exp\":$((NOW - 600)),\"op\":\"create\",\"nonce\":\"0123456789abcdef0123456789abcdef\",\"pow_difficulty\":1,\"pow_prefix\":\"\"}")"
bad 11 "license expired (Node jose)" -- otts verify "$(node "$PEERS/jose_peer.mjs" license "$LICENSE_KEY" "{\"email\":\"u@example.com\",\"nbf\":$((NOW - 90000)),\"exp\":$((NOW - 3600))}")"
bad 11 "license not yet valid (Node jose)" -- otts verify "$(node "$PEERS/jose_peer.mjs" license "$LICENSE_KEY" "{\"email\":\"u@example.com\",\"nbf\":$((NOW + 3600)),\"exp\":$((NOW + 90000))}")"
# An otts-issued one-time token past its 1 s TTL, without waiting for the second to pass:
# --ttl 1 puts exp one second after issue, so the same token (its uuid, signed with the shared
# secret) with exp moved two seconds back is that token once the second is over.
BEFORE=$(now)
SHORT=$(otts issue --ttl 1)
SHORT_EXP=$(claim "$SHORT" exp)
[ "$SHORT_EXP" -ge $((BEFORE + 1)) ] && [ "$SHORT_EXP" -le $(($(now) + 1)) ] && pass "--ttl 1: exp one second after issue" ||
    fail "--ttl 1: exp $SHORT_EXP, issued at $BEFORE or later"
SHORT_PAST=$(peer_sign "{\"uuid\":\"$(claim "$SHORT" uuid)\",\"exp\":$((SHORT_EXP - 2))}")
bad 11 "otts-issued one-time token past its 1 s TTL (--leeway 0)" -- otts verify --leeway 0 "$SHORT_PAST"

# --- keys and secrets ---------------------------------------------------------------------------
mkdir "$WORK/keydir"
bad 2 "--secret-file is a directory" -- otts issue --secret-file "$WORK/keydir"
says "$WORK/keydir"
says "directory"  # not "must be at least 32 bytes": the file was never read
bad 2 "--secret-file missing" -- otts issue --secret-file "$WORK/no-such-file"
says "$WORK/no-such-file"
printf 'only-16-bytes!!\n' >"$WORK/short"
bad 2 "secret shorter than 32 bytes" -- otts issue --secret-file "$WORK/short"
grep -q "only-16-bytes" <<<"$ERR" && fail "the short secret was printed" || pass "the short secret is not printed"
: >"$WORK/empty"
bad 2 "empty secret file" -- otts issue user --user a --secret-file "$WORK/empty"
bad 2 "OTTS_SECRET too short" -- env -u OTTS_SECRET_FILE OTTS_SECRET=tiny "$OTTS_BIN" issue user --user a
grep -q "tiny" <<<"$ERR" && fail "the OTTS_SECRET value was printed" || pass "the OTTS_SECRET value is not printed"
bad 2 "verify with a missing secret file" -- otts verify --secret-file "$WORK/no-such-file" "$USER_T"
bad 2 "--previous-secret-file missing" -- otts verify --previous-secret-file "$WORK/no-such-file" "$USER_T"
printf -- '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n' >"$WORK/garbage.pem"
bad 2 "garbage PEM as the license private key" -- env OTTS_LICENSE_PRIVATE_KEY="$WORK/garbage.pem" "$OTTS_BIN" license create --email u@example.com
bad 2 "a public key as the license private key" -- env OTTS_LICENSE_PRIVATE_KEY="$OTTS_HOME/license.pub" "$OTTS_BIN" license create --email u@example.com
bad 2 "license private key file missing" -- env OTTS_LICENSE_PRIVATE_KEY="$WORK/no-such.pem" "$OTTS_BIN" license create --email u@example.com
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/rsa.pem" 2>/dev/null
bad 2 "an RSA key as the license private key" -- env OTTS_LICENSE_PRIVATE_KEY="$WORK/rsa.pem" "$OTTS_BIN" license create --email u@example.com
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$WORK/p384.pem" 2>/dev/null
bad 2 "a P-384 key as the license private key" -- env OTTS_LICENSE_PRIVATE_KEY="$WORK/p384.pem" "$OTTS_BIN" license create --email u@example.com
bad 2 "garbage inline PEM as LICENSE_PUBLIC_KEY" -- env LICENSE_PUBLIC_KEY="$(cat "$WORK/garbage.pem")" "$OTTS_BIN" verify "$LIC"
bad 2 "LICENSE_PUBLIC_KEY names a missing file" -- env LICENSE_PUBLIC_KEY="$WORK/no-such.pub" "$OTTS_BIN" verify "$LIC"
bad 2 "LICENSE_PUBLIC_KEY is a directory" -- env LICENSE_PUBLIC_KEY="$WORK/keydir" "$OTTS_BIN" verify "$LIC"
says "directory"
bad 2 "garbage JWK as LICENSE_PUBLIC_KEY" -- env LICENSE_PUBLIC_KEY='{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}' "$OTTS_BIN" verify "$LIC"
bad 2 "a JWK whose kty is not a string" -- env LICENSE_PUBLIC_KEY='{"kty":5}' "$OTTS_BIN" verify "$LIC"
# Every file a user names is read through one bounded reader: /dev/zero or a huge file is
# refused, not read until the memory runs out (timeout: the old behaviour hung).
head -c 70000 /dev/urandom | base64 -w0 >"$WORK/huge-secret"
bad 2 "--secret-file /dev/zero" -- timeout 20 "$OTTS_BIN" issue --secret-file /dev/zero
says "64 KiB"
bad 2 "--secret-file over 64 KiB" -- timeout 20 "$OTTS_BIN" issue --secret-file "$WORK/huge-secret"
says "64 KiB"
bad 2 "--previous-secret-file /dev/zero" -- timeout 20 "$OTTS_BIN" verify --previous-secret-file /dev/zero "$USER_T"
bad 2 "LICENSE_PUBLIC_KEY /dev/zero" -- env LICENSE_PUBLIC_KEY=/dev/zero timeout 20 "$OTTS_BIN" verify "$LIC"
bad 2 "OTTS_LICENSE_PRIVATE_KEY /dev/zero" -- env OTTS_LICENSE_PRIVATE_KEY=/dev/zero timeout 20 "$OTTS_BIN" license create --email u@example.com
bad 2 "request-pin --license /dev/zero" -- timeout 20 "$OTTS_BIN" request-pin --license /dev/zero

# --- unusable data home and store ---------------------------------------------------------------
# (OTTS_SECRET_FILE stays set: even with the secret elsewhere the store needs the data home.)
bad 20 "data home under /dev/null" -- env OTTS_HOME=/dev/null/otts "$OTTS_BIN" issue
says "/dev/null/otts"
: >"$WORK/a-file"
bad 20 "data home is a regular file" -- env OTTS_HOME="$WORK/a-file" "$OTTS_BIN" issue
says "$WORK/a-file"
bad 20 "--home under a regular file" -- otts --home "$WORK/a-file/sub" issue user --user a
if [ "$(id -u)" -ne 0 ]; then
    mkdir -m 000 "$WORK/locked"
    bad 20 "data home without permissions" -- env OTTS_HOME="$WORK/locked/otts" "$OTTS_BIN" issue
    chmod 700 "$WORK/locked"
else
    echo "skip: running as root, chmod 000 does not stop writes"
fi
bad 20 "--db under /dev/null" -- otts issue --db /dev/null/x/otts.db
bad 20 "--db is a directory" -- otts issue --db "$WORK/keydir"
head -c 4096 /dev/urandom >"$WORK/not-sqlite.db"
bad 20 "--db is not an SQLite file" -- otts issue --db "$WORK/not-sqlite.db"
bad 20 "OTTS_DB under a regular file" -- env OTTS_DB="$WORK/a-file/otts.db" "$OTTS_BIN" issue
expect_exit 0 "decode needs no data home" -- env OTTS_HOME=/dev/null/otts "$OTTS_BIN" decode -q "$GOOD"
expect_exit 0 "keygen needs no data home" -- env OTTS_HOME=/dev/null/otts "$OTTS_BIN" keygen

# --- command-line parse errors (exit 2) -----------------------------------------------------------
bad 2 "no subcommand" -- otts
bad 2 "unknown subcommand" -- otts frobnicate
bad 2 "unknown flag" -- otts issue --bogus
bad 2 "unknown global flag" -- otts --bogus issue
bad 2 "unknown family" -- otts issue bogus-family
bad 2 "--difficulty out of range" -- otts issue create --difficulty 99
bad 2 "--difficulty not a number" -- otts issue create --difficulty x
bad 2 "--expect unknown family" -- otts verify --expect bogus "$GOOD"
bad 2 "license without a subcommand" -- otts license
bad 2 "license create without --email" -- otts license create
bad 2 "license create --days 0" -- otts license create --email u@example.com --days 0
bad 2 "keygen of an unknown type" -- otts keygen rsa
bad 2 "solve-pow --threads 0" -- otts solve-pow --threads 0 --nonce a --difficulty 1
bad 2 "--user without a value" -- otts issue user --user
bad 2 "extra positional argument" -- otts verify "$GOOD" extra
bad 2 "bad --leeway" -- otts verify --leeway soon "$GOOD"
bad 2 "bad --ttl unit" -- otts issue --ttl 5x
bad 2 "zero --ttl" -- otts issue --ttl 0
bad 2 "--claim of a reserved claim" -- otts issue --claim exp=5
says reserved
bad 2 "--claim without =" -- otts issue --claim novalue
bad 2 "--pow on a one-time token" -- otts verify --pow 1 "$GOOD"
expect_exit 0 "the token refused for --pow above is still unconsumed" -- otts verify "$GOOD"
bad 2 "a create token without --pow or --no-consume" -- otts verify "$CREATE_T"
bad 2 "no token on empty stdin" -- bash -c '"$OTTS_BIN" verify </dev/null'

# --- --json failures are machine-readable too ----------------------------------------------------
expect_exit 10 "--json on a malformed token" -- otts verify --json "a.b.c"
"$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["error"]=="invalid_token" and d["message"]' "$OUT" 2>/dev/null \
    && pass "--json error body {error: invalid_token, message}" || fail "--json error body: $OUT"
expect_exit 11 "--json on an expired token" -- otts verify --json --leeway 0 "$IN_LEEWAY"
"$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["error"]=="token_expired"' "$OUT" 2>/dev/null \
    && pass "--json error body {error: token_expired}" || fail "--json error body: $OUT"

# --- claims of the wrong type (issue 11) --------------------------------------------------------
# op and type tell the families apart; one that is not a string makes the token of no family,
# signed or not (verify reads the family before it checks the signature).
for odd in 5 '{}' '[]' null; do
    bad 10 "signed token with op $odd" -- otts verify --no-consume "$(craft "$HS_HEADER" "{\"op\":$odd,\"jti\":\"$(uuid)\",\"exp\":$EXP}")"
    says family
    bad 10 "unsigned token with op $odd" -- otts verify "$(craft "$HS_HEADER" "{\"op\":$odd,\"exp\":$EXP}" none)"
    bad 10 "one-time token with op $odd" -- otts verify --no-consume "$(craft "$HS_HEADER" "{\"op\":$odd,\"uuid\":\"$(uuid)\",\"exp\":$EXP}")"
    bad 10 "token with type $odd" -- otts verify "$(craft "$HS_HEADER" "{\"type\":$odd,\"email\":\"u@example.com\",\"sub\":\"u@example.com\",\"exp\":$EXP}")"
done
expect_exit 10 "--json on a token with op 5" -- otts verify --json "$(craft "$HS_HEADER" "{\"op\":5,\"exp\":$EXP}")"
"$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["error"]=="invalid_token" and d["message"]' "$OUT" 2>/dev/null \
    && pass "--json error body for op 5" || fail "--json error body for op 5: $OUT"

# --- the HTTP API on bad input (issue 11): each family's 4xx, never a 500 ------------------------
start_server --in-memory
JSON=(-H 'Content-Type: application/json')
req DELETE /_otts/outbox/%FF
expect_status "DELETE /_otts/outbox/%FF (an id that is not UTF-8)" 404
expect_json "the 404 in S3's shape" 'd["error"]["code"]' '"not_found"'
ACCESS_CLAIMS="\"email\":\"u@example.com\",\"sub\":\"u@example.com\",\"license_key_hash\":\"x\",\"license_expires_at\":\"2999-01-01T00:00:00Z\",\"exp\":$EXP"
for odd in 5 '{}' '[]' null; do
    req POST /token/redeem "${JSON[@]}" -d "{\"nonce\":\"$EXPIRED_NONCE\",\"pow\":\"0\"}" -H "Authorization: Bearer $(craft "$HS_HEADER" \
        "{\"op\":$odd,\"jti\":\"$(uuid)\",\"iat\":$NOW,\"exp\":$EXP,\"nonce\":\"$EXPIRED_NONCE\",\"pow_difficulty\":0,\"pow_prefix\":\"\"}")"
    expect_status "POST /token/redeem, op $odd" 401
    expect_json "S0's invalid_token" 'd' '{"error":"invalid_token"}'
    req POST /tokens "${JSON[@]}" -d "{\"token\":\"$(craft "$HS_HEADER" "{\"op\":$odd,\"uuid\":\"$(uuid)\",\"exp\":$EXP}")\"}"
    expect_status "POST /tokens, op $odd" 401
    expect_json "S1's refusal" 'd["isValid"]' 'false'
    req POST /v1/auth/logout -H "Authorization: Bearer $(peer_sign "{\"type\":$odd,$ACCESS_CLAIMS}" ES256 "$LICENSE_KEY")"
    expect_status "POST /v1/auth/logout, type $odd" 401
done
req POST /v1/auth/logout -H "Authorization: Bearer $(peer_sign "{\"type\":\"access\",$ACCESS_CLAIMS}" ES256 "$LICENSE_KEY")"
expect_status "control: the same access token with type \"access\" logs out" 200

# A WebSocket client whose User-Agent is not UTF-8 stays listed, and the lists still answer.
WS_URL=$(sed -n 's/^otts serve websocket on //p' "$WORK/serve.out")
cat >"$WORK/ws_hold.py" <<'PY'
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)))
s.sendall(b"GET / HTTP/1.1\r\nHost: " + sys.argv[1].encode() + b"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nUser-Agent: \xff\r\n\r\n")
print(s.recv(4096).split(b"\r\n")[0].decode(), flush=True)
sys.stdin.read()  # hold the connection until the test closes the pipe
PY
mkfifo "$WORK/ws-hold"
"$PYTHON" "$WORK/ws_hold.py" "${WS_URL#ws://}" <"$WORK/ws-hold" >"$WORK/ws.out" &
WS_PID=$!
exec 3>"$WORK/ws-hold"
for _ in $(seq 100); do [ -s "$WORK/ws.out" ] && break; sleep 0.05; done
grep -q " 101 " "$WORK/ws.out" && pass "WebSocket handshake with User-Agent 0xFF" || fail "handshake: $(cat "$WORK/ws.out")"
req GET /@connections
expect_status "GET /@connections with that client connected" 200
CONN_ID=$(jget 'd["connections"][0]["connectionId"]' 2>/dev/null | tr -d '"') || true
req GET "/@connections/$CONN_ID"
expect_status "GET /@connections/{id} of that client" 200
expect_json "its User-Agent with U+FFFD" 'd["identity"]["userAgent"]' '"\ufffd"'
exec 3>&-
wait "$WS_PID" || true

# --- otts serve start-up errors: reported as every command reports its errors (issue 11) --------
bad 2 "serve on a port another socket holds" -- refused_port "$OTTS_BIN" serve --port {PORT} --ws-port 0 --in-memory
bad 2 "serve on a WebSocket port another socket holds" -- refused_port "$OTTS_BIN" serve --port 0 --ws-port {PORT} --in-memory
bad 20 "serve with its store under /dev/null" -- timeout 20 "$OTTS_BIN" serve --port 0 --ws-port 0 --db /dev/null/x/otts.db
says "/dev/null/x/otts.db"

# The shared secret never appears in any of the messages above.
grep -qF "$SECRET" "$WORK/all-output" && fail "the shared secret appeared in output" \
    || pass "the shared secret is in none of $(wc -l <"$WORK/all-output") lines of output"

finish
