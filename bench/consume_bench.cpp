// Single-use consume throughput on a real SQLite file, through SqliteStore and, as the peer, a
// bare sqlite3 loop running the same UPDATE with one prepared statement and the same pragmas
// (WAL, synchronous=NORMAL). Prints `name value` lines. Usage: consume_bench [rows]
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "adapters/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;
using otts::TokenKind;

constexpr otts::UnixSeconds k_now = 1'700'000'000;
constexpr otts::UnixSeconds k_exp = k_now + 3600;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "consume_bench: %s\n", what.c_str());
    std::exit(1);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string id_of(int i) { return "00000000-0000-4000-8000-" + std::to_string(100000000000 + i); }

void bench_store(const std::string& path, int rows) {
    auto opened = otts::SqliteStore::open(path);
    if (!opened) die(opened.error().message());
    auto& store = **opened;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < rows; ++i)
        if (!store.put_token({TokenKind::one_time, id_of(i), k_exp, std::nullopt})) die("put_token failed");
    std::printf("sqlite_put_ops_per_s %.0f\n", rows / seconds_since(start));
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < rows; ++i) {
        auto outcome = store.consume_token(TokenKind::one_time, id_of(i), k_now);
        if (!outcome || *outcome != otts::ConsumeOutcome::consumed) die("consume_token did not consume");
    }
    const double rate = rows / seconds_since(start);
    std::printf("sqlite_consume_ops_per_s %.0f\n", rate);
}

void check(sqlite3* db, int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) die(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) { check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql); }

// Loads the rows in one transaction: setup, not measured.
void load_rows(sqlite3* db, int rows) {
    exec(db, "BEGIN");
    sqlite3_stmt* insert = nullptr;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO tokens VALUES (1, ?1, ?2, NULL)", -1, &insert, nullptr), "prepare");
    for (int i = 0; i < rows; ++i) {
        const auto id = id_of(i);
        sqlite3_bind_text(insert, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 2, k_exp);
        check(db, sqlite3_step(insert), "insert");
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    exec(db, "COMMIT");
}

void bench_bare(const std::string& path, int rows) {
    sqlite3* db = nullptr;
    check(db, sqlite3_open(path.c_str(), &db), "open");
    sqlite3_busy_timeout(db, 5000);
    exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    exec(db,
         "CREATE TABLE tokens (kind INTEGER NOT NULL, id TEXT NOT NULL, expires_at INTEGER NOT NULL, "
         "consumed_at INTEGER, PRIMARY KEY (kind, id)) WITHOUT ROWID; "
         "CREATE INDEX tokens_by_expiry ON tokens (expires_at);");
    load_rows(db, rows);
    sqlite3_stmt* update = nullptr;
    check(db,
          sqlite3_prepare_v2(db,
                             "UPDATE tokens SET consumed_at = ?3 WHERE kind = ?1 AND id = ?2 AND consumed_at IS NULL "
                             "AND expires_at > ?3",
                             -1, &update, nullptr),
          "prepare");
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < rows; ++i) {
        const auto id = id_of(i);
        sqlite3_bind_int64(update, 1, 1);
        sqlite3_bind_text(update, 2, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        sqlite3_bind_int64(update, 3, k_now);
        check(db, sqlite3_step(update), "update");
        if (sqlite3_changes(db) != 1) die("bare update changed nothing");
        sqlite3_reset(update);
    }
    const double rate = rows / seconds_since(start);
    sqlite3_finalize(update);
    sqlite3_close(db);
    std::printf("sqlite_bare_consume_ops_per_s %.0f\n", rate);
}

}  // namespace

int main(int argc, char** argv) {
    const int rows = argc > 1 ? std::atoi(argv[1]) : 50000;
    if (rows <= 0) die("rows must be positive");
    std::string dir = (fs::temp_directory_path() / "otts-consume-bench-XXXXXX").string();
    if (!mkdtemp(dir.data())) die("cannot create a temporary directory");
    bench_store(dir + "/store.db", rows);
    bench_bare(dir + "/bare.db", rows);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return 0;
}
