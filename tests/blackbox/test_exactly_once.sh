#!/usr/bin/env bash
# DESIGN §5: under any number of concurrent redeemers of one token, exactly one wins. Each round
# issues a fresh one-time token and starts 8 `otts verify` processes on it at the same moment
# (they all block on a FIFO and are released together); exactly one must exit 0 and the other
# seven 12 (already used). The same for create tokens redeemed with a PoW solution (the jti
# replay set, written at redeem time). Rounds: OTTS_EXACTLY_ONCE_ROUNDS (default 200).
source "$(dirname "$0")/lib.sh"

ROUNDS=${OTTS_EXACTLY_ONCE_ROUNDS:-200}
CREATE_ROUNDS=${OTTS_EXACTLY_ONCE_CREATE_ROUNDS:-25}
RACERS=8
USED=12

BARRIER="$WORK/barrier"
mkfifo "$BARRIER"
# Held open read-write by this shell for the whole run: racers can open the FIFO without
# blocking, then each blocks in `read` until the release below writes one line per racer.
exec 3<>"$BARRIER"

# race DESCRIPTION CMD...: runs CMD in RACERS processes released at once; sets WINS, LOSSES
# (exit 12) and OTHER (a description of any other exit code), and fails the round unless
# exactly one won and every other one lost with "already used".
race() {
    local what=$1; shift
    local pids=() codes=() i rc
    for ((i = 0; i < RACERS; i++)); do
        ( read -r _ <"$BARRIER"; exec "$@" >/dev/null 2>"$WORK/err.$i" ) &
        pids+=($!)
    done
    # Release all racers together.
    printf '\n%.0s' $(seq "$RACERS") >&3
    for i in "${!pids[@]}"; do
        set +e; wait "${pids[$i]}"; rc=$?; set -e
        codes+=("$rc")
    done
    WINS=0; LOSSES=0; OTHER=""
    for i in "${!codes[@]}"; do
        case "${codes[$i]}" in
            0) WINS=$((WINS + 1)) ;;
            "$USED")
                LOSSES=$((LOSSES + 1))
                grep -qi "used" "$WORK/err.$i" || OTHER+=" [racer $i exit 12 without an 'already used' message: $(cat "$WORK/err.$i")]" ;;
            *) OTHER+=" [racer $i exit ${codes[$i]}: $(cat "$WORK/err.$i")]" ;;
        esac
    done
    if [ "$WINS" -ne 1 ] || [ "$LOSSES" -ne $((RACERS - 1)) ] || [ -n "$OTHER" ]; then
        fail "$what: $WINS won, $LOSSES already used (exit codes: ${codes[*]})$OTHER"
        return 1
    fi
    return 0
}

start=$(date +%s)

# The data home exists before the races (its first creation is not what is measured here).
otts issue >/dev/null

bad=0
for ((round = 1; round <= ROUNDS; round++)); do
    token=$(otts issue --ttl 10m)
    race "one-time round $round" "$OTTS_BIN" verify "$token" || bad=$((bad + 1))
    # The token stays used afterwards, for everyone.
    if ((round % 50 == 0)); then
        expect_exit "$USED" "round $round: used afterwards" -- otts verify "$token"
    fi
done
[ "$bad" -eq 0 ] && pass "one-time: exactly one of $RACERS concurrent verifiers won in each of $ROUNDS rounds" \
    || fail "one-time: $bad of $ROUNDS rounds did not have exactly one winner"

bad=0
for ((round = 1; round <= CREATE_ROUNDS; round++)); do
    token=$(otts issue create --difficulty 0)
    race "create round $round" "$OTTS_BIN" verify "$token" --pow 1 || bad=$((bad + 1))
done
[ "$bad" -eq 0 ] && pass "create: exactly one of $RACERS concurrent redeemers won in each of $CREATE_ROUNDS rounds" \
    || fail "create: $bad of $CREATE_ROUNDS rounds did not have exactly one winner"

# A fresh data home raced by 8 first commands (half issue one-time tokens, which also create
# the store's schema): they must agree on one secret and one store.
export OTTS_HOME="$WORK/fresh-home"
pids=()
for ((i = 0; i < RACERS; i++)); do
    if ((i % 2)); then family=(user --user "u$i"); else family=(one-time); fi
    ( read -r _ <"$BARRIER"; exec "$OTTS_BIN" issue "${family[@]}" >"$WORK/fresh.$i" 2>"$WORK/fresh-err.$i" ) &
    pids+=($!)
done
printf '\n%.0s' $(seq "$RACERS") >&3
ok=1
for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then ok=0; fail "fresh home racer $i failed: $(cat "$WORK/fresh-err.$i")"; fi
done
if [ "$ok" -eq 1 ]; then
    agreed=1
    for ((i = 0; i < RACERS; i++)); do
        "$OTTS_BIN" verify "$(cat "$WORK/fresh.$i")" >/dev/null 2>"$WORK/fresh-err.$i" \
            || { agreed=0; echo "fresh token $i: $(cat "$WORK/fresh-err.$i")" >&2; }
    done
    [ "$agreed" -eq 1 ] && pass "8 first commands on a fresh data home agree on one secret and one store" \
        || fail "tokens from racing first commands do not all verify"
fi

exec 3>&-
echo "elapsed: $(($(date +%s) - start)) s"
finish
