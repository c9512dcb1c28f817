#include "core/tokens/one_time_tokens.hpp"

#include "core/tokens/token_family.hpp"

namespace otts {

OneTimeTokens::OneTimeTokens(Ports ports, jwt::KeySet keys, UnixSeconds leeway)
    : m_ports(ports), m_keys(std::move(keys)), m_leeway(leeway) {}

Result<IssuedToken> OneTimeTokens::issue(UnixSeconds ttl, const nlohmann::json& extra) {
    if (m_keys.empty()) return make_error(ErrorCode::key_error, "no signing key for one-time tokens");
    const UnixSeconds exp = m_ports.clock.now() + ttl;
    nlohmann::json claims = {{"uuid", m_ports.random.uuid_v4()}, {"exp", exp}};
    OTTS_TRY_VOID(add_extra_claims(claims, extra));
    OTTS_TRY(auto token, jwt::encode(claims, m_keys.front()));
    // The row doubles as the tombstone, so it lives as long as any verifier could accept the token.
    const TokenRow row{TokenKind::one_time, claims["uuid"], jwt::record_expiry(exp), std::nullopt};
    OTTS_TRY_VOID(m_ports.store.put_token(row));
    return IssuedToken{std::move(token), std::move(claims), exp};
}

Result<nlohmann::json> OneTimeTokens::verify_claims(std::string_view token) const {
    return verify_family_token(token, m_keys, Family::one_time, m_ports.clock.now(), m_leeway);
}

Result<nlohmann::json> OneTimeTokens::check(std::string_view token) const {
    OTTS_TRY(auto claims, verify_claims(token));
    OTTS_TRY(const auto row, m_ports.store.get_token(TokenKind::one_time, claims["uuid"], m_ports.clock.now()));
    if (!row) return make_error(ErrorCode::token_not_found);
    if (row->consumed_at) return make_error(ErrorCode::token_used);
    return claims;
}

Result<nlohmann::json> OneTimeTokens::consume(std::string_view token) {
    // No read first: the conditional write alone decides the winner among racing consumers.
    OTTS_TRY(auto claims, verify_claims(token));
    const UnixSeconds now = m_ports.clock.now();
    OTTS_TRY(const auto outcome, m_ports.store.consume_token(TokenKind::one_time, claims["uuid"], now));
    switch (outcome) {
        case ConsumeOutcome::consumed: return claims;
        case ConsumeOutcome::already_used: return make_error(ErrorCode::token_used);
        case ConsumeOutcome::not_found: return make_error(ErrorCode::token_not_found);
        case ConsumeOutcome::expired: return make_error(ErrorCode::token_expired);
    }
    return make_error(ErrorCode::internal, "unknown consume outcome");
}

}  // namespace otts
