#include "core/api/token_handler_routes.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <utility>

#include "core/api/error_bodies.hpp"
#include "core/api/json_body.hpp"
#include "core/auth/pkce.hpp"
#include "core/encoding/base64.hpp"
#include "core/encoding/json_member.hpp"
#include "core/http/url.hpp"
#include "core/jose/crypto.hpp"

namespace otts::api {
namespace {

// The session member, as the original names it (a session written by it reads the same).
constexpr const char* k_tokens = "tokens";

http::Response redirect(const std::string& location) {
    http::Response response;
    response.status = 307;
    response.headers["Location"] = location;
    return response;
}

// The session's stored tokens, or nullopt when signed out.
struct StoredTokens {
    std::string access_token;
    std::string id_token;
    std::optional<std::string> refresh_token;
    std::optional<std::string> auth_method;
};

std::optional<StoredTokens> stored_tokens(const Session& session) {
    auto it = session.data.find(k_tokens);
    if (it == session.data.end() || !it->is_object()) return std::nullopt;
    auto access = optional_string(*it, "access_token");
    auto id = optional_string(*it, "id_token");
    if (!access || !id) return std::nullopt;
    return StoredTokens{*access, *id, optional_string(*it, "refresh_token"), optional_string(*it, "auth_method")};
}

// The session's tokens; unauthenticated when signed out.
Result<StoredTokens> signed_in(const Session& session) {
    auto tokens = stored_tokens(session);
    if (!tokens) return make_error(ErrorCode::unauthenticated, "Not authenticated");
    return std::move(*tokens);
}

void store_tokens(Session& session, const StoredTokens& tokens) {
    auto optional = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
    session.data[k_tokens] = {{"access_token", tokens.access_token},
                              {"id_token", tokens.id_token},
                              {"refresh_token", optional(tokens.refresh_token)},
                              {"auth_method", optional(tokens.auth_method)}};
}

// Claims of a token this handler already trusts (verified at sign-in or fetched from the IdP
// itself), read without checking the signature again, as the original does.
nlohmann::json unverified_claims(std::string_view token) {
    auto decoded = jwt::decode(token);
    return decoded ? decoded->payload : nlohmann::json::object();
}

bool expired(std::string_view id_token, UnixSeconds now) {
    auto claims = unverified_claims(id_token);
    auto exp = claims.find("exp");
    return exp == claims.end() || !exp->is_number() || now >= exp->get<double>();
}

// The session's tokens while its id token is unexpired; token_expired after.
Result<StoredTokens> signed_in_unexpired(const Session& session, UnixSeconds now) {
    OTTS_TRY(auto tokens, signed_in(session));
    if (expired(tokens.id_token, now)) return make_error(ErrorCode::token_expired, "Token expired");
    return tokens;
}

std::vector<std::string> groups_of(const nlohmann::json& claims) {
    std::vector<std::string> groups;
    auto it = claims.find("cognito:groups");
    if (it == claims.end() || !it->is_array()) return groups;
    for (const auto& g : *it) {
        if (g.is_string()) groups.push_back(g.get<std::string>());
    }
    return groups;
}

bool audience_matches(const nlohmann::json& aud, const std::vector<std::string>& audiences) {
    auto one = [&](const nlohmann::json& v) {
        return v.is_string() && std::find(audiences.begin(), audiences.end(), v.get<std::string>()) != audiences.end();
    };
    if (aud.is_array()) return std::any_of(aud.begin(), aud.end(), one);
    return one(aud);
}

// The origins CALLBACK_USE_ORIGIN takes a callback from. Unlike the original, an empty
// allow-list does not allow every Host header (an open redirect anyone can aim with a forged
// Host): it allows the frontend's origin only.
std::vector<std::string> callback_origins(const TokenHandlerConfig& config) {
    if (!config.callback_allowed_origins.empty()) return config.callback_allowed_origins;
    auto frontend = url::origin_of(config.frontend_url);
    return frontend ? std::vector<std::string>{*frontend} : std::vector<std::string>{};
}

class AuthHandler {
public:
    explicit AuthHandler(TokenHandlerDeps deps) : m_deps(std::move(deps)) {}

