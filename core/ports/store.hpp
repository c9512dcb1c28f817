#pragma once
// The Store port: everything the services keep between requests. Each operation is a single
// conditional write or read, so that both SQLite (UPDATE ... WHERE) and DynamoDB
// (ConditionExpression) can implement it atomically. Implementations check expiry on every
// read: a row whose expires_at <= now is treated as absent even before it is swept.
#include <cstdint>
#include <optional>
#include <string>

#include "core/ports/clock.hpp"
#include "core/result.hpp"

namespace otts {

// Kinds of single-use record. The value is stored, so never renumber.
enum class TokenKind {
    one_time = 1,     // S1: row written at issue, consumed at validation
    create_jti = 2,   // S0: row written at redeem (replay set of jti)
    refresh_jti = 3,  // S3: row written when a refresh token is rotated (single use)
    idp_code = 4,     // S2 dev IdP: row written when an authorization code is redeemed
};

struct TokenRow {
    TokenKind kind;
    std::string id;  // uuid or jti
    UnixSeconds expires_at;
    std::optional<UnixSeconds> consumed_at;
};

enum class ConsumeOutcome {
    consumed,      // this caller won: the row is now marked consumed
    already_used,  // the row exists and was consumed before (tombstone)
    not_found,     // no such row (never issued, or swept)
    expired,       // the row exists but expired (not yet swept)
};

class Store {
public:
    virtual ~Store() = default;

    // Writes a new unconsumed row. Fails with store_error if a row with that kind and id exists.
    virtual Result<void> put_token(const TokenRow& row) = 0;

    // Atomically marks the row consumed at `now` iff it exists, is unconsumed and unexpired.
    // Under concurrent callers exactly one gets `consumed`. The row stays as a tombstone
    // until expires_at so a second attempt answers already_used.
    virtual Result<ConsumeOutcome> consume_token(TokenKind kind, const std::string& id, UnixSeconds now) = 0;

    // Atomically inserts (kind, id) as consumed at `now` unless a live row exists: the replay
    // set for ids that are not stored at issue. Returns consumed for the first caller and
    // already_used for every later one until expires_at.
    virtual Result<ConsumeOutcome> record_once(TokenKind kind, const std::string& id, UnixSeconds expires_at,
                                               UnixSeconds now) = 0;

    // The live row, if any (expired rows read as absent).
    virtual Result<std::optional<TokenRow>> get_token(TokenKind kind, const std::string& id, UnixSeconds now) = 0;

    // Deletes every row whose expires_at <= now. Returns the number deleted.
    virtual Result<std::int64_t> sweep(UnixSeconds now) = 0;
};

}  // namespace otts
