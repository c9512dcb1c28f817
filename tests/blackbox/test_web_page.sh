#!/usr/bin/env bash
# The web page at GET / in a real browser (Debian's chromium via playwright-core): issue and
# validate a one-time token, get a create token, solve its PoW in a Web Worker, redeem it; and
# share an S0 secret (encrypted in the page) and reveal it from its link, with and without a
# passphrase, and read one with `otts secret get`; sign in with a license through the outbox, get
# a user token and open the WebSocket.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

if [ ! -x /usr/bin/chromium ]; then
    [ "${CI:-}" = true ] && { fail "chromium is missing (scripts/bootstrap installs it)"; finish; }
    echo "skip: /usr/bin/chromium is not installed"; exit 0
fi

start_server --in-memory --pow-difficulty 10 --ws-port 0 --fixed-pin 123456
req GET /
expect_status "GET / serves the page" 200
[[ $(header content-type) == text/html* ]] && pass "the page is HTML" || fail "content-type $(header content-type)"
if grep -Eo '(src|href)="https?://[^"]+' "$WORK/body" | grep -q .; then fail "the page loads something from outside"; else
    pass "nothing on the page loads from outside"; fi

LICENSE=$(otts license create --email page@example.com --days 1)
node "$OTTS_SOURCE_DIR/tests/peers/web_page.mjs" "$URL/" "$LICENSE" >"$WORK/page.out" 2>"$WORK/page.err" || true
cat "$WORK/page.out"
line() { sed -n "s/^$1: //p" "$WORK/page.out"; }

[ -z "$(line pageerror)$(line error)" ] && pass "no script errors" || fail "page errors: $(line pageerror) $(line error) $(cat "$WORK/page.err")"
[[ $(line "one-time first") == "200 Token validation successful" ]] && pass "one-time token validates once" || fail "first validation: $(line "one-time first")"
[[ $(line "one-time second") == 401* ]] && pass "a second validation is refused" || fail "second validation: $(line "one-time second")"
[[ $(line "pow challenge") == *"difficulty 10 bits"* ]] && pass "the page shows the challenge" || fail "challenge: $(line "pow challenge")"
[[ $(line "pow progress") =~ ^solved:\ [0-9]+\ after\ [0-9]+\ hashes\ in\ [0-9.]+\ s$ ]] && pass "the worker solved the PoW and shows the time" || fail "progress: $(line "pow progress")"
[[ $(line "pow redeem") == '200 {"jti":'*'"valid":true}' ]] && pass "the solution redeems" || fail "redeem: $(line "pow redeem")"
LINK_RE='^http://127\.0\.0\.1:[0-9]+/#[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$'
[[ $(line "secret link") =~ $LINK_RE ]] && pass "the page shares a secret as <page>#<id>:<key>" || fail "secret link: $(line "secret link")"
[[ $(line "secret reveal") == "ok page secret ✓" ]] && pass "the link reveals the secret in a fresh page" || fail "reveal: $(line "secret reveal")"
[[ $(line "secret reveal again") == "bad not available"* ]] && pass "a 1-view secret reveals once" || fail "reveal again: $(line "secret reveal again")"
[[ $(line "secret passphrase link") =~ ^http://.*#[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{80}$ ]] && pass "a passphrase link holds the wrapped key" || fail "passphrase link: $(line "secret passphrase link")"
[[ $(line "secret passphrase reveal") == "ok guarded ✓" ]] && pass "the passphrase reveals it" || fail "passphrase reveal: $(line "secret passphrase reveal")"
if otts --endpoint "$URL" secret get "$(line "secret for cli")" >"$WORK/cli.out" 2>"$WORK/cli.err" &&
    [ "$(cat "$WORK/cli.out")" = "from the page" ]; then pass "otts secret get decrypts a secret the page made"; else
    fail "otts secret get of the page's secret: $(cat "$WORK/cli.out" "$WORK/cli.err")"; fi
[[ $(line "pin sent") == "PIN sent to p***@example.com"* ]] && pass "the PIN request shows the masked address" || fail "pin sent: $(line "pin sent")"
[[ $(line "pin verify") == "signed in"* ]] && pass "the PIN from the outbox signs in" || fail "pin verify: $(line "pin verify")"
[[ $(line ws) == *'"message":"Connected"'* ]] && pass "the WebSocket says Connected" || fail "ws: $(line ws)"

finish
