#include "adapters/sqlite_session_store.hpp"

#include <iterator>

namespace otts {
namespace {

using sqlite::Call;

constexpr const char* k_session_sql[] = {
    // put: a new row takes both times; an existing one keeps its own (absolute lifetime)
    "INSERT INTO sessions (session_id, data, created_at, expires_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (session_id) DO UPDATE SET data = excluded.data",
    // select_live
    "SELECT data, created_at, expires_at FROM sessions WHERE session_id = ?1 AND expires_at > ?2",
    // remove
    "DELETE FROM sessions WHERE session_id = ?1",
    // sweep
    "DELETE FROM sessions WHERE expires_at <= ?1",
};
static_assert(std::size(k_session_sql) == static_cast<std::size_t>(SqliteSessionStore::Sql::count_));

}  // namespace

Result<std::unique_ptr<SqliteSessionStore>> SqliteSessionStore::create(sqlite3* db, std::mutex& mutex) {
    std::unique_ptr<SqliteSessionStore> store(new SqliteSessionStore(db, mutex));
    for (std::size_t i = 0; i < store->m_stmts.size(); ++i) {
        OTTS_TRY(store->m_stmts[i], sqlite::prepare(db, k_session_sql[i]));
    }
    return store;
}

Result<std::optional<SessionRecord>> SqliteSessionStore::get_session(const std::string& id, UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::select_live));
    call.bind(1, id).bind(2, now);
    const int rc = call.step();
    if (rc == SQLITE_DONE) return std::optional<SessionRecord>();
    if (rc != SQLITE_ROW) return sqlite::error(m_db, "get_session failed");
    return std::optional<SessionRecord>(SessionRecord{id, call.text(0), call.column(1), call.column(2)});
}

Result<void> SqliteSessionStore::put_session(const SessionRecord& record) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::put));
    call.bind(1, record.id).bind(2, record.data).bind(3, record.created_at).bind(4, record.expires_at);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "put_session failed");
    return Ok{};
}

Result<void> SqliteSessionStore::delete_session(const std::string& id) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::remove));
    call.bind(1, id);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "delete_session failed");
    return Ok{};
}

Result<std::int64_t> SqliteSessionStore::sweep_sessions(UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::sweep));
    call.bind(1, now);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "sweep_sessions failed");
    return static_cast<std::int64_t>(sqlite3_changes64(m_db));
}

}  // namespace otts
