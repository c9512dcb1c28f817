#!/usr/bin/env bash
# PoW interop (DESIGN §4): otts's solutions satisfy an independent hashlib checker, and an
# independent hashlib solver's solution redeems a create token issued by otts.
source "$(dirname "$0")/lib.sh"

PEERS="$OTTS_SOURCE_DIR/tests/peers"
NONCE=0123456789abcdef0123456789abcdef  # 32 characters, like the tokens' nonces

# Prefix lengths put prefix + nonce at 32, 39, 55, 56, 63, 64, 96 and 132 bytes: every case of
# the solver's final-block layout, including the ones that need a '0' filler.
check_otts_solutions() {
    local length difficulty prefix
    for length in 0 7 23 24 31 32 64 100; do
        prefix=$(printf 'p%.0s' $(seq 1 "$length"))
        for difficulty in 0 1 8 13 20; do
            if [ -z "$prefix" ]; then
                expect_exit 0 "solve-pow, empty prefix, difficulty $difficulty" -- \
                    otts solve-pow --nonce "$NONCE" --difficulty "$difficulty"
            else
                expect_exit 0 "solve-pow, prefix of $length, difficulty $difficulty" -- \
                    otts solve-pow --prefix "$prefix" --nonce "$NONCE" --difficulty "$difficulty"
            fi
            if [ "${#OUT}" -gt 64 ] || ! [[ "$OUT" =~ ^[0-9]+$ ]]; then
                fail "solution '$OUT' is not 1..64 decimal digits"
            elif pow_check "$prefix" "$NONCE" "$OUT" "$difficulty"; then
                pass "hashlib accepts '$OUT' (prefix $length, difficulty $difficulty)"
            else
                fail "hashlib rejects otts's solution '$OUT' (prefix $length, difficulty $difficulty)"
            fi
        done
    done
}

check_peer_solution_redeems() {
    local token solution
    token=$(otts issue create --difficulty 14)
    solution=$("$PYTHON" "$PEERS/pow_solve.py" "$(claim "$token" pow_prefix)" "$(claim "$token" nonce)" \
        "$(claim "$token" pow_difficulty)")
    expect_exit 0 "hashlib solver's solution $solution redeems an otts create token" -- \
        otts verify "$token" --pow "$solution"
    expect_exit 12 "the same create token cannot be redeemed twice" -- otts verify "$token" --pow "$solution"

    token=$(otts issue create --difficulty 14)
    expect_exit 14 "a wrong solution is rejected with the PoW exit code" -- \
        otts verify "$token" --pow "$(wrong_pow "$token")"
    expect_exit 0 "the token is still redeemable after the wrong attempt" -- \
        otts verify "$token" --pow "$(otts solve-pow "$token")"
}

check_bounds() {
    expect_exit 14 "solve-pow gives up at --max-iterations" -- \
        otts solve-pow --nonce "$NONCE" --difficulty 60 --max-iterations 100000
    expect_exit 14 "solve-pow gives up at --timeout" -- \
        otts solve-pow --nonce "$NONCE" --difficulty 64 --timeout 0.5
}

check_otts_solutions
check_peer_solution_redeems
check_bounds
finish
