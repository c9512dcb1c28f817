#pragma once
// The Outbox port on SqliteStore's connection (table `outbox`). Made and owned by
// SqliteStore; every call takes the store's mutex.
#include <array>
#include <memory>
#include <mutex>

#include "adapters/sqlite_call.hpp"
#include "core/ports/outbox.hpp"

namespace otts {

class SqliteOutbox final : public Outbox {
public:
    static Result<std::unique_ptr<SqliteOutbox>> create(sqlite3* db, std::mutex& mutex);

    Result<void> add(const Mail& mail) override;
    Result<std::vector<Mail>> list(const std::optional<std::string>& to) override;
    Result<std::optional<Mail>> get(const std::string& id) override;
    Result<bool> remove(const std::string& id) override;
    Result<std::int64_t> clear() override;

    enum class Sql { insert, list_all, list_to, select, remove, clear, count_ };

private:
    SqliteOutbox(sqlite3* db, std::mutex& mutex) : m_db(db), m_mutex(mutex) {}
    sqlite3_stmt* stmt(Sql which) const { return m_stmts[static_cast<std::size_t>(which)].get(); }
    Result<std::vector<Mail>> collect(sqlite::Call& call);

    sqlite3* m_db;
    std::mutex& m_mutex;
    std::array<sqlite::StmtPtr, static_cast<std::size_t>(Sql::count_)> m_stmts;
};

}  // namespace otts
