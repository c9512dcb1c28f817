#include "core/api/create_token_routes.hpp"

#include "core/api/error_bodies.hpp"
#include "core/api/json_body.hpp"

namespace otts::api {
namespace {

http::Response s0_error(ErrorCode code, std::string detail = {}) {
    // The original answers every token verification failure (signature, expiry, family,
    // nonce) with one code, so clients cannot probe which check failed.
    if (code == ErrorCode::token_expired || code == ErrorCode::token_not_yet_valid) code = ErrorCode::invalid_token;
    return error_response(ErrorShape::s0, make_error(code, std::move(detail)));
}

http::Response issue(const CreateTokenDeps& deps, const http::Request& request) {
    const auto now = deps.clock.now();
    if (deps.issue_limiter) {
        if (auto retry = deps.issue_limiter->hit(request.source_ip, now)) {
            return retry_later(ErrorShape::s0, make_error(ErrorCode::rate_limited), *retry);
        }
    }
    auto issued = deps.tokens.issue(deps.difficulty.on_issue(now));
    if (!issued) return s0_error(issued.error().code);
    const auto& claims = issued->claims;
    return http::Response::json(
        200, {{"token", issued->token},
              {"nonce", claims["nonce"]},
              {"powChallenge", {{"difficulty", claims["pow_difficulty"]}, {"prefix", claims["pow_prefix"]}}},
              {"expiresAt", issued->expires_at}});
}

http::Response redeem(const CreateTokenDeps& deps, const http::Request& request) {
    const auto token = request.bearer_token();
    if (!token) return s0_error(ErrorCode::invalid_token, "missing Bearer token");
    auto body = json_object_body(request);
    if (!body) return s0_error(ErrorCode::bad_request);
    auto nonce = string_member(*body, "nonce");
    auto pow = string_member(*body, "pow");
    if (!nonce || !pow) return s0_error(ErrorCode::bad_request);
    auto claims = deps.tokens.redeem(*token, *nonce, *pow);
    if (!claims) return s0_error(claims.error().code);
    return http::Response::json(200, {{"valid", true}, {"jti", (*claims)["jti"]}});
}

}  // namespace

void add_create_token_routes(http::Router& router, CreateTokenDeps deps) {
    router.add("POST", "/token", [deps](const http::Request& r) { return issue(deps, r); });
    router.add("POST", "/token/redeem", [deps](const http::Request& r) { return redeem(deps, r); });
}

}  // namespace otts::api
