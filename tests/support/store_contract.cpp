#include "tests/support/store_contract.hpp"
#include "tests/support/fake_clock.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

namespace otts::test {
namespace {

constexpr UnixSeconds k_exp = k_now + 600;

TokenRow live_row(const std::string& id, TokenKind kind = TokenKind::one_time) {
    return TokenRow{kind, id, k_exp, std::nullopt};
}

void put(Store& store, const TokenRow& row) {
    const auto result = store.put_token(row);
    REQUIRE(result.ok());
}

ConsumeOutcome consume(Store& store, const std::string& id, UnixSeconds now = k_now,
                       TokenKind kind = TokenKind::one_time) {
    auto outcome = store.consume_token(kind, id, now);
    REQUIRE(outcome.ok());
    return *outcome;
}

ConsumeOutcome record(Store& store, const std::string& id, UnixSeconds expires_at = k_exp, UnixSeconds now = k_now) {
    auto outcome = store.record_once(TokenKind::create_jti, id, expires_at, now);
    REQUIRE(outcome.ok());
    return *outcome;
}

std::optional<TokenRow> get(Store& store, const std::string& id, UnixSeconds now = k_now,
                            TokenKind kind = TokenKind::one_time) {
    auto row = store.get_token(kind, id, now);
    REQUIRE(row.ok());
    return *row;
}

// Runs `op(id)` for every id from `threads` threads at once and counts the wins per id.
template <typename Op>
std::vector<int> race(int threads, int ids, Op op) {
    std::vector<std::atomic<int>> wins(ids);
    std::atomic<int> errors{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            while (!go.load()) std::this_thread::yield();
            for (int i = 0; i < ids; ++i) {
                auto outcome = op("id-" + std::to_string(i));
                if (!outcome.ok())
                    ++errors;
                else if (*outcome == ConsumeOutcome::consumed)
                    ++wins[i];
            }
        });
    }
    go = true;
    for (auto& th : pool) th.join();
    REQUIRE(errors.load() == 0);
    return std::vector<int>(wins.begin(), wins.end());
}

void single_use_sections(const StoreMaker& make) {
    SECTION("the first consume of a live row wins and later ones answer already_used") {
        auto store = make();
        put(*store, live_row("a"));
        CHECK(consume(*store, "a") == ConsumeOutcome::consumed);
        CHECK(consume(*store, "a") == ConsumeOutcome::already_used);
        CHECK(consume(*store, "a", k_exp - 1) == ConsumeOutcome::already_used);
    }
    SECTION("a consumed row stays readable as a tombstone with its consumed_at") {
        auto store = make();
        put(*store, live_row("a"));
        REQUIRE(consume(*store, "a", k_now + 5) == ConsumeOutcome::consumed);
        const auto row = get(*store, "a");
        REQUIRE(row);
        CHECK(row->consumed_at == k_now + 5);
    }
    SECTION("consume of an id never stored answers not_found") {
        auto store = make();
        CHECK(consume(*store, "missing") == ConsumeOutcome::not_found);
    }
    SECTION("consume at or after expires_at answers expired, consumed or not") {
        auto store = make();
        put(*store, live_row("fresh"));
        put(*store, live_row("used"));
        REQUIRE(consume(*store, "used") == ConsumeOutcome::consumed);
        CHECK(consume(*store, "fresh", k_exp) == ConsumeOutcome::expired);
        CHECK(consume(*store, "used", k_exp + 1) == ConsumeOutcome::expired);
        CHECK(get(*store, "fresh", k_exp - 1)->consumed_at == std::nullopt);
    }
    SECTION("kinds are separate: the same id in two kinds are two rows") {
        auto store = make();
        put(*store, live_row("x", TokenKind::one_time));
        CHECK(consume(*store, "x", k_now, TokenKind::create_jti) == ConsumeOutcome::not_found);
        CHECK(record(*store, "x") == ConsumeOutcome::consumed);
        CHECK(consume(*store, "x") == ConsumeOutcome::consumed);
    }
}

