# shellcheck shell=bash
# Helpers for black-box tests against dynalite, the DynamoDB peer from package.json (sourced
# after lib.sh). dynalite runs in memory on 127.0.0.1 on a port the system picks and is stopped
# by PID when the script exits. Tables turn ACTIVE (and vanish) at once: --createTableMs 0.

DYNALITE_BIN="$OTTS_SOURCE_DIR/node_modules/.bin/dynalite"
# Sourced after serve_lib.sh: dynalite joins its SERVER_PIDS, which its EXIT trap stops by PID.

# require_dynalite: returns 0 if dynalite and node are there. Otherwise fails under CI=true
# and skips (exit 0) elsewhere.
require_dynalite() {
    if [ -x "$DYNALITE_BIN" ] && command -v node >/dev/null; then return 0; fi
    if [ "${CI:-}" = true ]; then
        fail "dynalite is not installed (npm ci in $OTTS_SOURCE_DIR)"
        finish
    fi
    echo "skip: dynalite is not installed (npm ci in $OTTS_SOURCE_DIR)" >&2
    exit 0
}

# start_dynalite: starts dynalite on a port of the system's choosing, waits until it listens
# and exports DYNAMODB_ENDPOINT.
start_dynalite() {
    start_peer dynalite launch_dynalite
    export DYNAMODB_ENDPOINT=$PEER_URL
}
# dynalite's command line takes --port 0 for its default, 4567: its module listens on port 0.
launch_dynalite() {
    exec node -e 'const server = require("dynalite")({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, "127.0.0.1", () => console.log("dynalite listening at http://127.0.0.1:" + server.address().port));'
}

# Throw-away AWS credentials: dynalite checks that requests are signed, not by whom. Nothing
# from the caller's AWS setup may leak in (and nothing may reach AWS).
use_test_credentials() {
    unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE 2>/dev/null || true
    export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
}
