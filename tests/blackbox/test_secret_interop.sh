#!/usr/bin/env bash
# S0 secrets, client side (DESIGN §13): `otts secret` and a sealed.fyi browser client (Node
# WebCrypto, tests/peers/sealed_crypto.mjs, the same calls as sealed.fyi's crypto.js) read each
# other's secrets through a real `otts serve`, with and without a passphrase; a read after the
# views are spent exits 13; burn deletes. Then the local-store mode (no --endpoint): create, get,
# get again (13), and a secret made locally is served by `otts serve` on the same data home.
# shellcheck source=tests/blackbox/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/blackbox/serve_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.sh"

PEER="$OTTS_SOURCE_DIR/tests/peers/sealed_crypto.mjs"
peer() { node "$PEER" "$@"; }

# A secret with newlines, UTF-8 and a trailing space, so byte-exactness shows.
printf 'line one\npässwörd ✓ 🔑\ntrailing ' >"$WORK/plain"
printf 'correct horse battery staple\n' >"$WORK/pass"
printf 'wrong horse\n' >"$WORK/wrong"

same_as_plain() {  # WHAT FILE
    if cmp -s "$WORK/plain" "$2"; then pass "$1: the plaintext, byte for byte"; else
        fail "$1: got '$(head -c 200 "$2")'"; fi
}

start_server --in-memory --pow-difficulty 10

# --- otts creates, Node WebCrypto reads -------------------------------------------------------
expect_exit 0 "otts secret create against otts serve" -- \
    otts --endpoint "$URL" --json secret create --views 1 --ttl 1h <"$WORK/plain"
echo "$OUT" >"$WORK/created.json"
LINK=$(jget 'd["link"]' "$WORK/created.json" | tr -d '"')
ID=$(jget 'd["id"]' "$WORK/created.json" | tr -d '"')
case $LINK in
    "$URL/#$ID:"*) pass "the link is <endpoint>/#<id>:<key>" ;;
    *) fail "link $LINK is not $URL/#$ID:<key>" ;;
