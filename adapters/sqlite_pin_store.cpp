#include "adapters/sqlite_pin_store.hpp"

#include <iterator>

#include "core/pins/pin_verdict.hpp"

namespace otts {
namespace {

using sqlite::Call;

constexpr const char* k_pin_sql[] = {
    // put: supersedes the email's row unless a live one is inside the cooldown (?7 seconds)
    "INSERT INTO pins (email, pin_hash, license_key_hash, pin_id, created_at, expires_at, attempts) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0) "
    "ON CONFLICT (email) DO UPDATE SET pin_hash = excluded.pin_hash, license_key_hash = excluded.license_key_hash, "
    "pin_id = excluded.pin_id, created_at = excluded.created_at, expires_at = excluded.expires_at, attempts = 0 "
    "WHERE ?7 <= 0 OR pins.expires_at <= ?5 OR pins.created_at <= ?5 - ?7",
    // created_at: only explains a refused put; it decides nothing
    "SELECT created_at FROM pins WHERE email = ?1",
    // count_try: the try is counted before the PIN is compared, so at most max_attempts
    // comparisons ever happen per PIN
    "UPDATE pins SET attempts = attempts + 1 WHERE email = ?1 AND attempts < ?2 AND expires_at > ?3 "
    "RETURNING attempts, pin_hash, license_key_hash",
    // seen: the row a refused count_try left (inside the same transaction)
    "SELECT attempts, expires_at FROM pins WHERE email = ?1",
    // remove
    "DELETE FROM pins WHERE email = ?1",
    // select_live
    "SELECT pin_hash, license_key_hash, pin_id, created_at, expires_at, attempts FROM pins "
    "WHERE email = ?1 AND expires_at > ?2",
    // sweep
    "DELETE FROM pins WHERE expires_at <= ?1",
};
static_assert(std::size(k_pin_sql) == static_cast<std::size_t>(SqlitePinStore::Sql::count_));

}  // namespace

Result<std::unique_ptr<SqlitePinStore>> SqlitePinStore::create(sqlite3* db, std::mutex& mutex) {
    std::unique_ptr<SqlitePinStore> store(new SqlitePinStore(db, mutex));
    for (std::size_t i = 0; i < store->m_stmts.size(); ++i) {
        OTTS_TRY(store->m_stmts[i], sqlite::prepare(db, k_pin_sql[i]));
    }
    return store;
}

Result<PinPut> SqlitePinStore::put_pin(const PinRow& row, UnixSeconds cooldown) {
    std::lock_guard lock(m_mutex);
    {
        Call call(stmt(Sql::put));
        call.bind(1, row.email).bind(2, row.pin_hash).bind(3, row.license_key_hash).bind(4, row.pin_id);
        call.bind(5, row.created_at).bind(6, row.expires_at).bind(7, cooldown);
        if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "put_pin failed");
    }
    if (sqlite3_changes(m_db) == 1) return PinPut{true, std::nullopt};
    Call call(stmt(Sql::created_at));
    call.bind(1, row.email);
    if (call.step() != SQLITE_ROW) return PinPut{false, std::nullopt};  // removed since: still refused
    return PinPut{false, call.column(0)};
}

Result<PinVerdict> SqlitePinStore::consume_pin(const std::string& email, const std::string& pin_hash,
                                               const std::string& license_key_hash, UnixSeconds now, int max_attempts) {
    std::lock_guard lock(m_mutex);
    return sqlite::in_transaction<PinVerdict>(
        m_db, [&] { return consume_locked(email, pin_hash, license_key_hash, now, max_attempts); });
}

Result<PinVerdict> SqlitePinStore::consume_locked(const std::string& email, const std::string& pin_hash,
                                                  const std::string& license_key_hash, UnixSeconds now,
                                                  int max_attempts) {
    PinRow counted;
    {
        Call call(stmt(Sql::count_try));
        call.bind(1, email).bind(2, std::int64_t{max_attempts}).bind(3, now);
        const int rc = call.step();
        if (rc == SQLITE_DONE) return classify_uncounted(email, now, max_attempts);
        if (rc != SQLITE_ROW) return sqlite::error(m_db, "consume_pin failed");
        counted.attempts = static_cast<int>(call.column(0));
        counted.pin_hash = call.text(1);
        counted.license_key_hash = call.text(2);
        if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "consume_pin failed");
    }
    const auto verdict = counted_try_verdict(counted, pin_hash, license_key_hash, max_attempts);
    if (verdict.outcome != PinOutcome::consumed) return verdict;
    Call call(stmt(Sql::remove));
    call.bind(1, email);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "consume_pin failed");
    return verdict;
}

// No try was counted: the row as it stands says whether there was a PIN to try.
Result<PinVerdict> SqlitePinStore::classify_uncounted(const std::string& email, UnixSeconds now, int max_attempts) {
    Call call(stmt(Sql::seen));
    call.bind(1, email);
    const int rc = call.step();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sqlite::error(m_db, "consume_pin failed");
    std::optional<PinRow> seen;
    if (rc == SQLITE_ROW) {
        seen.emplace();
        seen->attempts = static_cast<int>(call.column(0));
        seen->expires_at = call.column(1);
    }
    return uncounted_try_verdict(seen, now, max_attempts);
}

Result<std::optional<PinRow>> SqlitePinStore::get_pin(const std::string& email, UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::select_live));
    call.bind(1, email).bind(2, now);
    const int rc = call.step();
    if (rc == SQLITE_DONE) return std::optional<PinRow>();
    if (rc != SQLITE_ROW) return sqlite::error(m_db, "get_pin failed");
    return std::optional<PinRow>(PinRow{email, call.text(0), call.text(1), call.text(2), call.column(3), call.column(4),
                                        static_cast<int>(call.column(5))});
}

Result<std::int64_t> SqlitePinStore::sweep_pins(UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::sweep));
    call.bind(1, now);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "sweep_pins failed");
    return static_cast<std::int64_t>(sqlite3_changes64(m_db));
}

}  // namespace otts
