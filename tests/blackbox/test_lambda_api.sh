#!/usr/bin/env bash
# The emulator's route suite (tests/blackbox/api_suite.sh) through the Lambda bootstrap: the
# Runtime API stand-in also plays API Gateway, turning each curl request into a payload 2.0
# event and the bootstrap's answer back into HTTP. Same assertions as against `otts serve`, so
# the two front ends cannot drift; plus what only a deployment does (no emulator routes, no
# browser origin unless configured).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/lambda_lib.sh"
source "$(dirname "$0")/api_suite.sh"

require_bootstrap

# The data home's keys, handed to the Lambda as variables, so that tokens made by the CLI (the
# suite's "issued by another store" case) are signed as the Lambda's own.
otts issue >/dev/null
LAMBDA_ENV=(JWT_SECRET="$(cat "$OTTS_HOME/secret")" LICENSE_PUBLIC_KEY="$OTTS_HOME/license.pub"
            OTTS_AUTH_TOKEN_KEY="$OTTS_HOME/license.key" OTTS_STORE="sqlite:$WORK/lambda.db" OTTS_MAILER=outbox
            OTTS_POW_DIFFICULTY=4 OTTS_CORS_ORIGINS="http://localhost:5173, http://127.0.0.1:3000")
start_runtime_api gateway
start_bootstrap
wait_first_next
URL=$GATEWAY_URL

route_suite

# --- what a deployment does not serve ----------------------------------------------------------
for route in "GET /_otts/outbox" "POST /_otts/reset" "GET /@connections/abc="; do
    req ${route% *} "${route#* }"
    expect_status "$route is not served by the Lambda" 404
done
req GET /_otts/health
expect_json "health names the store" 'd["store"].startswith("sqlite:")' true
req GET /tokens -H 'Origin: http://localhost:8000'
[ -z "$(header access-control-allow-origin)" ] && pass "only the configured origins get CORS" ||
    fail "CORS allowed an unconfigured localhost origin"
finish
