#pragma once
// RFC 7636 PKCE: the S256 code challenge, made by the token handler's /auth/login and checked
// by the dev IdP's /oauth2/token.
#include <string>
#include <string_view>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

namespace otts {

inline std::string pkce_challenge(std::string_view verifier) { return base64url_encode(crypto::sha256(verifier)); }

}  // namespace otts
