#include "tests/support/pin_store_contract.hpp"
#include "tests/support/fake_clock.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace otts::test {
namespace {

constexpr UnixSeconds k_ttl = 12 * 3600;
constexpr UnixSeconds k_cooldown = 300;
const std::string k_email = "user@example.com";
const std::string k_license = "sha256:license";

PinRow row(const std::string& hash, UnixSeconds created_at = k_now, const std::string& email = k_email) {
    return PinRow{email, hash, k_license, "pin_" + std::to_string(created_at), created_at, created_at + k_ttl, 0};
}

PinPut put(PinStore& store, const PinRow& r, UnixSeconds cooldown = 0) {
    auto result = store.put_pin(r, cooldown);
    REQUIRE(result.ok());
    return *result;
}

PinVerdict consume(PinStore& store, const std::string& hash, UnixSeconds now = k_now + 1,
                   const std::string& license = k_license, const std::string& email = k_email) {
    auto result = store.consume_pin(email, hash, license, now, PinStore::k_max_attempts);
    REQUIRE(result.ok());
    return *result;
}

std::optional<PinRow> get(PinStore& store, UnixSeconds now = k_now + 1) {
    auto result = store.get_pin(k_email, now);
    REQUIRE(result.ok());
    return *result;
}

void put_sections(const PinStoreMaker& make) {
    SECTION("put then get returns the row with no tries counted") {
        auto store = make();
        CHECK(put(*store, row("h1")).stored);
        const auto got = get(*store);
        REQUIRE(got);
        CHECK(got->pin_hash == "h1");
        CHECK(got->license_key_hash == k_license);
        CHECK(got->pin_id == "pin_" + std::to_string(k_now));
        CHECK(got->created_at == k_now);
        CHECK(got->expires_at == k_now + k_ttl);
        CHECK(got->attempts == 0);
    }
    SECTION("a new PIN supersedes the old one and starts with fresh tries") {
        auto store = make();
        put(*store, row("old"));
        CHECK(consume(*store, "wrong").outcome == PinOutcome::wrong);
        CHECK(put(*store, row("new", k_now + 10)).stored);
        CHECK(get(*store, k_now + 11)->attempts == 0);
        CHECK(consume(*store, "old", k_now + 11).outcome == PinOutcome::wrong);
        CHECK(consume(*store, "new", k_now + 11).outcome == PinOutcome::consumed);
    }
    SECTION("within the cooldown a put is refused and names the blocking row's age") {
        auto store = make();
        put(*store, row("h1"), k_cooldown);
        const auto refused = put(*store, row("h2", k_now + k_cooldown - 1), k_cooldown);
        CHECK_FALSE(refused.stored);
        CHECK(refused.blocking_created_at == k_now);
        CHECK(get(*store)->pin_hash == "h1");
        CHECK(put(*store, row("h3", k_now + k_cooldown), k_cooldown).stored);
        CHECK(get(*store, k_now + k_cooldown)->pin_hash == "h3");
    }
    SECTION("cooldown 0 always supersedes, and an expired row never blocks") {
        auto store = make();
        put(*store, row("h1"));
        CHECK(put(*store, row("h2", k_now + 1)).stored);
        auto short_lived = row("h3", k_now + 2);
        short_lived.expires_at = k_now + 3;
        CHECK(put(*store, short_lived).stored);
        CHECK(put(*store, row("h4", k_now + 3), k_cooldown).stored);
    }
    SECTION("emails are separate rows") {
        auto store = make();
        put(*store, row("a", k_now, "a@example.com"), k_cooldown);
        CHECK(put(*store, row("b", k_now, "b@example.com"), k_cooldown).stored);
        CHECK(consume(*store, "a", k_now + 1, k_license, "b@example.com").outcome == PinOutcome::wrong);
        CHECK(consume(*store, "a", k_now + 1, k_license, "a@example.com").outcome == PinOutcome::consumed);
    }
}

void consume_sections(const PinStoreMaker& make) {
    SECTION("the right PIN consumes the row once; then there is no PIN") {
        auto store = make();
        put(*store, row("h"));
        CHECK(consume(*store, "h").outcome == PinOutcome::consumed);
        CHECK(consume(*store, "h").outcome == PinOutcome::not_found);
        CHECK_FALSE(get(*store));
    }
    SECTION("wrong tries count down; the fifth kills the PIN, even for the right one after") {
        auto store = make();
        put(*store, row("h"));
        for (int left = 4; left >= 1; --left) {
            const auto verdict = consume(*store, "bad");
            CHECK(verdict.outcome == PinOutcome::wrong);
            CHECK(verdict.attempts_left == left);
        }
        CHECK(consume(*store, "bad").outcome == PinOutcome::exhausted);
        CHECK(consume(*store, "h").outcome == PinOutcome::exhausted);
        CHECK(get(*store)->attempts == PinStore::k_max_attempts);
    }
    SECTION("the right PIN for another license is a wrong try") {
        auto store = make();
        put(*store, row("h"));
        CHECK(consume(*store, "h", k_now + 1, "sha256:other").outcome == PinOutcome::wrong);
        CHECK(consume(*store, "h").outcome == PinOutcome::consumed);
    }
    SECTION("an expired PIN is not found, before any sweep") {
        auto store = make();
        put(*store, row("h"));
        CHECK(consume(*store, "h", k_now + k_ttl).outcome == PinOutcome::not_found);
        CHECK_FALSE(get(*store, k_now + k_ttl));
    }
    SECTION("no PIN at all is not found") {
        auto store = make();
        CHECK(consume(*store, "h").outcome == PinOutcome::not_found);
    }
    SECTION("sweep deletes expired rows only") {
        auto store = make();
        put(*store, row("a", k_now, "a@example.com"));
        put(*store, row("b", k_now + 100, "b@example.com"));
        auto swept = store->sweep_pins(k_now + k_ttl);
        REQUIRE(swept.ok());
        CHECK(*swept == 1);
        CHECK(consume(*store, "b", k_now + k_ttl, k_license, "b@example.com").outcome == PinOutcome::consumed);
    }
}

// Runs `threads` concurrent consumes of the one PIN with the hash `pick(thread)`.
std::vector<PinOutcome> race(PinStore& store, int threads, const std::function<std::string(int)>& pick) {
    std::vector<PinOutcome> outcomes(threads);
    std::atomic<bool> go{false};
    std::atomic<int> errors{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            auto verdict = store.consume_pin(k_email, pick(t), k_license, k_now + 1, PinStore::k_max_attempts);
            if (verdict.ok())
                outcomes[t] = verdict->outcome;
            else
                ++errors;
        });
    }
    go = true;
    for (auto& th : pool) th.join();
    REQUIRE(errors.load() == 0);
    return outcomes;
}

void race_sections(const PinStoreMaker& make) {
    SECTION("8 threads with the right PIN: exactly one consumes it") {
        auto store = make();
        put(*store, row("h"));
        const auto outcomes = race(*store, 8, [](int) { return std::string("h"); });
        CHECK(std::count(outcomes.begin(), outcomes.end(), PinOutcome::consumed) == 1);
    }
    SECTION("16 racing guesses get at most 5 comparisons: the right one among late guesses loses") {
        auto store = make();
        put(*store, row("h"));
        const auto outcomes = race(*store, 16, [](int t) { return "bad" + std::to_string(t); });
        CHECK(std::count(outcomes.begin(), outcomes.end(), PinOutcome::wrong) == 4);
        CHECK(get(*store)->attempts == PinStore::k_max_attempts);
        CHECK(consume(*store, "h").outcome == PinOutcome::exhausted);
    }
}

}  // namespace

void run_pin_store_contract(const PinStoreMaker& make) {
    put_sections(make);
    consume_sections(make);
    race_sections(make);
}

}  // namespace otts::test
