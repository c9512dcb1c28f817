#pragma once
// S3 access and refresh tokens (DESIGN §3): ES256 JWTs {email, sub, type, license_key_hash,
// iat, exp} (+ license_expires_at on access tokens, + jti on refresh tokens), 24 h and 30 d,
// issued by POST /v1/auth/verify-pin and rotated by POST /v1/auth/refresh.
//
// Rotation makes a refresh token single use: its jti is recorded in the Store
// (TokenKind::refresh_jti, until the token's exp) by one conditional insert, so of any number
// of concurrent refreshes with one token exactly one succeeds. The original (BreachLine) lets
// a refresh token be replayed until it expires; otts closes that hole. Logout stays stateless,
// as in the original: the client deletes its tokens.
//
// Keys: `keys.front()` signs (needs a P-256 private key); every key verifies. The front ends
// default to the data home's license key pair (adapters/key_config.hpp: auth_token_keys).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/ports/clock.hpp"
#include "core/jose/jwt.hpp"
#include "core/tokens/licenses.hpp"
#include "core/ports/random.hpp"
#include "core/ports/store.hpp"

namespace otts {

struct TokenPair {
    std::string access_token;
    std::string refresh_token;
    UnixSeconds expires_in = 0;  // of the access token
    nlohmann::json access_claims;
    nlohmann::json refresh_claims;
};

class AccessTokens {
public:
    static constexpr UnixSeconds k_access_ttl = 24 * 3600;
    static constexpr UnixSeconds k_refresh_ttl = 30 * 24 * 3600;

    AccessTokens(Store& store, const Clock& clock, Random& random, jwt::KeySet keys,
                 UnixSeconds leeway = jwt::k_default_leeway);

    // A fresh pair for the (already verified) license. key_error without a signing key.
    Result<TokenPair> issue(const License& license);

    // Verified access-token claims: invalid_token (also for a refresh token, or when the
    // license named by license_expires_at has expired), token_expired, token_not_yet_valid.
    Result<nlohmann::json> check_access(std::string_view token) const;
    // Verified refresh-token claims (not consumed).
    Result<nlohmann::json> check_refresh(std::string_view token) const;

    // Spends verified refresh claims (from check_refresh) and issues a new pair for `license`.
    // token_used when the refresh token was spent before; store_error from the store.
    Result<TokenPair> rotate(const nlohmann::json& refresh_claims, const License& license);

private:
    Store& m_store;
    const Clock& m_clock;
    Random& m_random;
    jwt::KeySet m_keys;
    UnixSeconds m_leeway;
};

// "2011-03-22T18:43:00Z" → Unix seconds; strict: exactly that form, UTC.
std::optional<UnixSeconds> parse_utc_timestamp(std::string_view text);

}  // namespace otts
