#include "core/auth/cognito_client.hpp"

#include <algorithm>

#include "core/encoding/base64.hpp"
#include "core/encoding/json_member.hpp"
#include "core/encoding/json_text.hpp"
#include "core/jose/crypto.hpp"
#include "core/jose/jwks.hpp"
#include "core/http/url.hpp"

namespace otts {
namespace {

// What the IdP said when it refused, for the caller's message: Cognito's JSON API answers
// {"__type","message"}, the OAuth endpoints {"error","error_description"}.
std::string idp_message(const http::Response& response) {
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        for (const char* key : {"message", "error_description", "error", "__type"}) {
            if (auto message = optional_string(body, key)) return std::move(*message);
        }
    }
    return "HTTP " + std::to_string(response.status);
}

Result<http::Response> send_checked(HttpClient& client, http::Request request) {
    OTTS_TRY(auto response, client.send(request));
    if (response.status >= 500)
        return make_error(ErrorCode::server_error, "identity provider: " + idp_message(response));
    if (response.status >= 300) return make_error(ErrorCode::invalid_token, idp_message(response));
    return response;
}

Result<nlohmann::json> json_object(const http::Response& response) {
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object()) return make_error(ErrorCode::server_error, "identity provider answered with no JSON object");
    return body;
}

}  // namespace

CognitoClient::CognitoClient(CognitoEndpoints endpoints, const Clock& clock)
    : m_endpoints(std::move(endpoints)), m_clock(clock) {}

Result<jwt::KeySet> CognitoClient::fetch_keys() {
    http::Request request;
    request.method = "GET";
    request.path = m_endpoints.jwks_path;
    OTTS_TRY(auto response, send_checked(*m_endpoints.jwks, request));
    return keys_from_jwks(response.body);
}

Result<jwt::KeySet> CognitoClient::signing_keys(std::string_view kid) {
    std::lock_guard lock(m_mutex);
    const UnixSeconds now = m_clock.now();
    auto has_kid = [&](const jwt::KeySet& keys) {
        return std::any_of(keys.begin(), keys.end(), [&](const jwt::Key& key) { return key.kid == kid; });
    };
    const bool fresh = m_keys && now - m_fetched_at < k_jwks_ttl;
    // Attempts, failed ones included, count against the limit: an IdP that is down must not
    // be asked again for every token that names a kid we lack.
    const bool may_refetch = !m_attempted_at || now - *m_attempted_at >= k_jwks_min_refetch;
    if (fresh && (has_kid(*m_keys) || !may_refetch)) return *m_keys;
    m_attempted_at = now;
    auto keys = fetch_keys();
    if (!keys) {
        if (fresh) return *m_keys;  // keep serving what we had within its hour
        return keys.error();
    }
    m_keys = std::move(*keys);
    m_fetched_at = now;
    return *m_keys;
}

Result<IdpTokens> CognitoClient::exchange_code(const std::string& code, const std::string& redirect_uri,
                                               const std::optional<std::string>& code_verifier) {
    url::Pairs form{{"grant_type", "authorization_code"},
                    {"client_id", m_endpoints.client_id},
                    {"code", code},
                    {"redirect_uri", redirect_uri}};
    if (!m_endpoints.client_secret.empty()) form.emplace_back("client_secret", m_endpoints.client_secret);
    if (code_verifier) form.emplace_back("code_verifier", *code_verifier);
    http::Request request;
    request.method = "POST";
    request.path = "/oauth2/token";
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    request.body = url::encode_pairs(form);
    OTTS_TRY(auto response, send_checked(*m_endpoints.domain, request));
    OTTS_TRY(auto body, json_object(response));
    auto access = non_empty_string(body, "access_token");
    auto id = non_empty_string(body, "id_token");
    if (!access || !id) return make_error(ErrorCode::server_error, "token endpoint answered without tokens");
    return IdpTokens{*access, *id, non_empty_string(body, "refresh_token")};
}

Result<IdpTokens> CognitoClient::refresh(const std::string& refresh_token, const std::string& username) {
    nlohmann::json params{{"REFRESH_TOKEN", refresh_token}};
    if (!m_endpoints.client_secret.empty()) {
        params["SECRET_HASH"] =
            base64_encode(crypto::hmac_sha256(m_endpoints.client_secret, username + m_endpoints.client_id));
    }
    nlohmann::json body{
        {"AuthFlow", "REFRESH_TOKEN_AUTH"}, {"ClientId", m_endpoints.client_id}, {"AuthParameters", params}};
    http::Request request;
    request.method = "POST";
    request.path = "/";
    request.headers["Content-Type"] = "application/x-amz-json-1.1";
    request.headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService.InitiateAuth";
    request.body = json_text(body);
    OTTS_TRY(auto response, send_checked(*m_endpoints.api, request));
    OTTS_TRY(auto answer, json_object(response));
    auto result = answer.find("AuthenticationResult");
    if (result == answer.end() || !result->is_object()) {
        return make_error(ErrorCode::invalid_token, idp_message(response));
    }
    auto access = non_empty_string(*result, "AccessToken");
    auto id = non_empty_string(*result, "IdToken");
    if (!access || !id) return make_error(ErrorCode::server_error, "InitiateAuth answered without tokens");
    return IdpTokens{*access, *id, non_empty_string(*result, "RefreshToken")};
}

}  // namespace otts
