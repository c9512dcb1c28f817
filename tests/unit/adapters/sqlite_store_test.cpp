#include "adapters/sqlite_store.hpp"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/store_contract.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/sqlite_fixture.hpp"

using otts::ConsumeOutcome;
using otts::ErrorCode;
using otts::SqliteStore;
using otts::TokenKind;
using otts::TokenRow;

namespace {

using otts::test::raw_exec;
using otts::test::raw_query;

using otts::test::open_sqlite;
using otts::test::TempDir;

namespace fs = std::filesystem;

using otts::test::k_now;
constexpr otts::UnixSeconds k_exp = k_now + 600;

std::string id_of(int i) { return "id-" + std::to_string(i); }

// Forks `processes` children that each open `path` themselves, wait for a common start signal
// and run `op` on ids 0..ids-1. Returns how many children reported `consumed` for each id.
std::vector<int> race_processes(int processes, int ids, const std::string& path,
                                const std::function<otts::Result<ConsumeOutcome>(SqliteStore&, int)>& op,
                                bool open_after_start) {
    int go[2];
    REQUIRE(pipe(go) == 0);
    std::vector<int> outputs;
    std::vector<pid_t> children;
    for (int p = 0; p < processes; ++p) {
        int out[2];
        REQUIRE(pipe(out) == 0);
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            // Child: no Catch2 here; report one byte per id ('1' won, '0' lost, 'E' error) and _exit.
            close(go[1]);
            close(out[0]);
            std::unique_ptr<SqliteStore> store;
            if (!open_after_start) store = std::move(SqliteStore::open(path).value());
            char start;
            (void)!read(go[0], &start, 1);  // returns 0 when the parent closes its end
            if (open_after_start) {
                auto opened = SqliteStore::open(path);
                if (!opened) {
                    std::fprintf(stderr, "child open failed: %s\n", opened.error().message().c_str());
                    _exit(3);
                }
                store = std::move(opened).value();
            }
            std::string report;
            for (int i = 0; i < ids; ++i) {
                auto outcome = op(*store, i);
                report += !outcome.ok() ? 'E' : (*outcome == ConsumeOutcome::consumed ? '1' : '0');
            }
            const bool written = write(out[1], report.data(), report.size()) == static_cast<ssize_t>(report.size());
            _exit(written ? 0 : 4);
        }
        close(out[1]);
        outputs.push_back(out[0]);
        children.push_back(pid);
    }
    close(go[0]);
    close(go[1]);  // start everyone at once
    std::vector<int> wins(ids, 0);
    for (std::size_t c = 0; c < children.size(); ++c) {
        std::string report(ids, '?');
        std::size_t got = 0;
        while (got < report.size()) {
            const ssize_t n = read(outputs[c], report.data() + got, report.size() - got);
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        close(outputs[c]);
        int status = 0;
        waitpid(children[c], &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        CHECK(report.find_first_not_of("01") == std::string::npos);
        for (int i = 0; i < ids; ++i) wins[i] += report[i] == '1';
    }
    return wins;
}

}  // namespace

TEST_CASE("SqliteStore in memory meets the Store contract", "[store][sqlite]") {
    otts::test::run_store_contract([] { return open_sqlite(":memory:"); });
}

TEST_CASE("SqliteStore on a file meets the Store contract", "[store][sqlite]") {
    TempDir dir;
    int n = 0;
    otts::test::run_store_contract([&] { return open_sqlite(dir.file("contract-" + std::to_string(++n) + ".db")); });
}

TEST_CASE("a new store file is at the current schema version, in WAL mode", "[store][sqlite]") {
    TempDir dir;
    const auto path = dir.file("otts.db");
    open_sqlite(path);
    CHECK(SqliteStore::schema_version() == 4);
    CHECK(raw_query(path, "PRAGMA user_version") == std::to_string(SqliteStore::schema_version()));
    CHECK(raw_query(path, "PRAGMA journal_mode") == "wal");
    CHECK(raw_query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'tokens_by_expiry'") == "1");
}

TEST_CASE("reopening a store file keeps its rows", "[store][sqlite]") {
    TempDir dir;
    const auto path = dir.file("otts.db");
    {
        auto store = open_sqlite(path);
        REQUIRE(store->put_token(TokenRow{TokenKind::one_time, "kept", k_exp, std::nullopt}).ok());
        REQUIRE(*store->consume_token(TokenKind::one_time, "kept", k_now) == ConsumeOutcome::consumed);
        REQUIRE(*store->record_once(TokenKind::create_jti, "jti", k_exp, k_now) == ConsumeOutcome::consumed);
    }
    auto store = open_sqlite(path);
    CHECK(*store->consume_token(TokenKind::one_time, "kept", k_now) == ConsumeOutcome::already_used);
    CHECK(*store->record_once(TokenKind::create_jti, "jti", k_exp, k_now) == ConsumeOutcome::already_used);
    CHECK(raw_query(path, "PRAGMA user_version") == std::to_string(SqliteStore::schema_version()));
}

TEST_CASE("a store file from a newer schema version is refused with a clear error", "[store][sqlite]") {
    TempDir dir;
    const auto path = dir.file("future.db");
    raw_exec(path, "CREATE TABLE later (x); PRAGMA user_version = 99;");
    auto store = SqliteStore::open(path);
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::store_error);
    CHECK_THAT(store.error().message(), Catch::Contains("schema version 99 is newer than this otts supports (4)"));
    CHECK(raw_query(path, "PRAGMA user_version") == "99");
}

TEST_CASE("an unusable store path fails with store_error naming the path", "[store][sqlite]") {
    TempDir dir;
    const auto missing_dir = dir.file("no-such-dir/otts.db");
    auto in_missing_dir = SqliteStore::open(missing_dir);
    REQUIRE_FALSE(in_missing_dir.ok());
    CHECK(in_missing_dir.error().code == ErrorCode::store_error);
    CHECK_THAT(in_missing_dir.error().message(), Catch::Contains(missing_dir) && Catch::Contains("unable to open"));

    auto a_directory = SqliteStore::open(dir.file(""));
    REQUIRE_FALSE(a_directory.ok());
    CHECK(a_directory.error().code == ErrorCode::store_error);
}

TEST_CASE("a file that is not a database is refused", "[store][sqlite]") {
    TempDir dir;
    const auto path = dir.file("notes.txt");
    std::ofstream(path) << std::string(4096, 'x');
    auto store = SqliteStore::open(path);
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::store_error);
    CHECK_THAT(store.error().message(), Catch::Contains("not a database"));
}

