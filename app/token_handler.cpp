#include "app/token_handler.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "adapters/data_home.hpp"
#include "adapters/httplib_client.hpp"
#include "core/api/dev_idp_routes.hpp"
#include "core/auth/cognito_client.hpp"
#include "core/encoding/text.hpp"
#include "core/http/url.hpp"
#include "core/auth/webauthn.hpp"

namespace otts::app {
namespace {

// The original's booleans: "true", "1" or "True".
bool flag(const Settings& settings, std::string_view name) {
    const auto value = settings.get(name).value_or("");
    return value == "true" || value == "1" || value == "True";
}

std::vector<std::string> list(const Settings& settings, std::string_view name, bool lower) {
    auto items = comma_list(settings.get(name).value_or(""));
    if (lower) {
        for (auto& item : items) {
            std::transform(item.begin(), item.end(), item.begin(), [](unsigned char c) { return std::tolower(c); });
        }
    }
    return items;
}

// "_auth" → "/_auth", "/auth/" → "/auth", "" → "" (the original's normalisation).
std::string path_prefix(std::string_view given) {
    std::string text(trim(given, " "));
    if (text.empty()) return text;
    if (text.front() != '/') text.insert(text.begin(), '/');
    while (!text.empty() && text.back() == '/') text.pop_back();
    return text;
}

Result<std::string> required(const Settings& settings, std::string_view name) {
    auto value = settings.get(name);
    if (!value)
        return make_error(ErrorCode::usage, std::string(name) + " is required when COGNITO_USER_POOL_ID is set");
    return std::move(*value);
}

// A host is Cognito's https hosted UI; a full URL (cognito-local, another otts) is taken as is.
std::string as_url(const std::string& host_or_url) {
    if (host_or_url.starts_with("http://") || host_or_url.starts_with("https://")) {
        auto url = host_or_url;
        while (url.ends_with('/')) url.pop_back();
        return url;
    }
    return "https://" + host_or_url;
}

Result<std::optional<AuthzPolicy>> policy_from(const Settings& settings) {
    auto value = settings.get("OTTS_AUTHZ_POLICY");
    if (!value) return std::optional<AuthzPolicy>();
    std::string text = *value;
    if (const auto body = trim(text); !body.empty() && body.front() != '{') {
        OTTS_TRY(text, read_file(*value));
    }
    auto policy = AuthzPolicy::parse(text);
    if (!policy) return make_error(ErrorCode::usage, "OTTS_AUTHZ_POLICY: " + policy.error().message());
    return std::optional<AuthzPolicy>(std::move(*policy));
}

Result<std::unique_ptr<HttpClient>> client_for(const std::string& url) {
    OTTS_TRY(auto client, HttplibClient::create(url));
    return std::unique_ptr<HttpClient>(std::move(client));
}

}  // namespace

Result<std::optional<TokenHandlerSetup>> token_handler_setup(const Settings& settings, std::string session_secret,
                                                             std::optional<jwt::Key> dev_idp_key) {
    const auto pool = settings.get("COGNITO_USER_POOL_ID");
    if (!pool && !dev_idp_key) return std::optional<TokenHandlerSetup>();
    TokenHandlerSetup setup;
    auto& routes = setup.routes;
    routes.prefix = path_prefix(settings.get("AUTH_PATH_PREFIX").value_or("/auth"));
    routes.frontend_url = settings.get("FRONTEND_URL").value_or("http://localhost:3000");
    while (routes.frontend_url.ends_with('/')) routes.frontend_url.pop_back();
    routes.https_only = flag(settings, "SESSION_HTTPS_ONLY");
    routes.callback_use_origin = flag(settings, "CALLBACK_USE_ORIGIN");
    routes.callback_allowed_origins = list(settings, "CALLBACK_ALLOWED_ORIGINS", true);
    routes.service_token = settings.get("SERVICE_TOKEN").value_or("");
    routes.credentials.expected_origin = routes.frontend_url;
    OTTS_TRY(routes.credentials.aaguid_allowlist,
             parse_aaguid_allowlist(settings.get("AAGUID_ALLOWLIST").value_or("")));
    routes.credentials.require_device_bound = flag(settings, "REQUIRE_DEVICE_BOUND");
    setup.cookie = {routes.https_only, settings.get("COOKIE_DOMAIN").value_or("")};
    if (auto configured = settings.get("SESSION_SECRET")) session_secret = *configured;
    if (session_secret.empty()) return make_error(ErrorCode::key_error, "SESSION_SECRET is required");
    OTTS_TRY_VOID(Sessions::check_secret(session_secret));
    setup.session_secret = std::move(session_secret);
    OTTS_TRY(setup.policy, policy_from(settings));

    // The original's issuer, https://cognito-idp.{COGNITO_REGION}.amazonaws.com/{pool}; the dev
    // IdP writes the same shape (its pool: local_otts), which l42's auth.js requires of iss.
    const auto region = settings.get("COGNITO_REGION").value_or("us-west-2");
    routes.issuer = settings.get("COGNITO_ISSUER").value_or(cognito_issuer(region, pool.value_or(k_dev_idp_pool_id)));
    if (pool) {
        OTTS_TRY(routes.client_id, required(settings, "COGNITO_CLIENT_ID"));
        OTTS_TRY(const auto domain, required(settings, "COGNITO_DOMAIN"));
        const auto api = settings.get("COGNITO_ENDPOINT").value_or("https://cognito-idp." + region + ".amazonaws.com");
        setup.cognito = CognitoUrls{as_url(domain), as_url(api),
                                    settings.get("COGNITO_JWKS_URL").value_or(routes.issuer + "/.well-known/jwks.json"),
                                    settings.get("COGNITO_CLIENT_SECRET").value_or("")};
        routes.authorize_endpoint = setup.cognito->domain + "/oauth2/authorize";
    } else {
        routes.client_id = settings.get("COGNITO_CLIENT_ID").value_or("otts-local");
        // Its endpoints are the server's own URL; its JWKS is read in process.
        setup.dev_idp_key = std::move(dev_idp_key);
    }
    routes.audiences = {routes.client_id};
    for (auto& extra : list(settings, "ADDITIONAL_AUDIENCE", false)) routes.audiences.push_back(std::move(extra));
    return std::optional<TokenHandlerSetup>(std::move(setup));
}

TokenHandler::TokenHandler(TokenHandlerSetup setup, SessionStore& sessions, Store& store, const Clock& clock,
                           Random& random)
    : m_setup(std::move(setup)),
      m_store(store),
      m_clock(clock),
      m_random(random),
      m_sessions(sessions, clock, random, m_setup.session_secret, m_setup.cookie) {}

TokenHandler::~TokenHandler() = default;

Result<std::unique_ptr<TokenHandler>> TokenHandler::create(TokenHandlerSetup setup, SessionStore& sessions,
                                                           Store& store, const Clock& clock, Random& random) {
    std::unique_ptr<TokenHandler> handler(new TokenHandler(std::move(setup), sessions, store, clock, random));
    if (const auto& cognito = handler->m_setup.cognito) {
        auto jwks_origin = url::origin_of(cognito->jwks);
        if (!jwks_origin) return make_error(ErrorCode::usage, "COGNITO_JWKS_URL must be an http(s) URL");
        for (const std::string& base : std::array{cognito->domain, cognito->api, *jwks_origin}) {
            OTTS_TRY(auto client, client_for(base));
            handler->m_clients.push_back(std::move(client));
        }
        auto& c = handler->m_clients;
        handler->m_idp = std::make_unique<CognitoClient>(
            CognitoEndpoints{c[0].get(), c[1].get(), c[2].get(), cognito->jwks.substr(jwks_origin->size()),
                             handler->m_setup.routes.client_id, cognito->client_secret},
            clock);
    }
    return handler;
}

api::SessionUser TokenHandler::add_routes(http::Router& router, const std::string& self_url) {
    auto config = m_setup.routes;
    if (!m_idp) {
        auto idp = std::make_unique<DevIdp>(
            DevIdpConfig{self_url, config.issuer, config.client_id, api::callback_urls(config)}, *m_setup.dev_idp_key,
            m_store, m_clock, m_random);
        api::add_dev_idp_routes(router, *idp);
        config.authorize_endpoint = self_url + "/oauth2/authorize";
        m_idp = std::move(idp);
    }
    const AuthzPolicy* policy = m_setup.policy ? &*m_setup.policy : nullptr;
    return api::add_token_handler_routes(router,
                                         api::TokenHandlerDeps{config, m_sessions, *m_idp, policy, m_clock, m_random});
}

std::string TokenHandler::frontend_origin() const { return url::origin_of(m_setup.routes.frontend_url).value_or(""); }

}  // namespace otts::app
