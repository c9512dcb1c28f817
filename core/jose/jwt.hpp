#pragma once
// Compact JWS (JWT) encode, decode and verify: DESIGN §3. Pure functions: time and keys are
// arguments. The verifier never trusts the header's alg alone: every key carries the one
// algorithm it may be used with, and a token whose alg differs from the key's is rejected.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ports/clock.hpp"
#include "core/jose/crypto.hpp"
#include "core/result.hpp"

namespace otts::jwt {

inline constexpr std::size_t k_max_token_bytes = 8 * 1024;
inline constexpr UnixSeconds k_default_leeway = 30;

enum class Alg { HS256, ES256, RS256 };
std::string_view alg_name(Alg alg);

// A key bound to exactly one algorithm. HS256 secrets must be at least 32 bytes.
struct Key {
    Alg alg;
    std::string kid;                   // empty: no kid in tokens it signs, matches tokens without kid
    std::string secret;                // HS256 only
    std::optional<crypto::PKey> pkey;  // ES256 / RS256

    static Result<Key> hs256(std::string secret, std::string kid = {});
    static Result<Key> es256(crypto::PKey pkey, std::string kid = {});
    static Result<Key> rs256(crypto::PKey pkey, std::string kid = {});
};

// Keys a verifier accepts, in order of preference (current first, then previous ones for
// rotation). A token with a kid is checked only against keys with that kid; a token
// without one is checked against every key of its algorithm.
using KeySet = std::vector<Key>;

struct Decoded {
    nlohmann::json header;      // object
    nlohmann::json payload;     // object
    std::string signing_input;  // "<b64 header>.<b64 payload>"
    std::string signature;      // raw bytes
};

// Signs `payload` (a JSON object) with `key`; header is {"alg","typ":"JWT"[,"kid"]}.
Result<std::string> encode(const nlohmann::json& payload, const Key& key);

// Splits and parses without verifying anything but structure: exactly three parts, strict
// base64url, header and payload JSON objects without duplicate member names, size limit.
// invalid_token on any failure.
Result<Decoded> decode(std::string_view token);

struct VerifyOptions {
    UnixSeconds now;
    UnixSeconds leeway = k_default_leeway;
    bool require_exp = true;
};

// decode + signature + time claims. Errors: invalid_token (format, alg, kid, signature, crit,
// missing or non-numeric exp), token_expired (now > exp + leeway), token_not_yet_valid
// (nbf or iat > now + leeway). Returns the verified payload.
Result<nlohmann::json> verify(std::string_view token, const KeySet& keys, const VerifyOptions& opts);

}  // namespace otts::jwt
