#include "core/tokens/create_tokens.hpp"

#include "core/pow/pow.hpp"
#include "core/tokens/token_family.hpp"

namespace otts {

CreateTokens::CreateTokens(Ports ports, jwt::KeySet keys, CreateTokenPolicy policy)
    : m_ports(ports), m_keys(std::move(keys)), m_policy(std::move(policy)) {}

Result<IssuedToken> CreateTokens::issue(std::optional<int> difficulty, std::optional<UnixSeconds> ttl,
                                        const nlohmann::json& extra) {
    if (m_keys.empty()) return make_error(ErrorCode::key_error, "no signing key for create tokens");
    const int bits = difficulty.value_or(m_policy.pow_difficulty);
    if (bits < 0 || bits > pow::k_max_difficulty) {
        return make_error(ErrorCode::usage,
                          "PoW difficulty must be between 0 and " + std::to_string(pow::k_max_difficulty));
    }
    const UnixSeconds now = m_ports.clock.now();
    const UnixSeconds exp = now + ttl.value_or(m_policy.ttl);
    nlohmann::json claims = {
        {"jti", m_ports.random.uuid_v4()},
        {"iat", now},
        {"exp", exp},
        {"op", "create"},
        {"nonce", m_ports.random.hex(16)},
        {"pow_difficulty", bits},
        {"pow_prefix", m_policy.pow_prefix},
    };
    OTTS_TRY_VOID(add_extra_claims(claims, extra));
    OTTS_TRY(auto token, jwt::encode(claims, m_keys.front()));
    return IssuedToken{std::move(token), std::move(claims), exp};
}

Result<nlohmann::json> CreateTokens::verify_claims(std::string_view token) const {
    return verify_family_token(token, m_keys, Family::create, m_ports.clock.now(), m_policy.leeway);
}

Result<nlohmann::json> CreateTokens::check(std::string_view token) const {
    OTTS_TRY(auto claims, verify_claims(token));
    OTTS_TRY(const auto row, m_ports.store.get_token(TokenKind::create_jti, claims["jti"], m_ports.clock.now()));
    if (row) return make_error(ErrorCode::token_used);
    return claims;
}

Result<nlohmann::json> CreateTokens::check_solution(std::string_view token, std::optional<std::string_view> nonce,
                                                    std::string_view solution) const {
    OTTS_TRY(auto claims, check(token));
    OTTS_TRY_VOID(verify_solution(claims, nonce, solution));
    return claims;
}

Result<void> CreateTokens::verify_solution(const nlohmann::json& claims, std::optional<std::string_view> nonce,
                                           std::string_view solution) const {
    const auto& claimed_nonce = claims["nonce"].get_ref<const std::string&>();
    if (nonce && *nonce != claimed_nonce) {
        return make_error(ErrorCode::invalid_token, "nonce does not match the token");
    }
    // The challenge comes from the signed claims, never from the request.
    if (!pow::pow_valid(claims["pow_prefix"].get<std::string>(), claimed_nonce, solution,
                        claims["pow_difficulty"].get<int>())) {
        return make_error(ErrorCode::pow_invalid);
    }
    return Ok{};
}

Result<nlohmann::json> CreateTokens::redeem(std::string_view token, std::optional<std::string_view> nonce,
                                            std::string_view solution) {
    // No replay-set read first: record_once alone decides the winner among racing redeemers.
    OTTS_TRY(auto claims, verify_claims(token));
    OTTS_TRY_VOID(verify_solution(claims, nonce, solution));
    const UnixSeconds now = m_ports.clock.now();
    const UnixSeconds keep_until = jwt::record_expiry(jwt::expiry_of(claims));
    OTTS_TRY(const auto outcome, m_ports.store.record_once(TokenKind::create_jti, claims["jti"], keep_until, now));
    if (outcome != ConsumeOutcome::consumed) return make_error(ErrorCode::token_used);
    return claims;
}

}  // namespace otts
