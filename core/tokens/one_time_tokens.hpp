#pragma once
// S1: one-time tokens. Issuing writes a store row keyed by the token's uuid; validation
// verifies the token and consumes the row in one conditional write, so a token is accepted
// exactly once however many validators race.
#include <string_view>

#include "core/tokens/issued_token.hpp"
#include "core/jose/jwt.hpp"
#include "core/ports/ports.hpp"

namespace otts {

class OneTimeTokens {
public:
    static constexpr UnixSeconds k_default_ttl = 8 * 3600;

    // `keys.front()` signs; every key verifies.
    OneTimeTokens(Ports ports, jwt::KeySet keys, UnixSeconds leeway = jwt::k_default_leeway);

    // Claims {uuid, exp} (+ extra, which may not touch reserved claims). store_error if the row
    // cannot be written: a token is never handed out that could not be redeemed.
    Result<IssuedToken> issue(UnixSeconds ttl = k_default_ttl, const nlohmann::json& extra = {});

    // Signature, time and family checks, then a read of the store that consumes nothing:
    // token_used for a consumed token, token_not_found for one never issued here (or swept).
    Result<nlohmann::json> check(std::string_view token) const;

    // Verifies, then consumes in one conditional write. Errors: those of jwt verification,
    // token_used, token_not_found, token_expired, store_error.
    Result<nlohmann::json> consume(std::string_view token);

private:
    Result<nlohmann::json> verify_claims(std::string_view token) const;

    Ports m_ports;
    jwt::KeySet m_keys;
    UnixSeconds m_leeway;
};

}  // namespace otts
