#include "adapters/sqlite_pin_store.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "adapters/sqlite_store.hpp"
#include "tests/support/pin_store_contract.hpp"

using otts::SqliteStore;

namespace {

namespace fs = std::filesystem;

constexpr otts::UnixSeconds k_now = 1'700'000'000;

std::shared_ptr<SqliteStore> open_shared(const std::string& path) {
    auto store = SqliteStore::open(path);
    if (!store) FAIL(store.error().message());
    return std::shared_ptr<SqliteStore>(std::move(store).value());
}

// The PinStore lives inside its SqliteStore: the aliasing pointer keeps the owner alive.
std::shared_ptr<otts::PinStore> pins_of(std::shared_ptr<SqliteStore> store) {
    auto* pins = &store->pins();
    return {std::move(store), pins};
}

fs::path temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "otts-pins-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

}  // namespace

TEST_CASE("SqlitePinStore in memory meets the PinStore contract", "[pins][sqlite]") {
    otts::test::run_pin_store_contract([] { return pins_of(open_shared(":memory:")); });
}

TEST_CASE("SqlitePinStore on a file meets the PinStore contract", "[pins][sqlite]") {
    const auto dir = temp_dir();
    int n = 0;
    otts::test::run_pin_store_contract(
        [&] { return pins_of(open_shared((dir / ("pins-" + std::to_string(++n) + ".db")).string())); });
    fs::remove_all(dir);
}

TEST_CASE("a PIN consumed through one connection is gone for another on the same file", "[pins][sqlite]") {
    const auto dir = temp_dir();
    const auto path = (dir / "otts.db").string();
    auto a = open_shared(path);
    auto b = open_shared(path);
    const otts::PinRow row{"u@example.com", "h", "sha256:l", "pin_1", k_now, k_now + 600, 0};
    REQUIRE(a->pins().put_pin(row, 300)->stored);
    CHECK_FALSE(b->pins().put_pin(row, 300)->stored);
    CHECK(b->pins().consume_pin(row.email, "h", "sha256:l", k_now + 1, 5)->outcome == otts::PinOutcome::consumed);
    CHECK(a->pins().consume_pin(row.email, "h", "sha256:l", k_now + 1, 5)->outcome == otts::PinOutcome::not_found);
    fs::remove_all(dir);
}
