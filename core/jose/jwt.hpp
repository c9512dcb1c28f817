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
// The largest clock leeway any verifier may use (settings refuse more; verify clamps to it).
// Single-use records are kept this long past exp: see record_expiry.
inline constexpr UnixSeconds k_max_leeway = 300;
// NumericDate claims (exp, nbf, iat) outside [0, 9999-12-31T23:59:59Z] are invalid: checked
// before any conversion to an integer, which would be undefined for 1e19 or 1e300.
inline constexpr double k_max_numeric_date = 253402300799.0;

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
// missing, non-numeric or out-of-range exp/nbf/iat), token_expired (now >= expiry_of + leeway,
// as RFC 7519 §4.1.4 and the originals' jsonwebtoken), token_not_yet_valid (nbf or iat >
// now + leeway). Returns the verified payload.
Result<nlohmann::json> verify(std::string_view token, const KeySet& keys, const VerifyOptions& opts);

// The whole second a verified payload's exp names, rounded up (exp may be fractional). A
// verifier with leeway L accepts the token while now < expiry_of(payload) + L.
UnixSeconds expiry_of(const nlohmann::json& verified_payload);

// Until when a single-use record (tombstone, replay jti, spent code) of a token expiring at
// `exp` is kept. Stores treat a row as live while now < expires_at: the same comparison as
// acceptance, on a bound at least as late as every verifier's (leeway <= k_max_leeway), so no
// verifier sharing the store, whatever its leeway, can accept the token once its record is
// gone (DESIGN §5).
constexpr UnixSeconds record_expiry(UnixSeconds exp) { return exp + k_max_leeway; }

}  // namespace otts::jwt
