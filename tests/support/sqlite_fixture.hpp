#pragma once
// SQLite stores for tests: a fresh temporary directory, stores opened on a file or in memory
// (failing the test, not returning an error), and a store shared by the port views it hands out.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <sqlite3.h>

#include "adapters/sqlite_store.hpp"

namespace otts::test {

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "otts-test") {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

// SqliteStore::open(path), or the test fails with the store's message.
inline std::unique_ptr<SqliteStore> open_sqlite(const std::string& path) {
    auto store = SqliteStore::open(path);
    if (!store) FAIL(store.error().message());
    return std::move(store).value();
}

inline std::unique_ptr<SqliteStore> open_memory() { return open_sqlite(":memory:"); }

inline std::shared_ptr<SqliteStore> open_shared(const std::string& path) { return open_sqlite(path); }

// Reads one value with a plain sqlite3 connection, independent of SqliteStore.
inline std::string raw_query(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

// Runs `sql` with a plain sqlite3 connection, independent of SqliteStore; fails the test with
// SQLite's message.
inline void raw_exec(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    const std::string detail = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    if (rc != SQLITE_OK) FAIL(detail);
}

}  // namespace otts::test
