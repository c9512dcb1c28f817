#include "adapters/sqlite_store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <iterator>
#include <string_view>
#include <thread>

#include "adapters/sqlite_call.hpp"
#include "adapters/sqlite_outbox.hpp"
#include "adapters/sqlite_pin_store.hpp"
#include "adapters/sqlite_secret_store.hpp"
#include "adapters/sqlite_session_store.hpp"

namespace otts {
namespace {

using sqlite::Call;

// Ordered schema steps. Step i brings user_version from i to i+1 and runs in the same
// transaction as the version bump, so a crash leaves the file at a whole version. To evolve the
// schema, append an entry; never edit one that has shipped.
struct Migration {
    int version;
    const char* sql;
};

constexpr Migration k_migrations[] = {
    {1, R"sql(
        CREATE TABLE tokens (
            kind        INTEGER NOT NULL,
            id          TEXT    NOT NULL,
            expires_at  INTEGER NOT NULL,
            consumed_at INTEGER,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        CREATE INDEX tokens_by_expiry ON tokens (expires_at);
    )sql"},
    // S3 PINs (one row per email, DESIGN §8) and the emulator's outbox of sent mail.
    {2, R"sql(
        CREATE TABLE pins (
            email            TEXT    NOT NULL PRIMARY KEY,
            pin_hash         TEXT    NOT NULL,
            license_key_hash TEXT    NOT NULL,
            pin_id           TEXT    NOT NULL,
            created_at       INTEGER NOT NULL,
            expires_at       INTEGER NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX pins_by_expiry ON pins (expires_at);
        CREATE TABLE outbox (
            id      TEXT    NOT NULL PRIMARY KEY,
            to_addr TEXT    NOT NULL,
            subject TEXT    NOT NULL,
            text    TEXT    NOT NULL,
            html    TEXT,
            sent_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_by_to ON outbox (to_addr, sent_at);
    )sql"},
    // S2 token handler sessions (core/ports/session_store.hpp). A rowid table: rows carry up to a few
    // KiB of JSON, too wide for WITHOUT ROWID.
    {3, R"sql(
        CREATE TABLE IF NOT EXISTS sessions (
            session_id TEXT    PRIMARY KEY,
            data       TEXT    NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
    )sql"},
    // S0 secrets (core/ports/secret_store.hpp). A rowid table: rows carry up to 68 KiB of
    // ciphertext.
    {4, R"sql(
        CREATE TABLE IF NOT EXISTS secrets (
            id                   TEXT    PRIMARY KEY,
            ciphertext           TEXT    NOT NULL,
            iv                   TEXT    NOT NULL,
            salt                 TEXT,
            passphrase_protected INTEGER NOT NULL,
            remaining_views      INTEGER NOT NULL,
            burn_token           TEXT    NOT NULL,
            created_at           INTEGER NOT NULL,
            expires_at           INTEGER NOT NULL,
            last_access_at       INTEGER,
            last_access_token    TEXT
        );
        CREATE INDEX IF NOT EXISTS secrets_by_expiry ON secrets (expires_at);
    )sql"},
};

constexpr int k_latest_version = static_cast<int>(std::size(k_migrations));
constexpr int k_busy_timeout_ms = 5000;

// The statements behind each operation, indexed by SqliteStore::Sql. Each single-use decision
// is one statement: the database's write lock, not a prior read, picks the winner.
constexpr const char* k_store_sql[] = {
    // insert
    "INSERT INTO tokens (kind, id, expires_at, consumed_at) VALUES (?1, ?2, ?3, ?4)",
    // consume
    "UPDATE tokens SET consumed_at = ?3 WHERE kind = ?1 AND id = ?2 AND consumed_at IS NULL AND expires_at > ?3",
    // classify: only explains a lost consume; it decides nothing
    "SELECT expires_at, consumed_at FROM tokens WHERE kind = ?1 AND id = ?2",
    // record_once: a live row blocks the upsert; an expired one is replaced in the same write
    "INSERT INTO tokens (kind, id, expires_at, consumed_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (kind, id) DO UPDATE SET expires_at = excluded.expires_at, consumed_at = excluded.consumed_at "
    "WHERE tokens.expires_at <= ?4",
    // select_live
    "SELECT expires_at, consumed_at FROM tokens WHERE kind = ?1 AND id = ?2 AND expires_at > ?3",
    // sweep
    "DELETE FROM tokens WHERE expires_at <= ?1",
    // sweep_pins
    "DELETE FROM pins WHERE expires_at <= ?1",
    // sweep_outbox: ?1 is the oldest sent_at kept
    "DELETE FROM outbox WHERE sent_at <= ?1",
    // sweep_sessions
    "DELETE FROM sessions WHERE expires_at <= ?1",
};

// Every table reset() empties; keep in step with the migrations.
constexpr const char* k_reset_sql =
    "DELETE FROM tokens; DELETE FROM pins; DELETE FROM outbox; DELETE FROM sessions; "
    "DELETE FROM secrets;";
static_assert(std::size(k_store_sql) == static_cast<std::size_t>(SqliteStore::Sql::count_));

// Runs a one-row, one-column query (a PRAGMA) and returns the column as text.
Result<std::string> query_text(sqlite3* db, const char* sql, std::string_view what) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) return sqlite::error(db, what);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    if (sqlite3_step(raw) != SQLITE_ROW) return sqlite::error(db, what);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    return std::string(text ? text : "");
}

Result<int> user_version(sqlite3* db) {
    OTTS_TRY(auto text, query_text(db, "PRAGMA user_version", "cannot read the store's schema version"));
    return std::stoi(text);
}

Error too_new(int found) {
    return make_error(ErrorCode::store_error, "store schema version " + std::to_string(found) +
                                                  " is newer than this otts supports (" +
                                                  std::to_string(k_latest_version) + "); upgrade otts");
}

// Runs inside BEGIN IMMEDIATE: re-reads the version because another process may have migrated
// between our unlocked check and taking the write lock.
Result<void> apply_migrations(sqlite3* db) {
    OTTS_TRY(const int current, user_version(db));
    if (current > k_latest_version) return too_new(current);
    for (const auto& step : k_migrations) {
        if (step.version <= current) continue;
        OTTS_TRY_VOID(
            sqlite::exec(db, step.sql, "store migration to version " + std::to_string(step.version) + " failed"));
    }
    const std::string bump = "PRAGMA user_version = " + std::to_string(k_latest_version);
    return sqlite::exec(db, bump.c_str(), "cannot set the store's schema version");
}

Result<void> migrate(sqlite3* db) {
    // The common case (already current) takes no write lock, so concurrent CLI runs never queue.
    OTTS_TRY(const int current, user_version(db));
    if (current == k_latest_version) return Ok{};
    if (current > k_latest_version) return too_new(current);
    OTTS_TRY_VOID(sqlite::exec(db, "BEGIN IMMEDIATE", "cannot lock the store to migrate it"));
    if (auto applied = apply_migrations(db); !applied) {
        (void)sqlite::exec(db, "ROLLBACK", "rollback");
        return applied.error();
    }
    return sqlite::exec(db, "COMMIT", "cannot commit the store migration");
}

// Switching to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once (without the
// busy handler) when processes create the same file together, so that one step retries by hand
// for up to the busy timeout. WAL is persistent: an existing file takes the cheap path.
Result<void> use_wal(sqlite3* db) {
    OTTS_TRY(auto mode, query_text(db, "PRAGMA journal_mode", "cannot read the store's journal mode"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
    while (mode != "wal") {
        auto switched = query_text(db, "PRAGMA journal_mode = WAL", "cannot switch the store to WAL");
        if (switched) {
            mode = *switched;
            // ":memory:" databases stay in "memory" mode; anything else must really be WAL.
            if (mode == "wal" || mode == "memory") return Ok{};
            return make_error(ErrorCode::store_error, "store refused WAL journal mode (got " + mode + ")");
        }
        if ((sqlite3_errcode(db) & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline)
            return switched.error();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return Ok{};
}

Result<void> configure(sqlite3* db) {
    sqlite3_extended_result_codes(db, 1);
    // Waits out other processes' write locks (also for BEGIN IMMEDIATE) instead of failing.
    sqlite3_busy_timeout(db, k_busy_timeout_ms);
    if (sqlite3_db_readonly(db, "main") == 1)
        return make_error(ErrorCode::store_error, "store file is read-only: otts needs write access");
    OTTS_TRY_VOID(use_wal(db));
    return sqlite::exec(db, "PRAGMA synchronous = NORMAL", "cannot set synchronous mode");
}

std::int64_t kind_value(TokenKind kind) { return static_cast<std::int64_t>(kind); }

}  // namespace

void SqliteStore::DbCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

SqliteStore::SqliteStore(DbPtr db) : m_db(std::move(db)) {}
SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() { return k_latest_version; }

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
    sqlite3* raw = nullptr;
    // NOMUTEX: the instance serialises its own calls, so SQLite's per-connection mutex is redundant.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    DbPtr db(raw);
    const std::string where = "store '" + path + "'";
    if (rc != SQLITE_OK) {
        if (!db) return make_error(ErrorCode::store_error, "cannot open " + where + ": out of memory");
        return sqlite::error(db.get(), "cannot open " + where);
    }
    if (auto configured = configure(db.get()); !configured)
        return make_error(ErrorCode::store_error, where + ": " + configured.error().detail);
    if (auto migrated = migrate(db.get()); !migrated)
        return make_error(ErrorCode::store_error, where + ": " + migrated.error().detail);
    std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
    OTTS_TRY_VOID(store->prepare_all());
    OTTS_TRY(store->m_pins, SqlitePinStore::create(store->m_db.get(), store->m_mutex));
    OTTS_TRY(store->m_outbox, SqliteOutbox::create(store->m_db.get(), store->m_mutex));
    OTTS_TRY(store->m_sessions, SqliteSessionStore::create(store->m_db.get(), store->m_mutex));
    OTTS_TRY(store->m_secrets, SqliteSecretStore::create(store->m_db.get(), store->m_mutex));
    return store;
}

Result<void> SqliteStore::prepare_all() {
    for (std::size_t i = 0; i < m_stmts.size(); ++i) {
        OTTS_TRY(m_stmts[i], sqlite::prepare(m_db.get(), k_store_sql[i]));
    }
    return Ok{};
}

PinStore& SqliteStore::pins() { return *m_pins; }
Outbox& SqliteStore::outbox() { return *m_outbox; }
SessionStore& SqliteStore::sessions() { return *m_sessions; }
SecretStore& SqliteStore::secrets() { return *m_secrets; }

Result<void> SqliteStore::put_token(const TokenRow& row) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::insert));
    call.bind(1, kind_value(row.kind)).bind(2, row.id).bind(3, row.expires_at).bind(4, row.consumed_at);
    const int rc = call.step();
    if (rc == SQLITE_DONE) return Ok{};
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return make_error(ErrorCode::store_error, "token already exists");
    return sqlite::error(m_db.get(), "put_token failed");
}

Result<ConsumeOutcome> SqliteStore::consume_token(TokenKind kind, const std::string& id, UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    {
        Call call(stmt(Sql::consume));
        call.bind(1, kind_value(kind)).bind(2, id).bind(3, now);
        if (call.step() != SQLITE_DONE) return sqlite::error(m_db.get(), "consume_token failed");
    }
    if (sqlite3_changes(m_db.get()) == 1) return ConsumeOutcome::consumed;
    return classify_failed_consume(kind, id, now);
}

// Says why the conditional UPDATE changed nothing. It runs after the decision, so it only picks
// the message: a row that appears live here was absent when the UPDATE ran (another process
// inserted it since), and answers not_found.
Result<ConsumeOutcome> SqliteStore::classify_failed_consume(TokenKind kind, const std::string& id, UnixSeconds now) {
    Call call(stmt(Sql::classify));
    call.bind(1, kind_value(kind)).bind(2, id);
    const int rc = call.step();
    if (rc == SQLITE_DONE) return ConsumeOutcome::not_found;
    if (rc != SQLITE_ROW) return sqlite::error(m_db.get(), "consume_token failed");
    if (call.column(0) <= now) return ConsumeOutcome::expired;
    if (call.nullable_column(1)) return ConsumeOutcome::already_used;
    return ConsumeOutcome::not_found;
}

Result<ConsumeOutcome> SqliteStore::record_once(TokenKind kind, const std::string& id, UnixSeconds expires_at,
                                                UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    {
        Call call(stmt(Sql::record_once));
        call.bind(1, kind_value(kind)).bind(2, id).bind(3, expires_at).bind(4, now);
        if (call.step() != SQLITE_DONE) return sqlite::error(m_db.get(), "record_once failed");
    }
    return sqlite3_changes(m_db.get()) == 1 ? ConsumeOutcome::consumed : ConsumeOutcome::already_used;
}

Result<std::optional<TokenRow>> SqliteStore::get_token(TokenKind kind, const std::string& id, UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::select_live));
    call.bind(1, kind_value(kind)).bind(2, id).bind(3, now);
    const int rc = call.step();
    if (rc == SQLITE_DONE) return std::optional<TokenRow>();
    if (rc != SQLITE_ROW) return sqlite::error(m_db.get(), "get_token failed");
    return std::optional<TokenRow>(TokenRow{kind, id, call.column(0), call.nullable_column(1)});
}

Result<std::int64_t> SqliteStore::run_sweep(Sql which, UnixSeconds bound) {
    Call call(stmt(which));
    call.bind(1, bound);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db.get(), "sweep failed");
    return static_cast<std::int64_t>(sqlite3_changes64(m_db.get()));
}

