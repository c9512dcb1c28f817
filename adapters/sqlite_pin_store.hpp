#pragma once
// The PinStore port on SqliteStore's connection (table `pins`, one row per email). Made and
// owned by SqliteStore; every call takes the store's mutex, and consume_pin runs as one
// BEGIN IMMEDIATE transaction so other processes on the same file see it whole.
#include <array>
#include <memory>
#include <mutex>

#include "adapters/sqlite_call.hpp"
#include "core/ports/pin_store.hpp"

namespace otts {

class SqlitePinStore final : public PinStore {
public:
    static Result<std::unique_ptr<SqlitePinStore>> create(sqlite3* db, std::mutex& mutex);

    Result<PinPut> put_pin(const PinRow& row, UnixSeconds cooldown) override;
    Result<PinVerdict> consume_pin(const std::string& email, const std::string& pin_hash,
                                   const std::string& license_key_hash, UnixSeconds now, int max_attempts) override;
    Result<std::optional<PinRow>> get_pin(const std::string& email, UnixSeconds now) override;
    Result<std::int64_t> sweep_pins(UnixSeconds now) override;

    enum class Sql { put, created_at, count_try, seen, remove, select_live, sweep, count_ };

private:
    SqlitePinStore(sqlite3* db, std::mutex& mutex) : m_db(db), m_mutex(mutex) {}
    sqlite3_stmt* stmt(Sql which) const { return m_stmts[static_cast<std::size_t>(which)].get(); }
    Result<PinVerdict> consume_locked(const std::string& email, const std::string& pin_hash,
                                      const std::string& license_key_hash, UnixSeconds now, int max_attempts);
    Result<PinVerdict> classify_uncounted(const std::string& email, UnixSeconds now, int max_attempts);

    sqlite3* m_db;
    std::mutex& m_mutex;
    std::array<sqlite::StmtPtr, static_cast<std::size_t>(Sql::count_)> m_stmts;
};

}  // namespace otts
