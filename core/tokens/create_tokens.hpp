#pragma once
// S0: create tokens guarded by proof of work. Issuing is stateless (HS256 JWT carrying the
// challenge); redeeming checks the token, the nonce, the PoW solution against the challenge in
// the signed claims, and records the jti once (until jwt::record_expiry) so a token cannot be replayed.
#include <optional>
#include <string>
#include <string_view>

#include "core/tokens/issued_token.hpp"
#include "core/jose/jwt.hpp"
#include "core/ports/ports.hpp"

namespace otts {

struct CreateTokenPolicy {
    UnixSeconds ttl = 300;
    int pow_difficulty = 18;
    std::string pow_prefix = "sealed:";  // the original's constant
    UnixSeconds leeway = jwt::k_default_leeway;
};

class CreateTokens {
public:
    CreateTokens(Ports ports, jwt::KeySet keys, CreateTokenPolicy policy = {});

    // Claims {jti, iat, exp, op:"create", nonce, pow_difficulty, pow_prefix} (+ extra).
    // `difficulty` overrides the policy's (the emulator's adaptive ladder passes it).
    Result<IssuedToken> issue(std::optional<int> difficulty = std::nullopt,
                              std::optional<UnixSeconds> ttl = std::nullopt, const nlohmann::json& extra = {});

    // Signature, time and family checks, then a read of the replay set: token_used if the
    // token was redeemed already. Records nothing.
    Result<nlohmann::json> check(std::string_view token) const;

    // check; `nonce`, when given, must equal the token's; pow_invalid unless `solution` meets the
    // challenge in the token's claims. Records nothing.
    Result<nlohmann::json> check_solution(std::string_view token, std::optional<std::string_view> nonce,
                                          std::string_view solution) const;

    // Verifies the token and the solution, then records the jti in one conditional write:
    // token_used for every redeem after the first.
    Result<nlohmann::json> redeem(std::string_view token, std::optional<std::string_view> nonce,
                                  std::string_view solution);

    const CreateTokenPolicy& policy() const { return m_policy; }

private:
    Result<nlohmann::json> verify_claims(std::string_view token) const;
    Result<void> verify_solution(const nlohmann::json& claims, std::optional<std::string_view> nonce,
                                 std::string_view solution) const;

    Ports m_ports;
    jwt::KeySet m_keys;
    CreateTokenPolicy m_policy;
};

}  // namespace otts