// One call cleans every table, so the emulator's periodic sweep needs to know only the Store.
Result<std::int64_t> SqliteStore::sweep(UnixSeconds now) {
    std::int64_t swept = 0;
    {
        std::lock_guard lock(m_mutex);
        OTTS_TRY(const auto tokens, run_sweep(Sql::sweep, now));
        OTTS_TRY(const auto pins, run_sweep(Sql::sweep_pins, now));
        OTTS_TRY(const auto mail, run_sweep(Sql::sweep_outbox, now - k_outbox_retention));
        OTTS_TRY(const auto sessions, run_sweep(Sql::sweep_sessions, now));
        swept = tokens + pins + mail + sessions;
    }
    // The secret store owns its sweep rule (the re-read window); it takes the shared lock itself.
    OTTS_TRY(const auto secrets, m_secrets->sweep_secrets(now));
    return swept + secrets;
}

Result<std::int64_t> SqliteStore::reset() {
    std::lock_guard lock(m_mutex);
    return sqlite::in_transaction<std::int64_t>(m_db.get(), [&]() -> Result<std::int64_t> {
        const auto before = sqlite3_total_changes64(m_db.get());
        OTTS_TRY_VOID(sqlite::exec(m_db.get(), k_reset_sql, "reset failed"));
        return static_cast<std::int64_t>(sqlite3_total_changes64(m_db.get()) - before);
    });
}

}  // namespace otts
