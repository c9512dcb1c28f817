#pragma once
// The Store port on one SQLite file (or ":memory:"). Safe for several processes on one file:
// WAL journal, synchronous=NORMAL, a 5 s busy timeout, and every single-use decision is one
// conditional UPDATE/INSERT, so the database's write lock picks exactly one winner.
//
// Threads: an instance owns one connection and serialises its operations with a mutex, so it
// may be shared by any number of threads (SQLite admits one writer at a time anyway; separate
// instances on the same file are also fine, each with its own connection).
//
// Schema: versioned by PRAGMA user_version and built by an ordered list of migration steps in
// sqlite_store.cpp; a file whose version is newer than this build knows is refused.
//
// The same connection also serves the PinStore (pins()), Outbox (outbox()), SessionStore
// (sessions()) and SecretStore (secrets()) ports; they share the instance's mutex and live as long as it does. sweep()
// and reset() cover every table.
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "adapters/sqlite_call.hpp"
#include "core/ports/outbox.hpp"
#include "core/ports/pin_store.hpp"
#include "core/ports/resettable.hpp"
#include "core/ports/secret_store.hpp"
#include "core/ports/session_store.hpp"
#include "core/ports/store.hpp"

struct sqlite3;

namespace otts {

class SqlitePinStore;
class SqliteOutbox;
class SqliteSessionStore;
class SqliteSecretStore;

class SqliteStore final : public Store, public Resettable {
public:
    // Opens (creating if needed) the database at `path` and migrates it to the current schema.
    // Fails with store_error when the file cannot be opened or written, is not a database, or
    // carries a schema version newer than schema_version().
    static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);

    // The schema version this build writes (the length of the migration list).
    static int schema_version();

    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Result<void> put_token(const TokenRow& row) override;
    Result<ConsumeOutcome> consume_token(TokenKind kind, const std::string& id, UnixSeconds now) override;
    Result<ConsumeOutcome> record_once(TokenKind kind, const std::string& id, UnixSeconds expires_at,
                                       UnixSeconds now) override;
    Result<std::optional<TokenRow>> get_token(TokenKind kind, const std::string& id, UnixSeconds now) override;
    // Deletes expired tokens, PINs, sessions and secrets (and used-up secrets past their re-read window), and outbox
    // mail sent k_outbox_retention or more before `now`. Returns the number of rows deleted in all tables.
    Result<std::int64_t> sweep(UnixSeconds now) override;

    // Empties every table (POST /_otts/reset); returns the number of rows deleted.
    Result<std::int64_t> reset() override;

    // The PIN, outbox and session ports on this connection; valid while this store lives.
    PinStore& pins();
    Outbox& outbox();
    SessionStore& sessions();
    SecretStore& secrets();

    // Mail older than this is swept: its PIN (12 h by default) is long dead by then.
    static constexpr UnixSeconds k_outbox_retention = 24 * 3600;

    // Cached prepared statements, one per operation; public only so the .cpp's helpers can
    // name them.
    enum class Sql {
        insert,
        consume,
        classify,
        record_once,
        select_live,
        sweep,
        sweep_pins,
        sweep_outbox,
        sweep_sessions,
        count_
    };

private:
    struct DbCloser {
        void operator()(sqlite3* db) const;
    };
    using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
    using StmtPtr = sqlite::StmtPtr;

    explicit SqliteStore(DbPtr db);
    Result<void> prepare_all();
    sqlite3_stmt* stmt(Sql which) const { return m_stmts[static_cast<std::size_t>(which)].get(); }
    Result<ConsumeOutcome> classify_failed_consume(TokenKind kind, const std::string& id, UnixSeconds now);
    Result<std::int64_t> run_sweep(Sql which, UnixSeconds bound);

    // Statements are declared after the connection so they are finalized before it closes.
    DbPtr m_db;
    std::array<StmtPtr, static_cast<std::size_t>(Sql::count_)> m_stmts;
    std::mutex m_mutex;
    // Declared last so their statements are finalized before the connection closes.
    std::unique_ptr<SqlitePinStore> m_pins;
    std::unique_ptr<SqliteOutbox> m_outbox;
    std::unique_ptr<SqliteSessionStore> m_sessions;
    std::unique_ptr<SqliteSecretStore> m_secrets;
};

}  // namespace otts