void put_get_sections(const StoreMaker& make) {
    SECTION("put then get returns the row, unconsumed") {
        auto store = make();
        put(*store, live_row("a"));
        const auto row = get(*store, "a");
        REQUIRE(row);
        CHECK(row->kind == TokenKind::one_time);
        CHECK(row->id == "a");
        CHECK(row->expires_at == k_exp);
        CHECK_FALSE(row->consumed_at);
    }
    SECTION("put of an existing kind and id fails with store_error") {
        auto store = make();
        put(*store, live_row("a"));
        const auto again = store->put_token(live_row("a"));
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().code == ErrorCode::store_error);
    }
    SECTION("get of an unknown id is empty") {
        auto store = make();
        CHECK_FALSE(get(*store, "nope"));
    }
    SECTION("an expired row reads as absent from expires_at on, before any sweep") {
        auto store = make();
        put(*store, live_row("a"));
        CHECK(get(*store, "a", k_exp - 1));
        CHECK_FALSE(get(*store, "a", k_exp));
    }
    SECTION("ids are data, whatever characters they hold") {
        auto store = make();
        const std::string odd = "it's \"odd\"; DROP TABLE tokens; -- \xC3\xA9\xF0\x9F\x94\x91";
        put(*store, live_row(odd));
        CHECK(get(*store, odd)->id == odd);
        CHECK(consume(*store, odd) == ConsumeOutcome::consumed);
        CHECK_FALSE(get(*store, "it's"));
    }
}

void record_once_sections(const StoreMaker& make) {
    SECTION("record_once answers consumed once, then already_used until expires_at") {
        auto store = make();
        CHECK(record(*store, "j") == ConsumeOutcome::consumed);
        CHECK(record(*store, "j") == ConsumeOutcome::already_used);
        CHECK(record(*store, "j", k_exp + 600, k_exp - 1) == ConsumeOutcome::already_used);
        const auto row = get(*store, "j", k_now, TokenKind::create_jti);
        REQUIRE(row);
        CHECK(row->consumed_at == k_now);
        CHECK(row->expires_at == k_exp);
    }
    SECTION("record_once over an expired, unswept row records afresh") {
        auto store = make();
        REQUIRE(record(*store, "j") == ConsumeOutcome::consumed);
        CHECK(record(*store, "j", k_exp + 600, k_exp) == ConsumeOutcome::consumed);
        const auto row = get(*store, "j", k_exp, TokenKind::create_jti);
        REQUIRE(row);
        CHECK(row->expires_at == k_exp + 600);
        CHECK(row->consumed_at == k_exp);
    }
}

void sweep_sections(const StoreMaker& make) {
    SECTION("sweep deletes exactly the rows whose expires_at <= now and counts them") {
        auto store = make();
        put(*store, TokenRow{TokenKind::one_time, "old", k_now - 1, std::nullopt});
        put(*store, TokenRow{TokenKind::one_time, "edge", k_now, std::nullopt});
        put(*store, live_row("live"));
        REQUIRE(record(*store, "old-jti", k_now - 10, k_now - 20) == ConsumeOutcome::consumed);
        auto swept = store->sweep(k_now);
        REQUIRE(swept.ok());
        CHECK(*swept == 3);
        CHECK(consume(*store, "old", k_now - 5) == ConsumeOutcome::not_found);
        CHECK(consume(*store, "live") == ConsumeOutcome::consumed);
        CHECK(*store->sweep(k_now) == 0);
    }
    SECTION("a swept tombstone answers not_found") {
        auto store = make();
        put(*store, live_row("a"));
        REQUIRE(consume(*store, "a") == ConsumeOutcome::consumed);
        REQUIRE(*store->sweep(k_exp) == 1);
        CHECK(consume(*store, "a", k_now) == ConsumeOutcome::not_found);
    }
}

void concurrency_sections(const StoreMaker& make) {
    constexpr int k_threads = 8;
    constexpr int k_ids = 200;
    SECTION("concurrent consumers of one row: exactly one wins") {
        auto store = make();
        for (int i = 0; i < k_ids; ++i) put(*store, live_row("id-" + std::to_string(i)));
        const auto wins = race(k_threads, k_ids, [&](const std::string& id) {
            return store->consume_token(TokenKind::one_time, id, k_now);
        });
        for (int i = 0; i < k_ids; ++i) CHECK(wins[i] == 1);
    }
    SECTION("concurrent record_once of one id: exactly one wins") {
        auto store = make();
        const auto wins = race(k_threads, k_ids, [&](const std::string& id) {
            return store->record_once(TokenKind::create_jti, id, k_exp, k_now);
        });
        for (int i = 0; i < k_ids; ++i) CHECK(wins[i] == 1);
    }
}

}  // namespace

void run_store_contract(const StoreMaker& make) {
    put_get_sections(make);
    single_use_sections(make);
    record_once_sections(make);
    sweep_sections(make);
    concurrency_sections(make);
}

}  // namespace otts::test
