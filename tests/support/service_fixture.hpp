#pragma once
// A fake clock, seeded randomness and a real in-memory SQLite store, wired as Ports.
#include <memory>

#include "adapters/sqlite_store.hpp"
#include "core/jose/jwt.hpp"
#include "core/ports/ports.hpp"
#include "tests/support/failing_store.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"

namespace otts::test {

struct ServiceFixture {
    FakeClock clock;
    SeededRandom random;
    std::unique_ptr<SqliteStore> sqlite = std::move(SqliteStore::open(":memory:").value());
    FailingStore store{*sqlite};
    Ports ports{store, clock, random};

    static jwt::KeySet hs_keys(const std::string& secret = std::string(32, 'k')) {
        return {jwt::Key::hs256(secret, "k1").value()};
    }
};

}  // namespace otts::test