    // A route answers a response or an Error, which S2's error table renders.
    using Route = Result<http::Response> (AuthHandler::*)(const http::Request&, Session&);

    // The session middleware of the original around one route: service token, CSRF, load,
    // the handler, save.
    http::Response run(Route route, const http::Request& request) {
        if (service_token_matches(request)) {
            Session synthetic;  // never stored: a service call has no browser session
            return answer((this->*route)(request, synthetic));
        }
        if (request.method == "POST" && request.header("X-L42-CSRF").value_or("") != "1") {
            return fail(make_error(ErrorCode::csrf_failed, "Missing X-L42-CSRF header"));
        }
        auto session = m_deps.sessions.load(request);
        if (!session) return store_unavailable();
        auto response = answer((this->*route)(request, *session));
        if (!m_deps.sessions.save(*session, response)) return store_unavailable();
        return response;
    }

    http::Response health(const http::Request&) {
        return http::Response::json(
            200, {{"status", "ok"}, {"mode", "token-handler"}, {"cedar", m_deps.policy ? "ready" : "unavailable"}});
    }

    Result<http::Response> token(const http::Request&, Session& session) {
        OTTS_TRY(const auto tokens, signed_in_unexpired(session, m_deps.clock.now()));
        return token_response(tokens);
    }

    Result<http::Response> create_session(const http::Request& request, Session& session) {
        auto body = json_object_body(request);
        if (!body) return make_error(ErrorCode::bad_request, "Invalid JSON body");
        auto access = non_empty_string(*body, "access_token");
        auto id = non_empty_string(*body, "id_token");
        if (!access || !id) return make_error(ErrorCode::bad_request, "Missing access_token or id_token");
        if (!verify_id_token(*id)) return make_error(ErrorCode::invalid_token, "Token verification failed");
        store_tokens(session, {*access, *id, optional_string(*body, "refresh_token"),
                               optional_string(*body, "auth_method").value_or("direct")});
        session.sign_in();
        return http::Response::json(200, {{"success", true}});
    }

    Result<http::Response> refresh(const http::Request&, Session& session) {
        OTTS_TRY(auto tokens, signed_in(session));
        if (!tokens.refresh_token) return make_error(ErrorCode::unauthenticated, "No refresh token");
        const auto claims = unverified_claims(tokens.id_token);
        const auto username =
            optional_string(claims, "cognito:username").value_or(optional_string(claims, "sub").value_or(""));
        auto fresh = m_deps.idp.refresh(*tokens.refresh_token, username);
        if (!fresh) {
            // The IdP refused the refresh token: the session is over (the original's invariant).
            // An IdP that could not be reached refused nothing, so the session stays.
            if (fresh.error().code == ErrorCode::invalid_token) {
                session.destroy();
                return make_error(ErrorCode::refresh_refused, fresh.error().message());
            }
            return make_error(ErrorCode::server_error, fresh.error().message());
        }
        tokens.access_token = fresh->access_token;
        tokens.id_token = fresh->id_token;
        if (fresh->refresh_token) tokens.refresh_token = fresh->refresh_token;
        store_tokens(session, tokens);
        return token_response(tokens);
    }

    Result<http::Response> logout(const http::Request&, Session& session) {
        session.destroy();
        return http::Response::json(200, {{"success", true}});
    }

    // The state and verifier go in the l42_login cookie, not the session: an anonymous client
    // may call this at will, and nothing it does may write a row (core/auth/sessions.hpp).
    Result<http::Response> login(const http::Request& request, Session&) {
        http::Response response;
        const auto pending = m_deps.sessions.begin_login(response);
        url::Pairs query{{"client_id", m_deps.config.client_id},
                         {"response_type", "code"},
                         {"scope", "openid email profile aws.cognito.signin.user.admin"},
                         {"redirect_uri", callback_url(request)},
                         {"state", pending.state},
                         {"code_challenge", pkce_challenge(pending.verifier)},
                         {"code_challenge_method", "S256"}};
        if (auto email = request.query.find("email"); email != request.query.end() && !email->second.empty()) {
            query.emplace_back("login_hint", email->second);
        }
        response.status = 307;
        response.headers["Location"] = m_deps.config.authorize_endpoint + "?" + url::encode_pairs(query);
        return response;
    }

