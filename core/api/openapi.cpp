#include "core/api/openapi.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace otts::api {
namespace {

struct RouteSummary {
    std::string_view method;
    std::string_view pattern;
    std::string_view summary;
};

// Every route of DESIGN §7, including those of modules wired in by other front-end work.
constexpr std::array k_summaries{
    RouteSummary{"POST", "/token", "S0: issue a create token with a proof-of-work challenge"},
    RouteSummary{"POST", "/token/redeem", "S0: redeem a create token once with a PoW solution"},
    RouteSummary{"POST", "/secrets", "S0: store an encrypted secret, spending a create token and its PoW (201)"},
    RouteSummary{"GET", "/secrets/{id}",
                 "S0: read a secret, one view (?accessToken= re-reads within 30 s); 404 not_available"},
    RouteSummary{"DELETE", "/secrets/{id}", "S0: burn a secret with its X-Burn-Token (always 204)"},
    RouteSummary{"GET", "/tokens", "S1: issue a one-time token"},
    RouteSummary{"POST", "/tokens", "S1: validate and consume a one-time token"},
    RouteSummary{"POST", "/v1/auth/request-pin", "S3: mail a PIN for a license"},
    RouteSummary{"POST", "/v1/auth/verify-pin", "S3: exchange license and PIN for access and refresh tokens"},
    RouteSummary{"POST", "/v1/auth/refresh", "S3: rotate a refresh token"},
    RouteSummary{"POST", "/v1/auth/logout", "S3: log out (stateless)"},
    RouteSummary{"POST", "/user/auth/jwt-token", "S4: issue a 1 h user token for a signed-in user"},
    RouteSummary{"GET", "/@connections", "S4 (otts extension): list the WebSocket connections"},
    RouteSummary{"POST", "/@connections/{id}", "S4: push a message to a WebSocket connection"},
    RouteSummary{"GET", "/@connections/{id}", "S4: describe a WebSocket connection"},
    RouteSummary{"DELETE", "/@connections/{id}", "S4: drop a WebSocket connection"},
    RouteSummary{"GET", "/_otts/health", "Emulator: status, version, store and current PoW difficulty"},
    RouteSummary{"POST", "/_otts/sweep", "Emulator: delete expired rows now"},
    RouteSummary{"POST", "/_otts/reset", "Emulator: clear the store"},
    RouteSummary{"GET", "/_otts/openapi.json", "Emulator: this document"},
    RouteSummary{"GET", "/_otts/outbox", "Emulator: mail sent, filtered by ?to= or ?id="},
    RouteSummary{"DELETE", "/_otts/outbox", "Emulator: clear the outbox"},
    RouteSummary{"DELETE", "/_otts/outbox/{id}", "Emulator: delete one mail"},
    RouteSummary{"GET", "/", "S1: the web page"},
    RouteSummary{"GET", "/health", "S2: token handler health (mode, rule file loaded)"},
    RouteSummary{"GET", "/auth/token", "S2: the session's access and id tokens"},
    RouteSummary{"POST", "/auth/session", "S2: start a session from IdP tokens (id token verified)"},
    RouteSummary{"POST", "/auth/refresh", "S2: refresh the session's tokens at the IdP"},
    RouteSummary{"POST", "/auth/logout", "S2: end the session"},
    RouteSummary{"GET", "/auth/login", "S2: redirect to the IdP's sign-in (PKCE)"},
    RouteSummary{"GET", "/auth/callback", "S2: exchange the IdP's code, redirect to the frontend"},
    RouteSummary{"GET", "/auth/me", "S2: email, sub and groups of the signed-in user"},
    RouteSummary{"POST", "/auth/authorize", "S2: the rule file's decision for an action"},
    RouteSummary{"POST", "/auth/validate-credential", "S2: check a WebAuthn attestation against the policy"},
    RouteSummary{"GET", "/oauth2/authorize", "Dev IdP: the sign-in page"},
    RouteSummary{"POST", "/oauth2/authorize", "Dev IdP: sign in, redirect with a code"},
    RouteSummary{"POST", "/oauth2/token", "Dev IdP: authorization_code (PKCE) and refresh_token grants"},
    RouteSummary{"GET", "/.well-known/jwks.json", "Dev IdP: its RS256 signing keys"},
    RouteSummary{"GET", "/.well-known/openid-configuration", "Dev IdP: OpenID discovery"},
    RouteSummary{"POST", "/", "Dev IdP: Cognito's JSON API (InitiateAuth REFRESH_TOKEN_AUTH)"},
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

nlohmann::json path_parameters(std::string_view pattern) {
    auto params = nlohmann::json::array();
    for (std::size_t open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1)) {
        const auto close = pattern.find('}', open);
        if (close == std::string_view::npos) break;
        params.push_back({{"name", std::string(pattern.substr(open + 1, close - open - 1))},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
    }
    return params;
}

nlohmann::json operation(const http::RouteKey& route) {
    const auto summary = route_summary(route.method, route.pattern);
    nlohmann::json op = {
        {"summary", std::string(summary.value_or("(no summary)"))},
        {"responses",
         {{"200",
           {{"description", "Success"}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
          {"default", {{"description", "Error in the route family's shape"}}}}},
    };
    if (auto params = path_parameters(route.pattern); !params.empty()) op["parameters"] = std::move(params);
    return op;
}

}  // namespace

std::optional<std::string_view> route_summary(std::string_view method, std::string_view pattern) {
    for (const auto& row : k_summaries) {
        if (row.method == method && row.pattern == pattern) return row.summary;
    }
    return std::nullopt;
}

nlohmann::json openapi_document(const std::vector<http::RouteKey>& routes, const std::string& version) {
    nlohmann::json paths = nlohmann::json::object();
    for (const auto& route : routes) paths[route.pattern][lower(route.method)] = operation(route);
    return {
        {"openapi", "3.0.3"},
        {"info", {{"title", "otts"}, {"version", version}, {"description", "One-time token service emulator"}}},
        {"paths", std::move(paths)},
    };
}

}  // namespace otts::api
