#pragma once
// IdentityProvider over Cognito's HTTP API (the real service, cognito-local, or another
// `otts serve`'s dev IdP): the hosted UI's /oauth2/token on the domain, the JSON API's
// InitiateAuth, and the pool's JWKS, cached for an hour (refetched early when a token names a
// kid the cache lacks, at most once a minute, so a key rotation is picked up without letting
// a stream of bogus kids hammer the IdP).
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/ports/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/auth/identity_provider.hpp"

namespace otts {

struct CognitoEndpoints {
    HttpClient* domain;     // https://{COGNITO_DOMAIN}: /oauth2/token
    HttpClient* api;        // https://cognito-idp.{region}.amazonaws.com/: InitiateAuth
    HttpClient* jwks;       // where jwks_path is served
    std::string jwks_path;  // "/{pool}/.well-known/jwks.json"
    std::string client_id;
    std::string client_secret;  // empty: a public client
};

class CognitoClient final : public IdentityProvider {
public:
    static constexpr UnixSeconds k_jwks_ttl = 3600;
    static constexpr UnixSeconds k_jwks_min_refetch = 60;

    CognitoClient(CognitoEndpoints endpoints, const Clock& clock);

    Result<jwt::KeySet> signing_keys(std::string_view kid) override;
    Result<IdpTokens> exchange_code(const std::string& code, const std::string& redirect_uri,
                                    const std::optional<std::string>& code_verifier) override;
    Result<IdpTokens> refresh(const std::string& refresh_token, const std::string& username) override;

private:
    Result<jwt::KeySet> fetch_keys();

    CognitoEndpoints m_endpoints;
    const Clock& m_clock;
    std::mutex m_mutex;
    std::optional<jwt::KeySet> m_keys;
    UnixSeconds m_fetched_at = 0;
    std::optional<UnixSeconds> m_attempted_at;
};

}  // namespace otts