    // A failed callback answers its error and changes no session: any site can link a
    // signed-in user here, and SameSite=Lax sends the session cookie along, so a callback that
    // ended the session on failure would let any link sign the user out.
    Result<http::Response> callback(const http::Request& request, Session& session) {
        const auto& config = m_deps.config;
        std::string frontend = config.frontend_url;
        if (config.callback_use_origin) {
            auto origin = request_origin(request);
            if (!callback_origin_allowed(origin))
                return redirect(config.frontend_url + "/login?error=Invalid+callback+origin");
            frontend = origin;
        }
        // Only a login begun at /auth/login, in this browser, may come back. The original also
        // takes a callback with no login under way (its legacy client-built flow), which lets
        // anyone sign a victim's browser in to the attacker's account with the attacker's code
        // (login CSRF); otts refuses it. A callback for another state leaves this browser's
        // login under way too: it is not the answer to it.
        const auto pending = m_deps.sessions.pending_login(request);
        const auto state = query_param(request, "state");
        if (!pending || !crypto::equal_ct(pending->state, state.value_or(""))) {
            // The IdP's refusal (a sign-in the user cancelled) signs nobody in, so it passes
            // through as the original passes it, also for a login auth.js began itself
            // (loginWithHostedUI keeps its state in the page, not in l42_login).
            if (auto refused = idp_error(request, frontend)) return *refused;
            return redirect(frontend + "/login?error=Invalid+OAuth+state");
        }
        // The IdP's answer to our login: spent, whatever it says.
        auto response = finish_login(request, session, pending->verifier, frontend);
        m_deps.sessions.end_login(response);
        return response;
    }

    Result<http::Response> me(const http::Request&, Session& session) {
        OTTS_TRY(const auto tokens, signed_in(session));
        auto claims = unverified_claims(tokens.id_token);
        auto email = optional_string(claims, "email");
        auto sub = optional_string(claims, "sub");
        return http::Response::json(200, {{"email", email ? nlohmann::json(*email) : nlohmann::json()},
                                          {"sub", sub ? nlohmann::json(*sub) : nlohmann::json()},
                                          {"groups", groups_of(claims)}});
    }

    Result<http::Response> authorize(const http::Request& request, Session& session) {
        auto body = json_object_body(request);
        auto action = body ? optional_string(*body, "action") : std::nullopt;
        if (!action || action->empty()) return make_error(ErrorCode::bad_request, "Missing or invalid action");
        OTTS_TRY(const auto tokens, signed_in_unexpired(session, m_deps.clock.now()));
        if (!m_deps.policy) {
            // Fail closed, in the decision's shape: the original's clients read `authorized`.
            return http::Response::json(503, {{"error", "Authorization engine not available"}, {"authorized", false}});
        }
        auto claims = unverified_claims(tokens.id_token);
        AuthzRequest ask{optional_string(claims, "sub").value_or(""), groups_of(claims), *action,
                         body->value("resource", nlohmann::json()), body->value("context", nlohmann::json())};
        auto decision = m_deps.policy->decide(ask);
        return http::Response::json(
            decision.allowed ? 200 : 403,
            {{"authorized", decision.allowed}, {"reason", decision.reason}, {"diagnostics", nlohmann::json::object()}});
    }

