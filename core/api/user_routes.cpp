#include "core/api/user_routes.hpp"

#include "core/api/error_bodies.hpp"

namespace otts::api {
namespace {

http::Response unauthorized(const std::string& message) {
    return error_response(ApiFamily::s4, make_error(ErrorCode::invalid_token, message));
}

http::Response jwt_token(const UserDeps& deps, const http::Request& request) {
    const auto bearer = request.bearer_token();
    if (!bearer) return unauthorized("Authentication required");
    auto claims = deps.access.check_access(*bearer);
    if (!claims) return unauthorized("Invalid or expired token");
    const auto user_id = (*claims)["sub"].get<std::string>();
    auto issued = deps.user_tokens.issue(user_id, UserTokens::k_default_ttl);
    if (!issued) return error_response(ApiFamily::s4, issued.error());
    auto response = http::Response::json(
        200, {{"success", true}, {"data", {{"token", issued->token}, {"expiresIn", "1h"}, {"userId", user_id}}}});
    response.headers["Cache-Control"] = "no-store";
    return response;
}

}  // namespace

void add_user_routes(http::Router& router, UserDeps deps) {
    router.add("POST", "/user/auth/jwt-token", [deps](const http::Request& r) { return jwt_token(deps, r); });
}

}  // namespace otts::api
