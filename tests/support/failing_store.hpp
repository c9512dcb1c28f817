#pragma once
// Wraps a Store (or a SessionStore) and fails every operation with store_error while `failing`
// is set (leveldb's ErrorEnv idea): for testing that services surface store failures and hand
// out nothing.
#include "core/ports/session_store.hpp"
#include "core/ports/store.hpp"

namespace otts::test {

class FailingStore final : public Store {
public:
    explicit FailingStore(Store& inner) : m_inner(inner) {}
    bool failing = false;

    Result<void> put_token(const TokenRow& row) override {
        if (failing) return fail();
        return m_inner.put_token(row);
    }
    Result<ConsumeOutcome> consume_token(TokenKind kind, const std::string& id, UnixSeconds now) override {
        if (failing) return fail();
        return m_inner.consume_token(kind, id, now);
    }
    Result<ConsumeOutcome> record_once(TokenKind kind, const std::string& id, UnixSeconds expires_at,
                                       UnixSeconds now) override {
        if (failing) return fail();
        return m_inner.record_once(kind, id, expires_at, now);
    }
    Result<std::optional<TokenRow>> get_token(TokenKind kind, const std::string& id, UnixSeconds now) override {
        if (failing) return fail();
        return m_inner.get_token(kind, id, now);
    }
    Result<std::int64_t> sweep(UnixSeconds now) override {
        if (failing) return fail();
        return m_inner.sweep(now);
    }

private:
    static Error fail() { return make_error(ErrorCode::store_error, "injected store failure"); }
    Store& m_inner;
};

class FailingSessionStore final : public SessionStore {
public:
    explicit FailingSessionStore(SessionStore& inner) : m_inner(inner) {}
    bool failing = false;

    Result<std::optional<SessionRecord>> get_session(const std::string& id, UnixSeconds now) override {
        if (failing) return fail();
        return m_inner.get_session(id, now);
    }
    Result<void> put_session(const SessionRecord& record) override {
        if (failing) return fail();
        return m_inner.put_session(record);
    }
    Result<void> delete_session(const std::string& id) override {
        if (failing) return fail();
        return m_inner.delete_session(id);
    }
    Result<std::int64_t> sweep_sessions(UnixSeconds now) override {
        if (failing) return fail();
        return m_inner.sweep_sessions(now);
    }

private:
    static Error fail() { return make_error(ErrorCode::store_error, "injected session store failure"); }
    SessionStore& m_inner;
};

}  // namespace otts::test