    // Only for a signed-in user with an unexpired id token, read before the body as the
    // original's handler does (401 Not authenticated / Token expired).
    Result<http::Response> validate_credential(const http::Request& request, Session& session) {
        OTTS_TRY_VOID(signed_in_unexpired(session, m_deps.clock.now()));
        auto body = json_object_body(request);
        if (!body) return make_error(ErrorCode::bad_request, "Invalid JSON body");
        auto attestation = optional_string(*body, "attestation_object");
        auto client_data = optional_string(*body, "client_data_json");
        if (!attestation || !client_data) {
            return make_error(ErrorCode::bad_request, "Missing attestation_object or client_data_json");
        }
        auto attestation_bytes = decode_base64_any(*attestation);
        auto client_data_bytes = decode_base64_any(*client_data);
        if (!attestation_bytes || !client_data_bytes)
            return make_error(ErrorCode::bad_request, "Invalid base64 encoding");
        auto verdict = check_credential(*attestation_bytes, *client_data_bytes, m_deps.config.credentials);
        // The original: a malformed credential is a bad request, not a denial.
        if (verdict.malformed) return make_error(ErrorCode::bad_request, verdict.reason);
        if (!verdict.allowed || !verdict.device) return rejected(verdict.reason);
        const auto& d = *verdict.device;
        return http::Response::json(200, {{"allowed", true},
                                          {"device",
                                           {{"aaguid", d.aaguid},
                                            {"backup_eligible", d.backup_eligible},
                                            {"backup_state", d.backup_state},
                                            {"user_verified", d.user_verified}}}});
    }

    std::optional<std::string> session_user(const http::Request& request) {
        auto session = m_deps.sessions.load(request);
        if (!session) return std::nullopt;
        auto tokens = stored_tokens(*session);
        if (!tokens || expired(tokens->id_token, m_deps.clock.now())) return std::nullopt;
        return optional_string(unverified_claims(tokens->id_token), "sub");
    }

private:
    static http::Response fail(const Error& error) { return error_response(ErrorShape::s2, error); }

    static std::optional<std::string> query_param(const http::Request& request, const char* name) {
        auto it = request.query.find(name);
        if (it == request.query.end()) return std::nullopt;
        return it->second;
    }

    // The redirect for a callback carrying the IdP's error (?error=…&error_description=…), as
    // the original's: {frontend}/login?error=<the description, else the error code>,
    // percent-encoded. nullopt for a callback without one.
    static std::optional<http::Response> idp_error(const http::Request& request, const std::string& frontend) {
        auto error = query_param(request, "error");
        if (!error) return std::nullopt;
        const auto described = query_param(request, "error_description").value_or(*error);
        return redirect(frontend + "/login?error=" + url::percent_encode(described));
    }

    // The code exchange of a callback whose state matched: signs the session in, or redirects
    // to the frontend's login page leaving the session as it was.
    http::Response finish_login(const http::Request& request, Session& session, const std::string& verifier,
                                const std::string& frontend) {
        if (auto refused = idp_error(request, frontend)) return *refused;
        auto code = query_param(request, "code");
        if (!code || code->empty()) return redirect(frontend + "/login?error=Missing+authorization+code");
        auto tokens = m_deps.idp.exchange_code(*code, callback_url(request), verifier);
        if (!tokens || !verify_id_token(tokens->id_token)) {
            return redirect(frontend + "/login?error=Authentication+failed");
        }
        store_tokens(session, {tokens->access_token, tokens->id_token, tokens->refresh_token, "oauth"});
        session.sign_in();
        const auto state = query_param(request, "state").value_or("");
        return redirect(frontend + "/auth/success" + (state.empty() ? "" : "?state=" + url::percent_encode(state)));
    }

    static http::Response answer(Result<http::Response> result) {
        return result ? std::move(result).value() : fail(result.error());
    }

    static http::Response store_unavailable() {
        return fail(make_error(ErrorCode::store_error, "Session store unavailable"));
    }

    static http::Response rejected(const std::string& reason) {
        return http::Response::json(403, {{"allowed", false}, {"reason", reason}});
    }

    bool service_token_matches(const http::Request& request) const {
        if (m_deps.config.service_token.empty()) return false;
        auto given = request.header("X-Service-Token");
        return given && crypto::equal_ct(*given, m_deps.config.service_token);
    }

