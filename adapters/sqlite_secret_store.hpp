#pragma once
// The SecretStore port on SqliteStore's connection (table `secrets`, one row per secret id).
// Made and owned by SqliteStore; every call takes the store's mutex. A view is one conditional
// UPDATE ... RETURNING, so racing readers in any number of processes on one file share out
// exactly the views a secret has.
#include <array>
#include <memory>
#include <mutex>

#include "adapters/sqlite_call.hpp"
#include "core/ports/secret_store.hpp"

namespace otts {

class SqliteSecretStore final : public SecretStore {
public:
    static Result<std::unique_ptr<SqliteSecretStore>> create(sqlite3* db, std::mutex& mutex);

    Result<void> put_secret(const SecretRecord& record) override;
    Result<std::optional<SecretRecord>> take_view(const std::string& id, const std::string& access_token,
                                                  UnixSeconds now) override;
    Result<std::optional<SecretRecord>> get_secret(const std::string& id, UnixSeconds now) override;
    Result<void> delete_secret(const std::string& id, const std::string& burn_token) override;
    Result<std::int64_t> sweep_secrets(UnixSeconds now) override;

    enum class Sql { insert, take_view, select_live, remove, sweep, count_ };

private:
    SqliteSecretStore(sqlite3* db, std::mutex& mutex) : m_db(db), m_mutex(mutex) {}
    sqlite3_stmt* stmt(Sql which) const { return m_stmts[static_cast<std::size_t>(which)].get(); }
    Result<std::optional<SecretRecord>> row_of(sqlite::Call& call, const char* what);

    sqlite3* m_db;
    std::mutex& m_mutex;
    std::array<sqlite::StmtPtr, static_cast<std::size_t>(Sql::count_)> m_stmts;
};

}  // namespace otts
