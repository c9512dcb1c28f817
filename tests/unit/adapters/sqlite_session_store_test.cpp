#include "adapters/sqlite_session_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "adapters/sqlite_store.hpp"
#include "tests/support/session_store_contract.hpp"

using otts::SessionRecord;
using otts::SqliteStore;

namespace {

namespace fs = std::filesystem;

constexpr otts::UnixSeconds k_now = 1'700'000'000;

std::shared_ptr<SqliteStore> open_shared(const std::string& path) {
    auto store = SqliteStore::open(path);
    if (!store) FAIL(store.error().message());
    return std::shared_ptr<SqliteStore>(std::move(store).value());
}

// The SessionStore lives inside its SqliteStore: the aliasing pointer keeps the owner alive.
std::shared_ptr<otts::SessionStore> sessions_of(std::shared_ptr<SqliteStore> store) {
    auto* sessions = &store->sessions();
    return {std::move(store), sessions};
}

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "otts-sessions-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    fs::path m_path;
};

// Runs `sql` with a plain sqlite3 connection, independent of SqliteStore.
void raw_exec(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    const std::string detail = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    if (rc != SQLITE_OK) FAIL(detail);
}

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
