#include "adapters/sqlite_session_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "adapters/sqlite_store.hpp"
#include "tests/support/session_store_contract.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/sqlite_fixture.hpp"

using otts::SessionRecord;
using otts::SqliteStore;

namespace {

using otts::test::raw_exec;

using otts::test::open_shared;
using otts::test::TempDir;

namespace fs = std::filesystem;

using otts::test::k_now;

// The SessionStore lives inside its SqliteStore: the aliasing pointer keeps the owner alive.
std::shared_ptr<otts::SessionStore> sessions_of(std::shared_ptr<SqliteStore> store) {
    auto* sessions = &store->sessions();
    return {std::move(store), sessions};
}

// Runs `sql` with a plain sqlite3 connection, independent of SqliteStore.
SessionRecord session(const std::string& id, otts::UnixSeconds expires_at) {
    return SessionRecord{id, R"({"id":")" + id + R"("})", k_now, expires_at};
}

}  // namespace

TEST_CASE("SqliteSessionStore in memory meets the SessionStore contract", "[sessions][sqlite]") {
    otts::test::run_session_store_contract([] { return sessions_of(open_shared(":memory:")); });
}

TEST_CASE("SqliteSessionStore on a file meets the SessionStore contract", "[sessions][sqlite]") {
    TempDir dir;
    int n = 0;
    otts::test::run_session_store_contract(
        [&] { return sessions_of(open_shared(dir.file("sessions-" + std::to_string(++n) + ".db"))); });
}

TEST_CASE("a session written through one connection is read through another on the same file", "[sessions][sqlite]") {
    TempDir dir;
    const auto path = dir.file("otts.db");
    auto a = open_shared(path);
    auto b = open_shared(path);
    REQUIRE(a->sessions().put_session(session("s", k_now + 60)).ok());
    CHECK(b->sessions().get_session("s", k_now)->value().data == R"({"id":"s"})");
    REQUIRE(b->sessions().delete_session("s").ok());
    CHECK_FALSE(*a->sessions().get_session("s", k_now));
}

TEST_CASE("a store file from before sessions gains the sessions table and keeps its rows", "[sessions][sqlite]") {
    TempDir dir;
    const auto path = dir.file("old.db");
    {
        auto store = open_shared(path);
        REQUIRE(store->put_token({otts::TokenKind::one_time, "kept", k_now + 60, std::nullopt}).ok());
    }
    // What an otts of schema version 2 left behind.
    raw_exec(path, "DROP TABLE sessions; PRAGMA user_version = 2;");
    auto store = open_shared(path);
    CHECK(store->get_token(otts::TokenKind::one_time, "kept", k_now)->has_value());
    REQUIRE(store->sessions().put_session(session("s", k_now + 60)).ok());
    CHECK(store->sessions().get_session("s", k_now)->has_value());
}

TEST_CASE("the store's sweep and reset cover sessions", "[sessions][sqlite]") {
    auto store = open_shared(":memory:");
    REQUIRE(store->put_token({otts::TokenKind::one_time, "t", k_now + 10, std::nullopt}).ok());
    REQUIRE(store->sessions().put_session(session("old", k_now + 10)).ok());
    REQUIRE(store->sessions().put_session(session("new", k_now + 20)).ok());
    CHECK(*store->sweep(k_now + 9) == 0);
    CHECK(*store->sweep(k_now + 10) == 2);
    CHECK(store->sessions().get_session("new", k_now + 10)->has_value());
    otts::Resettable& resettable = *store;
    CHECK(*resettable.reset() == 1);
    CHECK_FALSE(*store->sessions().get_session("new", k_now + 10));
}
