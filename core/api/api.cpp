#include "core/api/api.hpp"

#include "core/api/web_page.hpp"

#include <regex>

#include "core/api/error_bodies.hpp"

namespace otts::api {
namespace {

// What browsers may send and read. Authorization carries bearer tokens (S0 redeem, S3, S4);
// X-L42-CSRF is the S2 token handler's header; X-Burn-Token S0's DELETE /secrets/{id}.
constexpr std::string_view k_allow_methods = "GET, POST, DELETE, OPTIONS";
constexpr std::string_view k_allow_headers = "Authorization, Content-Type, X-L42-CSRF, X-Burn-Token";
constexpr std::string_view k_expose_headers = "Retry-After";

bool is_localhost_origin(std::string_view origin) {
    static const std::regex k_local(R"(http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?)");
    return std::regex_match(origin.begin(), origin.end(), k_local);
}

// Route-not-found and wrong-method errors carry the request path as detail; a path is
// attacker-chosen bytes (possibly not UTF-8, which JSON cannot carry), so it is not echoed.
http::Response render_without_echo(const http::Request& request, const Error& error) {
    if (error.code == ErrorCode::route_not_found || error.code == ErrorCode::method_not_allowed) {
        return render_error(request, make_error(error.code));
    }
    return render_error(request, error);
}

// S1's routes carry no credentials, and the original's handlers answer every response with
// `Access-Control-Allow-Origin: *` (its page works from file://, Origin: null): so do these.
bool is_open_cors_path(std::string_view path) { return path == "/tokens"; }

std::optional<std::string> origin_of(const http::Request& request) {
    if (auto origin = request.header("Origin")) return std::string(*origin);
    return std::nullopt;
}

}  // namespace

bool origin_allowed(const CorsPolicy& policy, std::string_view origin, std::string_view path) {
    if (origin.empty()) return false;
    if (!policy.frontend_origin.empty() && origin == policy.frontend_origin) return true;
    const auto& prefix = policy.frontend_prefix;
    if (!prefix.empty() && path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/')) {
        return false;  // the token handler answers its frontend only
    }
    if (policy.origins.empty()) return policy.localhost_when_empty && is_localhost_origin(origin);
    for (const auto& allowed : policy.origins) {
        if (allowed == "*" || allowed == origin) return true;
    }
    return false;
}

Api::Api(CorsPolicy cors) : m_cors(std::move(cors)), m_router(render_without_echo) {}

http::Response Api::decorate(const std::optional<std::string>& origin, std::string_view path,
                             http::Response response) const {
    response.headers["Cache-Control"] = "no-store";
    if (is_open_cors_path(path)) {
        response.headers["Access-Control-Allow-Origin"] = "*";
        response.headers["Access-Control-Expose-Headers"] = std::string(k_expose_headers);
        return response;
    }
    if (!origin || !origin_allowed(m_cors, *origin, path)) return response;
    response.headers["Access-Control-Allow-Origin"] = *origin;
    // The S2 session cookie travels only with the frontend's credentialed requests: another
    // allowed origin (any localhost page, in the emulator) must not read a signed-in user's
    // tokens with it.
    if (*origin == m_cors.frontend_origin) response.headers["Access-Control-Allow-Credentials"] = "true";
    response.headers["Access-Control-Expose-Headers"] = std::string(k_expose_headers);
    response.headers["Vary"] = "Origin";
    return response;
}

http::Response Api::handle(http::Request request) const {
    if (request.method == "OPTIONS") {
        http::Response preflight;
        preflight.status = 204;
        auto origin = request.header("Origin");
        if (is_open_cors_path(request.path) || (origin && origin_allowed(m_cors, *origin, request.path))) {
            preflight.headers["Access-Control-Allow-Methods"] = std::string(k_allow_methods);
            preflight.headers["Access-Control-Allow-Headers"] = std::string(k_allow_headers);
            preflight.headers["Access-Control-Max-Age"] = "600";
        }
        return decorate(origin_of(request), request.path, std::move(preflight));
    }
    auto origin = origin_of(request);
    std::string path = request.path;
    return decorate(origin, path, m_router.handle(std::move(request)));
}

http::Response Api::transport_error(const http::Request& request, ErrorCode code, int status) const {
    auto response = render_error(request, make_error(code));
    response.status = status;
    return decorate(origin_of(request), request.path, std::move(response));
}

std::size_t max_body_for(std::string_view method, std::string_view path) {
    return method == "POST" && path == "/secrets" ? k_max_secret_body : k_max_body;
}

void add_routes(http::Router& router, ApiDeps deps) {
    add_create_token_routes(router, deps.create_tokens);
    if (deps.secrets) add_secret_routes(router, *deps.secrets);
    add_one_time_token_routes(router, deps.one_time_tokens);
    add_access_token_routes(router, deps.access_tokens);
    add_user_token_routes(router, deps.user_tokens);
    if (deps.outbox) add_outbox_routes(router, *deps.outbox);
    if (deps.connections) add_connection_routes(router, *deps.connections);
    if (deps.queues) add_queue_route(router, std::move(*deps.queues));
    add_web_page_routes(router);
    add_admin_routes(router, std::move(deps.admin));  // last: it documents every route above
}

}  // namespace otts::api
