#include "core/api/user_token_routes.hpp"

#include <variant>

#include "core/api/error_bodies.hpp"

namespace otts::api {
namespace {

http::Response unauthorized(const std::string& message) {
    return error_response(ErrorShape::s4, make_error(ErrorCode::invalid_token, message));
}

// The user a request authenticates as, or the response refusing it.
std::variant<std::string, http::Response> user_of(const UserTokenDeps& deps, const http::Request& request) {
    if (const auto bearer = request.bearer_token()) {
        auto claims = deps.access.check_access(*bearer);
        if (!claims) return unauthorized("Invalid or expired token");
        return (*claims)["sub"].get<std::string>();
    }
    if (deps.session_user && request.cookies.contains("l42_session")) {
        if (request.header("X-L42-CSRF").value_or("") != "1") {
            return error_response(ErrorShape::s4, make_error(ErrorCode::csrf_failed));
        }
        if (auto user = deps.session_user(request)) return *user;
        return unauthorized("Invalid or expired session");
    }
    return unauthorized("Authentication required");
}

http::Response jwt_token(const UserTokenDeps& deps, const http::Request& request) {
    auto user = user_of(deps, request);
    if (auto* refused = std::get_if<http::Response>(&user)) return *refused;
    const auto user_id = std::get<std::string>(user);
    auto issued = deps.user_tokens.issue(user_id, UserTokens::k_default_ttl);
    if (!issued) return error_response(ErrorShape::s4, issued.error());
    auto response = http::Response::json(
        200, {{"success", true},
              {"data", {{"token", issued->token}, {"expiresIn", "1h"}, {"tokenType", "Bearer"}, {"userId", user_id}}}});
    response.headers["Cache-Control"] = "no-store";
    return response;
}

}  // namespace

void add_user_token_routes(http::Router& router, UserTokenDeps deps) {
    router.add("POST", "/user/auth/jwt-token", [deps](const http::Request& r) { return jwt_token(deps, r); });
    // The path PornSpot's client calls (userApi.generateJwt); the same handler.
    router.add("POST", "/user/auth/generate-jwt", [deps](const http::Request& r) { return jwt_token(deps, r); });
}

}  // namespace otts::api