esac
[[ $ID =~ ^[A-Za-z0-9_-]{22}$ ]] && pass "the id is 22 base64url characters" || fail "id '$ID'"
[[ $(jget 'd["burnToken"]' "$WORK/created.json") =~ ^\"[0-9a-f]{32}\"$ ]] && pass "burnToken is 32 hex" ||
    fail "burnToken: $(cat "$WORK/created.json")"
[ "${#LINK}" -eq $((${#URL} + 2 + 22 + 1 + 43)) ] && pass "the fragment is a bare 32-byte key" || fail "link length"

expect_exit 0 "Node WebCrypto decrypts otts's secret" -- peer get "$LINK" "$URL"
same_as_plain "Node reads otts's secret" "$WORK/out"
expect_exit 3 "a second read of a 1-view secret is not available (Node)" -- peer get "$LINK" "$URL"
expect_exit 13 "otts secret get after the views are spent exits 13" -- otts --endpoint "$URL" secret get "$LINK"
grep -q "not available" <<<"$ERR" && pass "... and says not available" || fail "stderr: $ERR"

# With a passphrase.
expect_exit 0 "otts secret create --passphrase-file" -- \
    otts --endpoint "$URL" secret create --views 2 --passphrase-file "$WORK/pass" <"$WORK/plain"
PLINK=$OUT
[ "${#PLINK}" -eq $((${#URL} + 2 + 22 + 1 + 80)) ] && pass "the fragment is wrapIV+wrappedKey+tag (60 bytes)" ||
    fail "passphrase link length: $PLINK"
expect_exit 2 "get without the passphrase is refused before a view is spent" -- \
    otts --endpoint "$URL" secret get "$PLINK"
expect_exit 0 "Node WebCrypto unwraps and decrypts otts's passphrase secret" -- \
    peer get "$PLINK" "$URL" --passphrase-file "$WORK/pass"
same_as_plain "Node reads otts's passphrase secret" "$WORK/out"
expect_exit 10 "a wrong passphrase cannot decrypt (exit 10)" -- \
    otts --endpoint "$URL" secret get "$PLINK" --passphrase-file "$WORK/wrong"
expect_exit 13 "the wrong-passphrase read spent the second view" -- \
    otts --endpoint "$URL" secret get "$PLINK" --passphrase-file "$WORK/pass"

# --- Node WebCrypto creates, otts reads ---------------------------------------------------------
expect_exit 0 "Node creates a secret (POST /token, its own PoW loop, POST /secrets)" -- \
    peer create "$URL" --views 2 <"$WORK/plain"
NLINK=$OUT
expect_exit 0 "otts secret get decrypts Node's secret" -- otts --endpoint "$URL" secret get "$NLINK"
same_as_plain "otts reads Node's secret" "$WORK/out"
expect_exit 0 "the second view of Node's 2-view secret" -- otts --endpoint "$URL" secret get "$NLINK"
expect_exit 13 "a third read of Node's 2-view secret exits 13" -- otts --endpoint "$URL" secret get "$NLINK"

expect_exit 0 "Node creates a passphrase secret" -- \
    peer create "$URL" --passphrase-file "$WORK/pass" <"$WORK/plain"
NPLINK=$OUT
if otts --endpoint "$URL" secret get "$NPLINK" --passphrase-file - <"$WORK/pass" >"$WORK/otts.out"; then
    same_as_plain "otts unwraps Node's passphrase secret (--passphrase-file -)" "$WORK/otts.out"
else
    fail "otts secret get of Node's passphrase secret"
fi

# --- burn ---------------------------------------------------------------------------------------
otts --endpoint "$URL" --json secret create --views 5 <"$WORK/plain" >"$WORK/burn.json"
BID=$(jget 'd["id"]' "$WORK/burn.json" | tr -d '"')
BLINK=$(jget 'd["link"]' "$WORK/burn.json" | tr -d '"')
BTOKEN=$(jget 'd["burnToken"]' "$WORK/burn.json" | tr -d '"')
expect_exit 0 "burn with a wrong token answers like any burn" -- \
    otts --endpoint "$URL" secret burn "$BID" --burn-token 00000000000000000000000000000000
expect_exit 0 "... and the secret is still there" -- otts --endpoint "$URL" secret get "$BLINK"
expect_exit 0 "burn with its token" -- otts --endpoint "$URL" secret burn "$BID" --burn-token "$BTOKEN"
expect_exit 13 "a burned secret is not available" -- otts --endpoint "$URL" secret get "$BLINK"

# --- bad input: clear errors, classed exit codes -----------------------------------------------
expect_exit 2 "a link without a key" -- otts --endpoint "$URL" secret get "$URL/#abc"
expect_exit 2 "an empty secret" -- otts --endpoint "$URL" secret create </dev/null
expect_exit 2 "--ttl under 15 minutes" -- otts --endpoint "$URL" secret create --ttl 60 <"$WORK/plain"
expect_exit 2 "--views 6" -- otts --endpoint "$URL" secret create --views 6 <"$WORK/plain"
expect_exit 2 "--passphrase-file - with create (stdin is the secret)" -- \
    otts --endpoint "$URL" secret create --passphrase-file - <"$WORK/plain"
head -c 52208 /dev/zero >"$WORK/largest"
expect_exit 0 "the largest secret the client allows (52,208 bytes) is one the server takes" -- \
    otts --endpoint "$URL" secret create <"$WORK/largest"
otts --endpoint "$URL" secret get "$OUT" >"$WORK/largest.out" && cmp -s "$WORK/largest" "$WORK/largest.out" &&
    pass "... and reads back whole" || fail "the largest secret did not read back"
head -c 52209 /dev/zero >"$WORK/big"
expect_exit 2 "a secret over 52,208 bytes" -- otts --endpoint "$URL" secret create <"$WORK/big"
grep -q "52208" <<<"$ERR" && pass "... naming the limit" || fail "stderr: $ERR"
expect_exit 13 "an unknown id" -- otts --endpoint "$URL" secret get "$URL/#AAAAAAAAAAAAAAAAAAAAAA:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
expect_exit 10 "a link whose key is neither 32 bytes nor a wrapped key" -- \
    otts --endpoint "$URL" secret get "${BLINK%:*}:AAEC"
if grep -rqF "correct horse" "$WORK/serve.err"; then fail "the passphrase reached the server log"; else
    pass "the passphrase never reaches the server log"; fi
stop_server

# --- local store (no --endpoint) ----------------------------------------------------------------
expect_exit 0 "local: otts secret create" -- otts secret create --views 1 <"$WORK/plain"
LLINK=$OUT
case $LLINK in http://127.0.0.1:8080/\#*) pass "local links name the local otts serve's page" ;; *) fail "$LLINK" ;; esac
otts secret get "$LLINK" >"$WORK/local.out" && same_as_plain "local: get" "$WORK/local.out" || fail "local get"
expect_exit 13 "local: get again exits 13" -- otts secret get "$LLINK"

expect_exit 0 "local: create a secret for otts serve to hand out" -- otts secret create --views 1 <"$WORK/plain"
SLINK=$OUT
start_server --pow-difficulty 10  # the data home's store, as the local commands used
expect_exit 0 "otts serve on the same data home serves the locally created secret to Node" -- \
    peer get "$SLINK" "$URL"
same_as_plain "Node reads the local secret through otts serve" "$WORK/out"
stop_server

finish
