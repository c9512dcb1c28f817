#include "core/pins/pin_verdict.hpp"

#include <catch2/catch.hpp>

using namespace otts;

namespace {

constexpr UnixSeconds k_verdict_now = 1'700'000'000;

PinRow pin_row(int attempts, UnixSeconds expires_at = k_verdict_now + 60) {
    PinRow r;
    r.email = "user@example.com";
    r.pin_hash = "pin-hash";
    r.license_key_hash = "sha256:license";
    r.pin_id = "pin_1";
    r.expires_at = expires_at;
    r.attempts = attempts;
    return r;
}

}  // namespace

TEST_CASE("a counted try with the right PIN and license consumes, even the last allowed one", "[pins][pin_verdict]") {
    for (int attempts : {1, 4, 5}) {
        INFO(attempts);
        CHECK(counted_try_verdict(pin_row(attempts), "pin-hash", "sha256:license", 5).outcome == PinOutcome::consumed);
    }
}

TEST_CASE("a counted wrong try says how many tries are left, and none after the last", "[pins][pin_verdict]") {
    const auto first = counted_try_verdict(pin_row(1), "other", "sha256:license", 5);
    CHECK(first.outcome == PinOutcome::wrong);
    CHECK(first.attempts_left == 4);
    CHECK(counted_try_verdict(pin_row(4), "other", "sha256:license", 5).attempts_left == 1);
    CHECK(counted_try_verdict(pin_row(5), "other", "sha256:license", 5).outcome == PinOutcome::exhausted);
    CHECK(counted_try_verdict(pin_row(2), "other", "sha256:license", 2).outcome == PinOutcome::exhausted);
}

TEST_CASE("the right PIN sent with another license is a wrong try", "[pins][pin_verdict]") {
    const auto verdict = counted_try_verdict(pin_row(1), "pin-hash", "sha256:another", 5);
    CHECK(verdict.outcome == PinOutcome::wrong);
    CHECK(verdict.attempts_left == 4);
}

TEST_CASE("an uncounted try is exhausted only against a live PIN whose tries are used up", "[pins][pin_verdict]") {
    CHECK(uncounted_try_verdict(pin_row(5), k_verdict_now, 5).outcome == PinOutcome::exhausted);
    CHECK(uncounted_try_verdict(pin_row(7), k_verdict_now, 5).outcome == PinOutcome::exhausted);
    CHECK(uncounted_try_verdict(std::nullopt, k_verdict_now, 5).outcome == PinOutcome::not_found);
    CHECK(uncounted_try_verdict(pin_row(5, k_verdict_now), k_verdict_now, 5).outcome ==
          PinOutcome::not_found);  // expired
    // Tries left: a new PIN written after the refusal, which this try was not made against.
    CHECK(uncounted_try_verdict(pin_row(0), k_verdict_now, 5).outcome == PinOutcome::not_found);
}
