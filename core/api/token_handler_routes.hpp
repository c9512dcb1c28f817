#pragma once
// S2, the l42 token handler (original: lexicone42/l42-cognito-passkey, crate
// l42_token_handler). The browser holds only the signed l42_session cookie; the IdP's tokens
// stay in the session store; a sign-in under way is the signed l42_login cookie. Routes, under `prefix`
// (AUTH_PATH_PREFIX, default /auth):
//   GET  /health                  {"status":"ok","mode":"token-handler","cedar":"ready"|"unavailable"}
//   GET  {prefix}/token           {access_token, id_token, auth_method}; 401 when signed out/expired
//   POST {prefix}/session         {access_token, id_token, refresh_token?, auth_method?}: the id
//                                 token is verified (RS256 by JWKS, iss, aud, token_use); 403
//   POST {prefix}/refresh         InitiateAuth REFRESH_TOKEN_AUTH; a refusal ends the session
//   POST {prefix}/logout          always 200; the session is deleted and the cookie cleared
//   GET  {prefix}/login           307 to the IdP's /oauth2/authorize (PKCE S256 + state)
//   GET  {prefix}/callback        code exchange; always 307 to the frontend; a failure
//                                 changes no session; the IdP's ?error= goes on to
//                                 {frontend}/login?error=<error_description>
//   GET  {prefix}/me              {email, sub, groups}
//   POST {prefix}/authorize       the rule file's decision (not Cedar); 503 without one
//   POST {prefix}/validate-credential  WebAuthn attestation against the credential policy;
//                                 401 when signed out or the id token expired
// Every POST needs `X-L42-CSRF: 1` (checked before the handler, session or not), unless
// X-Service-Token equals SERVICE_TOKEN. Errors are {"error"[,"message"]} as in the original.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/auth/authz_policy.hpp"
#include "core/ports/clock.hpp"
#include "core/auth/identity_provider.hpp"
#include "core/ports/random.hpp"
#include "core/http/router.hpp"
#include "core/auth/sessions.hpp"
#include "core/auth/webauthn.hpp"

namespace otts::api {

struct TokenHandlerConfig {
    std::string prefix = "/auth";
    std::string frontend_url = "http://localhost:3000";
    std::string authorize_endpoint;      // "https://{COGNITO_DOMAIN}/oauth2/authorize"
    std::string client_id;               // sent to /oauth2/authorize
    std::vector<std::string> audiences;  // COGNITO_CLIENT_ID + ADDITIONAL_AUDIENCE
    std::string issuer;
    UnixSeconds leeway = 30;
    bool https_only = false;  // the callback URL's scheme when no X-Forwarded-Proto says
    bool callback_use_origin = false;
    std::vector<std::string> callback_allowed_origins;  // lower case
    std::string service_token;                          // empty: no bypass
    CredentialPolicy credentials;
};

struct TokenHandlerDeps {
    TokenHandlerConfig config;
    const Sessions& sessions;
    IdentityProvider& idp;
    const AuthzPolicy* policy;  // null: /authorize answers 503, /health says "unavailable"
    const Clock& clock;
    Random& random;
};

// The `sub` of the request's signed-in l42 session, if its id token has not expired (for
// POST /user/auth/jwt-token, S4).
using SessionUser = std::function<std::optional<std::string>(const http::Request&)>;

// Every redirect_uri the handler may send to the IdP (GET {prefix}/login), for the IdP's list
// of registered callback URLs: FRONTEND_URL + prefix + "/callback", or with CALLBACK_USE_ORIGIN
// each allowed origin's (FRONTEND_URL's origin when the allow-list is empty).
std::vector<std::string> callback_urls(const TokenHandlerConfig& config);

// The references in `deps` must outlive the router. Returns the SessionUser lookup.
SessionUser add_token_handler_routes(http::Router& router, TokenHandlerDeps deps);

}  // namespace otts::api
