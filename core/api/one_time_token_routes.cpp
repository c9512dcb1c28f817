#include "core/api/one_time_token_routes.hpp"

#include "core/api/error_bodies.hpp"
#include "core/api/json_body.hpp"
#include "core/encoding/time_format.hpp"

namespace otts::api {
namespace {

http::Response invalid(int status, std::string message) {
    auto response = http::Response::json(status, {{"isValid", false}, {"message", std::move(message)}});
    response.headers["Cache-Control"] = "no-store";
    return response;
}

// The original answers every rejected token with 401 and a message naming the reason.
http::Response rejected(const Error& error) {
    switch (error.code) {
        case ErrorCode::token_expired: return invalid(401, "Token has expired");
        case ErrorCode::token_used: return invalid(401, "Token has already been used");
        case ErrorCode::token_not_found: return invalid(401, "Token not found");
        case ErrorCode::invalid_token:
        case ErrorCode::token_not_yet_valid: return invalid(401, "Invalid token");
        default: return error_response(ErrorShape::s1, error);
    }
}

http::Response issue(const OneTimeTokenDeps& deps) {
    auto issued = deps.tokens.issue();
    if (!issued) return error_response(ErrorShape::s1, issued.error());
    return http::Response::json(200, {{"token", issued->token}, {"expiration", iso8601(issued->expires_at)}});
}

http::Response validate(const OneTimeTokenDeps& deps, const http::Request& request) {
    auto body = json_object_body(request);
    if (!body) return invalid(400, body.error().message());
    // The original reads the token with `body.get("token")` and refuses a falsy one with 401.
    if (const auto it = body->find("token"); it == body->end() || it->is_null() || *it == "") {
        auto response = http::Response::json(401, {{"message", "Token not provided"}});
        response.headers["Cache-Control"] = "no-store";
        return response;
    }
    auto token = string_member(*body, "token");
    if (!token) return invalid(400, token.error().message());
    auto claims = deps.tokens.consume(*token);
    if (!claims) return rejected(claims.error());
    return http::Response::json(200, {{"isValid", true}, {"message", "Token validation successful"}});
}

}  // namespace

void add_one_time_token_routes(http::Router& router, OneTimeTokenDeps deps) {
    router.add("GET", "/tokens", [deps](const http::Request&) { return issue(deps); });
    router.add("POST", "/tokens", [deps](const http::Request& r) { return validate(deps, r); });
}

}  // namespace otts::api
