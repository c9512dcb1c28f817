#pragma once
// The SecretStore port (S0, sealed.fyi's secrets; DESIGN §13): end-to-end encrypted secrets,
// opaque to the server, each readable a bounded number of times until its expiry.
//
// Views: take_view is one conditional write (SQLite UPDATE ... RETURNING, DynamoDB UpdateItem
// with a ConditionExpression), so under any number of racing readers of a secret with N views
// exactly N win. A row whose views are used up stays only so that the reader of its last view
// can fetch it again with that view's access token (core/secrets/secrets.hpp: 30 s); take_view
// never returns it again, and sweep_secrets deletes it once that window has passed.
//
// DynamoDB mapping (adapters/dynamodb/dynamodb_secret_store.cpp), sealed.fyi's table
// `sealed-secrets`: `id` (S, hash key), `ciphertext`, `iv`, `salt` (S, absent when null),
// `passphraseProtected` (BOOL), `remainingViews` (N), `burnToken` (S), `createdAt` (N),
// `expiresAt` (N, the TTL attribute), `lastAccessAt` (N), `lastAccessToken` (S).
#include <cstdint>
#include <optional>
#include <string>

#include "core/ports/clock.hpp"
#include "core/result.hpp"

namespace otts {

struct SecretRecord {
    std::string id;  // 22 base64url characters (16 random bytes)
    std::string ciphertext;
    std::string iv;
    std::optional<std::string> salt;
    bool passphrase_protected = false;
    int remaining_views = 1;
    std::string burn_token;  // 32 lowercase hex characters
    UnixSeconds created_at = 0;
    UnixSeconds expires_at = 0;  // unavailable from this second on
    std::optional<UnixSeconds> last_access_at;
    std::optional<std::string> last_access_token;
};

// How long after a view its access token still fetches the secret again without a view.
inline constexpr UnixSeconds k_access_window = 30;

class SecretStore {
public:
    virtual ~SecretStore() = default;

    // Writes a new row. store_error if a row with that id exists (ids are 128 random bits).
    virtual Result<void> put_secret(const SecretRecord& record) = 0;

    // Spends one view in one conditional write: iff the row exists, expires_at > now and
    // remaining_views > 0, decrements remaining_views and sets last_access_at = now and
    // last_access_token = access_token. Returns the row as written, or nullopt when the write's
    // condition failed (absent, expired, used up). Exactly N racing callers win N views.
    virtual Result<std::optional<SecretRecord>> take_view(const std::string& id, const std::string& access_token,
                                                          UnixSeconds now) = 0;

    // The row if it exists and expires_at > now (used up or not); decides nothing.
    virtual Result<std::optional<SecretRecord>> get_secret(const std::string& id, UnixSeconds now) = 0;

    // Deletes the row iff its burn token is `burn_token` (the caller compared it in constant
    // time first; the condition only keeps a racing write from being deleted by a stale
    // decision). No error when there is no such row.
    virtual Result<void> delete_secret(const std::string& id, const std::string& burn_token) = 0;

    // Deletes rows that expired (expires_at <= now) and used-up rows whose last view is
    // k_access_window or more before now. Returns how many.
    virtual Result<std::int64_t> sweep_secrets(UnixSeconds now) = 0;
};

}  // namespace otts
