#pragma once
// The SessionStore port on SqliteStore's connection (table `sessions`, one row per session id).
// Made and owned by SqliteStore; every call takes the store's mutex. Each operation is one
// statement, so other processes on the same file see it whole.
#include <array>
#include <memory>
#include <mutex>

#include "adapters/sqlite_call.hpp"
#include "core/ports/session_store.hpp"

namespace otts {

class SqliteSessionStore final : public SessionStore {
public:
    static Result<std::unique_ptr<SqliteSessionStore>> create(sqlite3* db, std::mutex& mutex);

    Result<std::optional<SessionRecord>> get_session(const std::string& id, UnixSeconds now) override;
    Result<void> put_session(const SessionRecord& record) override;
    Result<void> delete_session(const std::string& id) override;
    Result<std::int64_t> sweep_sessions(UnixSeconds now) override;

    enum class Sql { put, select_live, remove, sweep, count_ };

private:
    SqliteSessionStore(sqlite3* db, std::mutex& mutex) : m_db(db), m_mutex(mutex) {}
    sqlite3_stmt* stmt(Sql which) const { return m_stmts[static_cast<std::size_t>(which)].get(); }

    sqlite3* m_db;
    std::mutex& m_mutex;
    std::array<sqlite::StmtPtr, static_cast<std::size_t>(Sql::count_)> m_stmts;
};

}  // namespace otts
