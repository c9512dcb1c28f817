#!/usr/bin/env bash
# The SES mailer against a real SES v2 peer (aws-ses-v2-local): the peer runs on a free port,
# the hidden Catch2 test [ses_peer] of otts_unit_tests sends a PIN mail through SesMailer with
# SES_ENDPOINT pointing at it and finds the mail in the peer's GET /store; this script then
# reads the store itself as a second witness. Then the whole path: the Lambda bootstrap with SES
# as its mailer answers a real S3 PIN request, and the mail with that PIN arrives at the peer;
# with the peer gone, the request still succeeds and the failure is logged (as the original).
# Dummy keys only: nothing here can reach AWS.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/lambda_lib.sh"

PEER="$OTTS_SOURCE_DIR/node_modules/.bin/aws-ses-v2-local"
UNIT_TESTS=${OTTS_UNIT_TESTS:-$(dirname "$OTTS_BIN")/../tests/otts_unit_tests}
[ -x "$PEER" ] || { fail "aws-ses-v2-local missing: run npm ci"; finish; }
[ -x "$UNIT_TESTS" ] || { fail "otts_unit_tests not found at $UNIT_TESTS: build it first"; finish; }

# --port 0: the peer binds a free port and prints it, so parallel tests never collide.
"$PEER" --host 127.0.0.1 --port 0 >"$WORK/ses.out" 2>"$WORK/ses.err" &
PEER_PID=$!
SERVER_PIDS+=("$PEER_PID")
SES_URL=""
for ((i = 0; i < 200; i++)); do
    port=$(sed -n 's/.*server running at http:\/\/[^ ]*:\([0-9][0-9]*\).*/\1/p' "$WORK/ses.out")
    if [ -n "$port" ]; then SES_URL="http://127.0.0.1:$port"; break; fi
    kill -0 "$PEER_PID" 2>/dev/null || break
    sleep 0.05
done
[ -n "$SES_URL" ] || { fail "aws-ses-v2-local did not start: $(cat "$WORK/ses.out" "$WORK/ses.err")"; finish; }
pass "aws-ses-v2-local listening at $SES_URL"

set +e
env -u AWS_SESSION_TOKEN -u AWS_PROFILE -u SES_CONFIGURATION_SET \
    SES_ENDPOINT="$SES_URL" SES_FROM_EMAIL=pins@otts.test AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
    "$UNIT_TESTS" "[ses_peer]" >"$WORK/unit.out" 2>&1
status=$?
set -e
# A skipped run would pass too: require the one test case with its assertions.
summary=$(grep -E '^All tests passed' "$WORK/unit.out" || true)
if [ "$status" -eq 0 ] && [[ "$summary" =~ \(([0-9]+)\ assertions?\ in\ 1\ test\ case\) ]] &&
    [ "${BASH_REMATCH[1]}" -ge 5 ]; then
    pass "SesMailer delivered to the peer: $summary"
else
    fail "[ses_peer] run (exit $status): $(cat "$WORK/unit.out")"
fi

curl -s -o "$WORK/store.json" "$SES_URL/store"
got=$("$PYTHON" -c '
import json, sys
emails = json.load(open(sys.argv[1]))["emails"]
print(sum(1 for e in emails if e["from"] == "pins@otts.test" and e["destination"]["to"] == ["user@example.com"]
          and "Your authentication PIN for otts is: " in e["body"]["text"]))' "$WORK/store.json" 2>&1) || true
if [ "$got" = "1" ]; then pass "the peer's store holds exactly the one PIN mail"; else
    fail "the peer's store: $got; $(cat "$WORK/store.json")"; fi

# --- a PIN request through the Lambda, mailed by SES ------------------------------------------
require_bootstrap
otts issue >/dev/null  # the data home: its license key pair signs the license below
LICENSE=$(otts license create --email dev@example.com --days 1)
LAMBDA_ENV=(JWT_SECRET="$(cat "$OTTS_HOME/secret")" LICENSE_PUBLIC_KEY="$OTTS_HOME/license.pub"
            OTTS_AUTH_TOKEN_KEY="$OTTS_HOME/license.key" OTTS_STORE="sqlite:$WORK/lambda.db"
            SES_ENDPOINT="$SES_URL" SES_FROM_EMAIL=pins@otts.test
            AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY)
start_runtime_api gateway
start_bootstrap
wait_first_next
URL=$GATEWAY_URL
req POST /v1/auth/request-pin -H 'Content-Type: application/json' -d "{\"license\":\"$LICENSE\"}"
expect_status "request-pin through the Lambda" 200
curl -s -o "$WORK/store.json" "$SES_URL/store"
PIN=$("$PYTHON" -c '
import json, re, sys
for e in json.load(open(sys.argv[1]))["emails"]:
    if e["destination"]["to"] == ["dev@example.com"]:
        print(re.search(r"\b(\d{6})\b", e["body"]["text"]).group(1))' "$WORK/store.json" 2>/dev/null || true)
[[ "$PIN" =~ ^[0-9]{6}$ ]] && pass "SES delivered the PIN mail to dev@example.com" || fail "no PIN mail: $(cat "$WORK/store.json")"
req POST /v1/auth/verify-pin -H 'Content-Type: application/json' -d "{\"license\":\"$LICENSE\",\"pin\":\"$PIN\"}"
expect_status "the mailed PIN signs in" 200

kill "$PEER_PID"; wait "$PEER_PID" 2>/dev/null || true
req POST /v1/auth/request-pin -H 'Content-Type: application/json' -d "{\"license\":\"$LICENSE\"}"
expect_status "request-pin with SES down still succeeds" 200
for ((i = 0; i < 100; i++)); do grep -q 'not sent' "$WORK/boot.err" && break; sleep 0.05; done
grep -q 'mail to d\*\*\*@example.com not sent' "$WORK/boot.err" && pass "the failed send is logged, address masked" ||
    fail "no log of the failed send: $(cat "$WORK/boot.err")"
grep -q 'dev@example.com' "$WORK/boot.err" && fail "the log shows the whole address" || pass "no whole address in the log"

finish