    http::Response token_response(const StoredTokens& tokens) const {
        return http::Response::json(200, {{"access_token", tokens.access_token},
                                          {"id_token", tokens.id_token},
                                          {"auth_method", tokens.auth_method.value_or("handler")}});
    }

    // RS256 by the IdP's keys, then iss, aud and token_use. Any failure is just "no".
    bool verify_id_token(const std::string& token) {
        auto decoded = jwt::decode(token);
        if (!decoded) return false;
        auto kid = optional_string(decoded->header, "kid");
        if (!kid) return false;
        auto keys = m_deps.idp.signing_keys(*kid);
        if (!keys) return false;
        auto claims = jwt::verify(token, *keys, {.now = m_deps.clock.now(), .leeway = m_deps.config.leeway});
        if (!claims) return false;
        return claims->value("iss", "") == m_deps.config.issuer &&
               audience_matches(claims->value("aud", nlohmann::json()), m_deps.config.audiences) &&
               claims->value("token_use", "") == "id";
    }

    // scheme://host of this request as the viewer sees it (X-Forwarded-* from CloudFront or
    // API Gateway first).
    std::string request_origin(const http::Request& request) const {
        auto host = request.header("X-Forwarded-Host");
        if (!host) host = request.header("Host");
        auto proto = request.header("X-Forwarded-Proto").value_or("");
        std::string scheme =
            (proto == "http" || proto == "https") ? std::string(proto) : (m_deps.config.https_only ? "https" : "http");
        std::string origin = scheme + "://" + std::string(host.value_or("localhost"));
        std::transform(origin.begin(), origin.end(), origin.begin(), [](unsigned char c) { return std::tolower(c); });
        return origin;
    }

    // The redirect_uri of both the authorize request and the code exchange: one function, so
    // they cannot differ (the IdP refuses the exchange if they do).
    std::string callback_url(const http::Request& request) const {
        const auto& config = m_deps.config;
        if (!config.callback_use_origin && !config.frontend_url.empty()) {
            return config.frontend_url + config.prefix + "/callback";
        }
        return request_origin(request) + config.prefix + "/callback";
    }

    bool callback_origin_allowed(const std::string& origin) const {
        const auto allowed = callback_origins(m_deps.config);
        return std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
    }

    TokenHandlerDeps m_deps;
};

}  // namespace

std::vector<std::string> callback_urls(const TokenHandlerConfig& config) {
    const auto path = config.prefix + "/callback";
    if (!config.callback_use_origin) {
        // An empty FRONTEND_URL sends the request's own origin, which no list can name.
        if (config.frontend_url.empty()) return {};
        return {config.frontend_url + path};
    }
    auto urls = callback_origins(config);
    for (auto& origin : urls) origin += path;
    return urls;
}

SessionUser add_token_handler_routes(http::Router& router, TokenHandlerDeps deps) {
    const std::string prefix = deps.config.prefix;
    auto handler = std::make_shared<AuthHandler>(std::move(deps));
    router.add("GET", "/health", [handler](const http::Request& r) { return handler->health(r); });
    struct SessionRoute {
        const char* method;
        const char* path;
        AuthHandler::Route route;
    };
    const SessionRoute routes[] = {
        {"GET", "/token", &AuthHandler::token},
        {"POST", "/session", &AuthHandler::create_session},
        {"POST", "/refresh", &AuthHandler::refresh},
        {"POST", "/logout", &AuthHandler::logout},
        {"GET", "/login", &AuthHandler::login},
        {"GET", "/callback", &AuthHandler::callback},
        {"GET", "/me", &AuthHandler::me},
        {"POST", "/authorize", &AuthHandler::authorize},
        {"POST", "/validate-credential", &AuthHandler::validate_credential},
    };
    for (const auto& entry : routes) {
        const auto route = entry.route;  // not a structured binding: clang 14 cannot capture those
        router.add(entry.method, prefix + entry.path,
                   [handler, route](const http::Request& r) { return handler->run(route, r); });
    }
    return [handler](const http::Request& r) { return handler->session_user(r); };
}

}  // namespace otts::api
