#!/usr/bin/env bash
# The DynamoDB store against dynalite: the unit binary's hidden "[.dynamodb]" cases (the same
# Store, PinStore and SessionStore contract suites as SQLite, the outbox, DynamoDB specifics), then
# `otts dynamodb create-tables`, which must work twice and honour the table-name variables.
# The unit binary is next to the otts binary's build: OTTS_UNIT_TESTS overrides.
# shellcheck source=tests/blackbox/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/blackbox/serve_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.sh"  # jget
# shellcheck source=tests/blackbox/dynalite_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/dynalite_lib.sh"

require_dynalite
unset OTTS_TOKEN_TABLE TOKEN_TABLE OTTS_PINS_TABLE PINS_TABLE OTTS_OUTBOX_TABLE OTTS_CONNECTIONS_TABLE \
      CONNECTIONS_TABLE OTTS_SESSIONS_TABLE DYNAMODB_TABLE OTTS_DYNAMODB_ENDPOINT DYNAMODB_ENDPOINT 2>/dev/null || true
use_test_credentials
start_dynalite
pass "dynalite answers at $DYNAMODB_ENDPOINT"

# --- the contract suites, through the unit binary ---------------------------------------------
# OTTS_BIN is <build>/cli/otts; the unit binary is <build>/tests/otts_unit_tests.
UNIT_BIN=${OTTS_UNIT_TESTS:-$(dirname "$(dirname "$OTTS_BIN")")/tests/otts_unit_tests}
if [ ! -x "$UNIT_BIN" ]; then
    fail "unit test binary not found at $UNIT_BIN (build the otts_unit_tests target)"
else
    set +e
    "$UNIT_BIN" "[dynamodb]" >"$WORK/unit.out" 2>&1
    unit_status=$?
    set -e
    # Catch2 v2 ends with "All tests passed (N assertions in M test cases)" or a table with
    # "assertions: N | ...".
    assertions=$(grep -oE '\(([0-9]+) assertions? in|assertions: +[0-9]+' "$WORK/unit.out" | grep -oE '[0-9]+' | head -n1)
    if [ "$unit_status" -eq 0 ] && [ "${assertions:-0}" -gt 0 ]; then
        pass "[dynamodb] unit cases against dynalite: $(tail -n2 "$WORK/unit.out" | tr -s '\n' ' ')"
    else
        fail "[dynamodb] unit cases (exit $unit_status, ${assertions:-0} assertions): $(tail -n40 "$WORK/unit.out")"
    fi
fi

# --- otts dynamodb create-tables ----------------------------------------------------------------
tables=(bb-tokens bb-pins bb-outbox bb-connections bb-sessions bb-secrets)
expect_exit 0 "create-tables with DYNAMODB_ENDPOINT and the originals' table variables" -- \
    env TOKEN_TABLE=bb-tokens PINS_TABLE=bb-pins OTTS_OUTBOX_TABLE=bb-outbox CONNECTIONS_TABLE=bb-connections \
    DYNAMODB_TABLE=bb-sessions SECRETS_TABLE=bb-secrets "$OTTS_BIN" --json dynamodb create-tables
printf '%s' "$OUT" >"$WORK/first.json"
for name in "${tables[@]}"; do
    got=$(jget "[t['created'] for t in d['tables'] if t['name'] == '$name']" "$WORK/first.json" 2>/dev/null || echo "no JSON")
    if [ "$got" = "[true]" ]; then pass "$name created"; else fail "$name: created is $got; output: $OUT"; fi
done
keys=$(jget "[(t['key'], t['ttl_attribute'], t['status']) for t in d['tables']]" "$WORK/first.json" 2>/dev/null || true)
want='[["uuid","expiry","ACTIVE"],["email","expires_at","ACTIVE"],["id","expires_at","ACTIVE"],["connectionId","ttl","ACTIVE"],["session_id","ttl","ACTIVE"],["id","expiresAt","ACTIVE"]]'
if [ "$keys" = "$want" ]; then pass "keys and TTL attributes as DESIGN §8"; else fail "keys: $keys, wanted $want"; fi

expect_exit 0 "create-tables again, with --endpoint-url instead of DYNAMODB_ENDPOINT" -- \
    env -u DYNAMODB_ENDPOINT TOKEN_TABLE=bb-tokens PINS_TABLE=bb-pins OTTS_OUTBOX_TABLE=bb-outbox \
    CONNECTIONS_TABLE=bb-connections DYNAMODB_TABLE=bb-sessions SECRETS_TABLE=bb-secrets \
    "$OTTS_BIN" --json dynamodb create-tables --endpoint-url "$DYNAMODB_ENDPOINT"
printf '%s' "$OUT" >"$WORK/second.json"
got=$(jget "sorted(t['name'] for t in d['tables'] if not t['created'])" "$WORK/second.json" 2>/dev/null || echo "no JSON")
if [ "$got" = '["bb-connections","bb-outbox","bb-pins","bb-secrets","bb-sessions","bb-tokens"]' ]; then pass "second run keeps the six tables"; else
    fail "second run: existing tables $got; output: $OUT"; fi

curl -s -X POST "$DYNAMODB_ENDPOINT/" -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' -H 'X-Amz-Date: 20240101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{}' >"$WORK/listed.json"
got=$(jget "sorted(n for n in d['TableNames'] if n.startswith('bb-'))" "$WORK/listed.json" 2>/dev/null || cat "$WORK/listed.json")
if [ "$got" = '["bb-connections","bb-outbox","bb-pins","bb-secrets","bb-sessions","bb-tokens"]' ]; then pass "dynalite holds the six tables once"; else
    fail "dynalite lists: $got"; fi

expect_exit 0 "create-tables prints one line per table" -- "$OTTS_BIN" dynamodb create-tables
if [ "$(grep -c 'key ' <<<"$OUT")" -eq 6 ] && grep -q '^TokenTable  key uuid' <<<"$OUT"; then pass "human output"; else
    fail "human output: $OUT"; fi

expect_exit 2 "dynamodb without a subcommand is a usage error" -- "$OTTS_BIN" dynamodb
expect_exit 21 "an endpoint nobody answers on is endpoint_unreachable" -- \
    refused_port "$OTTS_BIN" dynamodb create-tables --endpoint-url "http://127.0.0.1:{PORT}"
expect_exit 2 "no AWS credentials is a key error" -- \
    env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$OTTS_BIN" dynamodb create-tables

finish
