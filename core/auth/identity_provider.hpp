#pragma once
// The IdentityProvider port of the S2 token handler: what it asks of Cognito. Two adapters:
// CognitoClient (core/auth/cognito_client.hpp) speaks Cognito's HTTP API through HttpClient ports
// (the real service, cognito-local, or another otts serve's dev IdP), and DevIdp
// (core/auth/dev_idp.hpp) answers in process when `otts serve` runs with no Cognito configured.
#include <optional>
#include <string>
#include <string_view>

#include "core/jose/jwt.hpp"
#include "core/result.hpp"

namespace otts {

struct IdpTokens {
    std::string access_token;
    std::string id_token;
    std::optional<std::string> refresh_token;  // a refresh grant may not rotate it
};

class IdentityProvider {
public:
    virtual ~IdentityProvider() = default;
    // The keys id tokens are signed with (the JWKS), cached by the adapter, which may fetch them
    // anew when none carries `kid` (a rotation). endpoint_unreachable or server_error when they
    // cannot be fetched.
    virtual Result<jwt::KeySet> signing_keys(std::string_view kid) = 0;
    // POST /oauth2/token, grant_type=authorization_code (with the PKCE verifier when the login
    // began at /auth/login). invalid_token with the IdP's error text when it refuses.
    virtual Result<IdpTokens> exchange_code(const std::string& code, const std::string& redirect_uri,
                                            const std::optional<std::string>& code_verifier) = 0;
    // InitiateAuth REFRESH_TOKEN_AUTH. `username` (the id token's cognito:username) feeds the
    // SECRET_HASH a client with a secret must send. invalid_token with the IdP's message when it
    // refuses.
    virtual Result<IdpTokens> refresh(const std::string& refresh_token, const std::string& username) = 0;
};

}  // namespace otts
