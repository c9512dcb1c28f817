#pragma once
// The SessionStore port (S2, the token handler; DESIGN §8): the server side of the l42_session
// cookie. The browser holds only the signed session id; the session's data (the IdP's tokens)
// lives here as one JSON object text. A row is first written at sign-in (core/auth/sessions).
//
// Lifetime is absolute: expires_at is fixed when the session is first written (created_at +
// 30 days) and a later write keeps both created_at and expires_at, so an active session still
// ends 30 days after it began (the original's created_at check, kept in one place).
//
// DynamoDB mapping (adapters/dynamodb/dynamodb_session_store.cpp), the original's table:
//   `session_id` (S, hash key), `data` (S, JSON), `created_at` (N), `ttl` (N, the table's TTL
//   attribute = expires_at). put_session is UpdateItem "SET #data = :data, created_at =
//   if_not_exists(created_at, :c), #ttl = if_not_exists(#ttl, :t)".
#include <cstdint>
#include <optional>
#include <string>

#include "core/ports/clock.hpp"
#include "core/result.hpp"

namespace otts {

struct SessionRecord {
    std::string id;    // base64url of 32 random bytes (what the cookie signs)
    std::string data;  // a JSON object's text
    UnixSeconds created_at = 0;
    UnixSeconds expires_at = 0;
};

class SessionStore {
public:
    virtual ~SessionStore() = default;
    // The live session, if any: a row whose expires_at <= now reads as absent.
    virtual Result<std::optional<SessionRecord>> get_session(const std::string& id, UnixSeconds now) = 0;
    // Writes record.data under record.id. A new row takes record.created_at and
    // record.expires_at; an existing row keeps its own (absolute lifetime).
    virtual Result<void> put_session(const SessionRecord& record) = 0;
    // Deletes the row if there is one (no error when there is none).
    virtual Result<void> delete_session(const std::string& id) = 0;
    // Deletes rows whose expires_at <= now; returns how many.
    virtual Result<std::int64_t> sweep_sessions(UnixSeconds now) = 0;
};

}  // namespace otts
