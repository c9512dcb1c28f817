#include "core/tokens/user_tokens.hpp"

#include "core/tokens/token_family.hpp"

namespace otts {

UserTokens::UserTokens(const Clock& clock, jwt::KeySet keys, UnixSeconds leeway)
    : m_clock(clock), m_keys(std::move(keys)), m_leeway(leeway) {}

Result<IssuedToken> UserTokens::issue(const std::string& user_id, UnixSeconds ttl, const nlohmann::json& extra) {
    if (m_keys.empty()) return make_error(ErrorCode::key_error, "no signing key for user tokens");
    if (user_id.empty()) return make_error(ErrorCode::usage, "a user token needs a user id");
    const UnixSeconds now = m_clock.now();
    nlohmann::json claims = {{"userId", user_id}, {"iat", now}, {"exp", now + ttl}};
    OTTS_TRY_VOID(add_extra_claims(claims, extra));
    OTTS_TRY(auto token, jwt::encode(claims, m_keys.front()));
    return IssuedToken{std::move(token), std::move(claims), now + ttl};
}

Result<nlohmann::json> UserTokens::check(std::string_view token) const {
    return verify_family_token(token, m_keys, Family::user, m_clock.now(), m_leeway);
}

}  // namespace otts
