#pragma once
// The S2 token handler as a front end gets it: its settings, read by the original's variable
// names, and the pieces they make (sessions, the IdP client or the dev IdP, the rule file).
//
// Variables (the original's): COGNITO_CLIENT_ID, COGNITO_CLIENT_SECRET, COGNITO_USER_POOL_ID,
// COGNITO_DOMAIN, COGNITO_REGION (us-west-2), SESSION_SECRET, SESSION_HTTPS_ONLY,
// COOKIE_DOMAIN, FRONTEND_URL (http://localhost:3000), AUTH_PATH_PREFIX (/auth),
// CALLBACK_USE_ORIGIN, CALLBACK_ALLOWED_ORIGINS, AAGUID_ALLOWLIST, REQUIRE_DEVICE_BOUND,
// SERVICE_TOKEN, ADDITIONAL_AUDIENCE. otts adds, for IdPs that are not Cognito's public
// endpoints (cognito-local, another otts serve): COGNITO_ENDPOINT (the JSON API),
// COGNITO_ISSUER, COGNITO_JWKS_URL; COGNITO_DOMAIN may be a full http(s) URL. And
// OTTS_AUTHZ_POLICY: the /auth/authorize rule file (a path, or the JSON itself).
// The dev IdP (no COGNITO_USER_POOL_ID) writes COGNITO_ISSUER, by default a user pool's issuer
// https://cognito-idp.{COGNITO_REGION}.amazonaws.com/local_otts, as l42's auth.js requires; its
// endpoints are the server's URL and the handler reads its keys in process.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/settings.hpp"
#include "core/api/token_handler_routes.hpp"
#include "core/auth/authz_policy.hpp"
#include "core/auth/dev_idp.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/session_store.hpp"
#include "core/auth/sessions.hpp"
#include "core/ports/store.hpp"

namespace otts::app {

struct CognitoUrls {
    std::string domain;  // scheme://host of the hosted UI (/oauth2/...)
    std::string api;     // the JSON API (InitiateAuth)
    std::string jwks;    // the full JWKS URL
    std::string client_secret;
};

struct TokenHandlerSetup {
    api::TokenHandlerConfig routes;
    std::string session_secret;
    CookieOptions cookie;
    std::optional<CognitoUrls> cognito;  // nullopt: the dev IdP, with this key
    std::optional<jwt::Key> dev_idp_key;
    std::optional<AuthzPolicy> policy;
};

// The setup from settings. nullopt when S2 is off: no COGNITO_USER_POOL_ID and `dev_idp_key`
// absent (the Lambda without Cognito). `session_secret` is SESSION_SECRET or, in the emulator,
// one derived from the data home; empty: SESSION_SECRET is required. usage or key_error naming
// the variable for a bad value.
Result<std::optional<TokenHandlerSetup>> token_handler_setup(const Settings& settings, std::string session_secret,
                                                             std::optional<jwt::Key> dev_idp_key);

class TokenHandler {
public:
    static Result<std::unique_ptr<TokenHandler>> create(TokenHandlerSetup setup, SessionStore& sessions, Store& store,
                                                        const Clock& clock, Random& random);
    ~TokenHandler();

    // The routes (and the dev IdP's, whose endpoints are at `self_url`, the emulator's own URL).
    api::SessionUser add_routes(http::Router& router, const std::string& self_url);
    // FRONTEND_URL's origin, for CORS.
    std::string frontend_origin() const;

private:
    TokenHandler(TokenHandlerSetup setup, SessionStore& sessions, Store& store, const Clock& clock, Random& random);

    TokenHandlerSetup m_setup;
    Store& m_store;
    const Clock& m_clock;
    Random& m_random;
    Sessions m_sessions;
    std::vector<std::unique_ptr<HttpClient>> m_clients;
    std::unique_ptr<IdentityProvider> m_idp;
};

}  // namespace otts::app
