#include "adapters/sqlite_secret_store.hpp"

#include <iterator>

namespace otts {
namespace {

using sqlite::Call;

#define OTTS_SECRET_COLUMNS                                                                                 \
    "id, ciphertext, iv, salt, passphrase_protected, remaining_views, burn_token, created_at, expires_at, " \
    "last_access_at, last_access_token"

constexpr const char* k_secret_sql[] = {
    // insert
    "INSERT INTO secrets (" OTTS_SECRET_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, NULL)",
    // take_view: the one write that decides a view; the row it wrote comes back with it
    "UPDATE secrets SET remaining_views = remaining_views - 1, last_access_at = ?3, last_access_token = ?2 "
    "WHERE id = ?1 AND remaining_views > 0 AND expires_at > ?3 RETURNING " OTTS_SECRET_COLUMNS,
    // select_live
    "SELECT " OTTS_SECRET_COLUMNS " FROM secrets WHERE id = ?1 AND expires_at > ?2",
    // remove
    "DELETE FROM secrets WHERE id = ?1 AND burn_token = ?2",
    // sweep: expired rows, and used-up rows past their last view's re-read window (?2)
    "DELETE FROM secrets WHERE expires_at <= ?1 OR (remaining_views <= 0 AND last_access_at <= ?2)",
};
static_assert(std::size(k_secret_sql) == static_cast<std::size_t>(SqliteSecretStore::Sql::count_));

#undef OTTS_SECRET_COLUMNS

SecretRecord read_row(const Call& call) {
    return SecretRecord{
        .id = call.text(0),
        .ciphertext = call.text(1),
        .iv = call.text(2),
        .salt = call.nullable_text(3),
        .passphrase_protected = call.column(4) != 0,
        .remaining_views = static_cast<int>(call.column(5)),
        .burn_token = call.text(6),
        .created_at = call.column(7),
        .expires_at = call.column(8),
        .last_access_at = call.nullable_column(9),
        .last_access_token = call.nullable_text(10),
    };
}

}  // namespace

Result<std::unique_ptr<SqliteSecretStore>> SqliteSecretStore::create(sqlite3* db, std::mutex& mutex) {
    std::unique_ptr<SqliteSecretStore> store(new SqliteSecretStore(db, mutex));
    for (std::size_t i = 0; i < store->m_stmts.size(); ++i) {
        OTTS_TRY(store->m_stmts[i], sqlite::prepare(db, k_secret_sql[i]));
    }
    return store;
}

Result<void> SqliteSecretStore::put_secret(const SecretRecord& r) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::insert));
    call.bind(1, r.id).bind(2, r.ciphertext).bind(3, r.iv).bind(4, r.salt);
    call.bind(5, std::int64_t{r.passphrase_protected ? 1 : 0}).bind(6, std::int64_t{r.remaining_views});
    call.bind(7, r.burn_token).bind(8, r.created_at).bind(9, r.expires_at);
    const int rc = call.step();
    if (rc == SQLITE_DONE) return Ok{};
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return make_error(ErrorCode::store_error, "secret id already exists");
    return sqlite::error(m_db, "put_secret failed");
}

// The row a one-row statement returned, nullopt when it returned none.
Result<std::optional<SecretRecord>> SqliteSecretStore::row_of(Call& call, const char* what) {
    const int rc = call.step();
    if (rc == SQLITE_DONE) return std::optional<SecretRecord>();
    if (rc != SQLITE_ROW) return sqlite::error(m_db, what);
    auto row = read_row(call);
    // RETURNING's write is complete only once the statement has run to its end.
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, what);
    return std::optional<SecretRecord>(std::move(row));
}

Result<std::optional<SecretRecord>> SqliteSecretStore::take_view(const std::string& id, const std::string& access_token,
                                                                 UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::take_view));
    call.bind(1, id).bind(2, access_token).bind(3, now);
    return row_of(call, "take_view failed");
}

Result<std::optional<SecretRecord>> SqliteSecretStore::get_secret(const std::string& id, UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::select_live));
    call.bind(1, id).bind(2, now);
    return row_of(call, "get_secret failed");
}

Result<void> SqliteSecretStore::delete_secret(const std::string& id, const std::string& burn_token) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::remove));
    call.bind(1, id).bind(2, burn_token);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "delete_secret failed");
    return Ok{};
}

Result<std::int64_t> SqliteSecretStore::sweep_secrets(UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::sweep));
    call.bind(1, now).bind(2, now - k_access_window);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "sweep_secrets failed");
    return static_cast<std::int64_t>(sqlite3_changes64(m_db));
}

}  // namespace otts
