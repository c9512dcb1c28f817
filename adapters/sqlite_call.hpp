#pragma once
// Helpers shared by the SQLite adapters (sqlite_store, sqlite_pin_store, sqlite_outbox):
// error conversion, one-shot exec, cached-statement preparation and a binder that always
// resets its statement. Internal to adapters/.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace otts::sqlite {

inline Error error(sqlite3* db, std::string_view what) {
    return make_error(ErrorCode::store_error, std::string(what) + ": " + sqlite3_errmsg(db));
}

inline Result<void> exec(sqlite3* db, const char* sql, std::string_view what) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return Ok{};
    std::string detail = std::string(what) + ": " + (message ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    return make_error(ErrorCode::store_error, std::move(detail));
}

struct StmtFinalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Prepares a statement kept for the connection's lifetime.
inline Result<StmtPtr> prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK)
        return error(db, "cannot prepare store statement");
    return StmtPtr(raw);
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back when it fails, so a multi-step
// decision is one write transaction: other connections (and processes) see all or nothing.
template <typename T, typename Body>
Result<T> in_transaction(sqlite3* db, Body&& body) {
    OTTS_TRY_VOID(exec(db, "BEGIN IMMEDIATE", "cannot begin a store transaction"));
    Result<T> result = body();
    if (!result) {
        (void)exec(db, "ROLLBACK", "rollback");
        return result;
    }
    if (auto committed = exec(db, "COMMIT", "cannot commit a store transaction"); !committed) {
        (void)exec(db, "ROLLBACK", "rollback");
        return committed.error();
    }
    return result;
}

// Binds and steps a cached statement, and always resets it, so a failed operation never
// leaves the statement busy or holding a read snapshot.
class Call {
public:
    explicit Call(sqlite3_stmt* stmt) : m_stmt(stmt) {}
    ~Call() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    Call& bind(int index, std::int64_t value) {
        sqlite3_bind_int64(m_stmt, index, value);
        return *this;
    }
    Call& bind(int index, const std::string& value) {
        sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
        return *this;
    }
    Call& bind(int index, std::optional<std::int64_t> value) {
        if (value) return bind(index, *value);
        sqlite3_bind_null(m_stmt, index);
        return *this;
    }
    Call& bind(int index, const std::optional<std::string>& value) {
        if (value) return bind(index, *value);
        sqlite3_bind_null(m_stmt, index);
        return *this;
    }
    int step() { return sqlite3_step(m_stmt); }
    std::int64_t column(int index) const { return sqlite3_column_int64(m_stmt, index); }
    std::optional<std::int64_t> nullable_column(int index) const {
        if (sqlite3_column_type(m_stmt, index) == SQLITE_NULL) return std::nullopt;
        return column(index);
    }
    std::string text(int index) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, index));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, index))) : std::string();
    }
    std::optional<std::string> nullable_text(int index) const {
        if (sqlite3_column_type(m_stmt, index) == SQLITE_NULL) return std::nullopt;
        return text(index);
    }

private:
    sqlite3_stmt* m_stmt;
};

}  // namespace otts::sqlite
