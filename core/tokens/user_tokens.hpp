#pragma once
// S4: user tokens {userId, iat, exp} for the WebSocket API. Stateless: no store row.
#include <string>
#include <string_view>

#include "core/tokens/issued_token.hpp"
#include "core/jose/jwt.hpp"
#include "core/ports/clock.hpp"

namespace otts {

class UserTokens {
public:
    static constexpr UnixSeconds k_default_ttl = 3600;

    UserTokens(const Clock& clock, jwt::KeySet keys, UnixSeconds leeway = jwt::k_default_leeway);

    Result<IssuedToken> issue(const std::string& user_id, UnixSeconds ttl = k_default_ttl,
                              const nlohmann::json& extra = {});
    Result<nlohmann::json> check(std::string_view token) const;

private:
    const Clock& m_clock;
    jwt::KeySet m_keys;
    UnixSeconds m_leeway;
};

}  // namespace otts
