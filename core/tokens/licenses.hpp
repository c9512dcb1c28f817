#pragma once
// S3 licenses: an ES256 JWT {id, email, exp, nbf[, workspace_limit, seat_count]} handed to
// users as standard base64 text. The license binds PINs and access tokens through
// license_key_hash = "sha256:" + hex(SHA-256(license text)).
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/jose/jwt.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/random.hpp"

namespace otts {

struct LicenseRequest {
    std::string email;
    UnixSeconds valid_for = 365 * 86400;
    std::optional<int> workspace_limit;
    std::optional<int> seat_count;
};

struct License {
    std::string text;  // standard base64 of the compact JWT
    nlohmann::json claims;
    std::string key_hash;
};

// "sha256:" + lowercase hex of SHA-256 over the license text exactly as given.
std::string license_key_hash(std::string_view text);

// A plausible address: one '@', non-empty local part, a dot in the domain, no spaces.
bool is_plausible_email(std::string_view email);

class Licenses {
public:
    // `keys.front()` must hold the private key to create; any key verifies.
    Licenses(const Clock& clock, Random& random, jwt::KeySet keys, UnixSeconds leeway = jwt::k_default_leeway);

    Result<License> create(const LicenseRequest& request) const;

    // Accepts the base64 text (surrounding whitespace ignored); a bare compact JWT is accepted
    // too, for licenses pasted straight from a signer. invalid_token / token_expired /
    // token_not_yet_valid as jwt::verify, plus invalid_token for a malformed license.
    Result<License> verify(std::string_view text) const;

private:
    const Clock& m_clock;
    Random& m_random;
    jwt::KeySet m_keys;
    UnixSeconds m_leeway;
};

}  // namespace otts
