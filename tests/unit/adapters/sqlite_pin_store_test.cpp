#include "adapters/sqlite_pin_store.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "adapters/sqlite_store.hpp"
#include "tests/support/pin_store_contract.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/sqlite_fixture.hpp"

using otts::SqliteStore;

namespace {

using otts::test::open_shared;
using otts::test::TempDir;

namespace fs = std::filesystem;

using otts::test::k_now;

// The PinStore lives inside its SqliteStore: the aliasing pointer keeps the owner alive.
std::shared_ptr<otts::PinStore> pins_of(std::shared_ptr<SqliteStore> store) {
    auto* pins = &store->pins();
    return {std::move(store), pins};
}

}  // namespace

TEST_CASE("SqlitePinStore in memory meets the PinStore contract", "[pins][sqlite]") {
    otts::test::run_pin_store_contract([] { return pins_of(open_shared(":memory:")); });
}

TEST_CASE("SqlitePinStore on a file meets the PinStore contract", "[pins][sqlite]") {
    const TempDir dir("otts-pins");
    int n = 0;
    otts::test::run_pin_store_contract(
        [&] { return pins_of(open_shared(dir.file("pins-" + std::to_string(++n) + ".db"))); });
}

TEST_CASE("a PIN consumed through one connection is gone for another on the same file", "[pins][sqlite]") {
    const TempDir dir("otts-pins");
    const auto path = dir.file("otts.db");
    auto a = open_shared(path);
    auto b = open_shared(path);
    const otts::PinRow row{"u@example.com", "h", "sha256:l", "pin_1", k_now, k_now + 600, 0};
    REQUIRE(a->pins().put_pin(row, 300)->stored);
    CHECK_FALSE(b->pins().put_pin(row, 300)->stored);
    CHECK(b->pins().consume_pin(row.email, "h", "sha256:l", k_now + 1, 5)->outcome == otts::PinOutcome::consumed);
    CHECK(a->pins().consume_pin(row.email, "h", "sha256:l", k_now + 1, 5)->outcome == otts::PinOutcome::not_found);
}
