#pragma once
// A Cognito-shaped identity provider for development, so that `otts serve` runs the S2 token
// handler with no AWS account. It signs RS256 id and access tokens shaped like a Cognito user
// pool's (iss, aud/client_id, sub, email, cognito:groups, cognito:username, token_use) with a
// key kept in the data home, and serves the hosted UI's endpoints (core/api/dev_idp_routes):
// a sign-in page where a developer types an email and groups, /oauth2/token (authorization
// code with PKCE, refresh token), the JWKS, the discovery document and InitiateAuth
// REFRESH_TOKEN_AUTH. There are no passwords: it is a development tool and says so.
//
// Its tokens' `iss` is Cognito's shape (https://cognito-idp.{region}.amazonaws.com/{pool id}), not
// this server's URL: l42's browser library treats an id token whose iss lacks the
// https://cognito-idp.{region}.amazonaws.com/ prefix as signed out. The endpoints (the sign-in
// page, /oauth2/token, the JWKS) stay on this server's URL.
//
// Codes and refresh tokens are JWTs signed by the same key (audience "{issuer}/oauth2/token",
// so neither passes for an id token); a code is redeemed once (Store::record_once), so several
// instances on one DynamoDB store agree. Refresh tokens are not revocable.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ports/clock.hpp"
#include "core/auth/identity_provider.hpp"
#include "core/ports/random.hpp"
#include "core/ports/store.hpp"

namespace otts {

struct DevIdpConfig {
    std::string base_url;   // this server's URL, e.g. "http://127.0.0.1:8080": the endpoints
    std::string issuer;     // the tokens' iss: cognito_issuer(region, pool id)
    std::string client_id;  // the one app client
    // The registered callback URLs (the token handler's, api::callback_urls). A redirect_uri
    // must equal one of them exactly, as Cognito compares an app client's CallbackURLs: a
    // prefix or origin match would let `https://localhost:3000.evil.example/` through.
    std::vector<std::string> redirect_uris;
};

struct SignInRequest {
    std::string client_id;
    std::string redirect_uri;
    std::string code_challenge;  // S256; empty: no PKCE
    std::string code_challenge_method;
    std::string scope;
    std::string email;
    std::vector<std::string> groups;
};

class DevIdp final : public IdentityProvider {
public:
    static constexpr UnixSeconds k_code_ttl = 300;
    static constexpr UnixSeconds k_token_ttl = 3600;
    static constexpr UnixSeconds k_refresh_ttl = 30 * 24 * 3600;

    // `key` an RS256 private key (with its kid).
    DevIdp(DevIdpConfig config, jwt::Key key, Store& store, const Clock& clock, Random& random);

    const DevIdpConfig& config() const { return m_config; }

    // The sign-in page's POST: bad_request naming what is wrong (unknown client, redirect_uri
    // not registered, bad email, PKCE method other than S256); else a one-time code.
    Result<std::string> sign_in(const SignInRequest& request);
    // True for a registered redirect_uri (exact match).
    bool redirect_allowed(std::string_view redirect_uri) const;

    // /oauth2/token for any client of this IdP: `client_id` must be this IdP's, `redirect_uri`
    // registered and the one the code was issued for.
    Result<IdpTokens> code_grant(const std::string& client_id, const std::string& code, const std::string& redirect_uri,
                                 const std::optional<std::string>& code_verifier);
    Result<IdpTokens> refresh_grant(const std::string& client_id, const std::string& refresh_token);

    std::string jwks() const;
    nlohmann::json openid_configuration() const;

    // IdentityProvider, for the token handler in the same process.
    Result<jwt::KeySet> signing_keys(std::string_view kid) override;
    Result<IdpTokens> exchange_code(const std::string& code, const std::string& redirect_uri,
                                    const std::optional<std::string>& code_verifier) override;
    Result<IdpTokens> refresh(const std::string& refresh_token, const std::string& username) override;

private:
    struct User {
        std::string email;
        std::vector<std::string> groups;
    };
    Result<IdpTokens> tokens_for(const User& user, bool with_refresh);
    Result<nlohmann::json> verify_own(const std::string& token, std::string_view use);

    DevIdpConfig m_config;
    jwt::Key m_key;
    Store& m_store;
    const Clock& m_clock;
    Random& m_random;
};

// The dev IdP's pool id when none is configured.
inline constexpr const char* k_dev_idp_pool_id = "local_otts";

// A Cognito user pool's issuer: "https://cognito-idp.{region}.amazonaws.com/{pool_id}".
std::string cognito_issuer(std::string_view region, std::string_view pool_id);

// A stable Cognito-looking sub (a UUID) for an email: the same user signs in as the same sub.
std::string dev_idp_sub(std::string_view email);

}  // namespace otts