TEST_CASE("processes racing to consume the same ids on one file: exactly one wins each", "[store][sqlite][race]") {
    constexpr int k_processes = 8;
    constexpr int k_ids = 100;
    TempDir dir;
    const auto path = dir.file("race.db");
    {
        auto store = open_sqlite(path);
        for (int i = 0; i < k_ids; ++i)
            REQUIRE(store->put_token(TokenRow{TokenKind::one_time, id_of(i), k_exp, std::nullopt}).ok());
    }
    const auto wins = race_processes(
        k_processes, k_ids, path,
        [](SqliteStore& store, int i) { return store.consume_token(TokenKind::one_time, id_of(i), k_now); }, false);
    for (int i = 0; i < k_ids; ++i) CHECK(wins[i] == 1);
}

TEST_CASE("processes racing to create a store and record_once the same ids: exactly one wins each",
          "[store][sqlite][race]") {
    constexpr int k_processes = 8;
    constexpr int k_ids = 100;
    TempDir dir;
    const auto path = dir.file("fresh.db");  // does not exist yet: creation and migration race too
    const auto wins = race_processes(
        k_processes, k_ids, path,
        [](SqliteStore& store, int i) { return store.record_once(TokenKind::create_jti, id_of(i), k_exp, k_now); },
        true);
    for (int i = 0; i < k_ids; ++i) CHECK(wins[i] == 1);
    CHECK(raw_query(path, "PRAGMA user_version") == std::to_string(SqliteStore::schema_version()));
}
