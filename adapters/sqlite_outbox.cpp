#include "adapters/sqlite_outbox.hpp"

#include <iterator>

namespace otts {
namespace {

using sqlite::Call;

#define OTTS_OUTBOX_COLUMNS "id, to_addr, subject, text, html, sent_at"

constexpr const char* k_outbox_sql[] = {
    // insert
    "INSERT INTO outbox (" OTTS_OUTBOX_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    // list_all: oldest first; rowid breaks ties within one second in arrival order
    "SELECT " OTTS_OUTBOX_COLUMNS " FROM outbox ORDER BY sent_at, rowid",
    // list_to
    "SELECT " OTTS_OUTBOX_COLUMNS " FROM outbox WHERE to_addr = ?1 ORDER BY sent_at, rowid",
    // select
    "SELECT " OTTS_OUTBOX_COLUMNS " FROM outbox WHERE id = ?1",
    // remove
    "DELETE FROM outbox WHERE id = ?1",
    // clear
    "DELETE FROM outbox",
};
static_assert(std::size(k_outbox_sql) == static_cast<std::size_t>(SqliteOutbox::Sql::count_));

#undef OTTS_OUTBOX_COLUMNS

Mail mail_from(const Call& call) {
    return Mail{call.text(0), call.text(1), call.text(2), call.text(3), call.nullable_text(4), call.column(5)};
}

}  // namespace

Result<std::unique_ptr<SqliteOutbox>> SqliteOutbox::create(sqlite3* db, std::mutex& mutex) {
    std::unique_ptr<SqliteOutbox> outbox(new SqliteOutbox(db, mutex));
    for (std::size_t i = 0; i < outbox->m_stmts.size(); ++i) {
        OTTS_TRY(outbox->m_stmts[i], sqlite::prepare(db, k_outbox_sql[i]));
    }
    return outbox;
}

Result<void> SqliteOutbox::add(const Mail& mail) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::insert));
    call.bind(1, mail.id).bind(2, mail.to).bind(3, mail.subject).bind(4, mail.text).bind(5, mail.html);
    call.bind(6, mail.sent_at);
    const int rc = call.step();
    if (rc == SQLITE_DONE) return Ok{};
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return make_error(ErrorCode::store_error, "mail id already in the outbox");
    return sqlite::error(m_db, "outbox add failed");
}

Result<std::vector<Mail>> SqliteOutbox::collect(Call& call) {
    std::vector<Mail> out;
    for (;;) {
        const int rc = call.step();
        if (rc == SQLITE_DONE) return out;
        if (rc != SQLITE_ROW) return sqlite::error(m_db, "outbox read failed");
        out.push_back(mail_from(call));
    }
}

Result<std::vector<Mail>> SqliteOutbox::list(const std::optional<std::string>& to) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(to ? Sql::list_to : Sql::list_all));
    if (to) call.bind(1, *to);
    return collect(call);
}

Result<std::optional<Mail>> SqliteOutbox::get(const std::string& id) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::select));
    call.bind(1, id);
    OTTS_TRY(auto mails, collect(call));
    if (mails.empty()) return std::optional<Mail>();
    return std::optional<Mail>(std::move(mails.front()));
}

Result<bool> SqliteOutbox::remove(const std::string& id) {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::remove));
    call.bind(1, id);
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "outbox remove failed");
    return sqlite3_changes(m_db) == 1;
}

Result<std::int64_t> SqliteOutbox::clear() {
    std::lock_guard lock(m_mutex);
    Call call(stmt(Sql::clear));
    if (call.step() != SQLITE_DONE) return sqlite::error(m_db, "outbox clear failed");
    return static_cast<std::int64_t>(sqlite3_changes64(m_db));
}

}  // namespace otts
