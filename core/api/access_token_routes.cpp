#include "core/api/access_token_routes.hpp"

#include "core/api/error_bodies.hpp"
#include "core/api/json_body.hpp"
#include "core/encoding/json_member.hpp"
#include "core/encoding/time_format.hpp"

namespace otts::api {
namespace {

// The original's codes and statuses differ from the shared table's (400 for a wrong PIN,
// "invalid_request" for a bad body): ErrorShape::s3_auth carries them.
http::Response fail(Error error) { return error_response(ErrorShape::s3_auth, error); }

http::Response fail(ErrorCode code, std::string message) { return fail(make_error(code, std::move(message))); }

http::Response s3_ok(const nlohmann::json& body) {
    auto response = http::Response::json(200, body);
    response.headers["Cache-Control"] = "no-store";
    return response;
}

http::Response invalid_body() { return fail(ErrorCode::bad_request, "Invalid request body"); }

// A string member, "" when absent or null; nullopt when of another type (a malformed body).
std::optional<std::string> text_member(const nlohmann::json& body, const char* name) {
    const auto* value = member(body, name);
    if (!value) return std::string();
    return optional_string(body, name);
}

// verify-pin tells the license's time errors apart, as the original does.
http::Response license_error(const Error& error) {
    switch (error.code) {
        case ErrorCode::token_expired: return fail(ErrorCode::token_expired, "License has expired");
        case ErrorCode::token_not_yet_valid: return fail(ErrorCode::token_not_yet_valid, "License is not yet valid");
        case ErrorCode::invalid_token: return fail(ErrorCode::license_invalid, "License is invalid");
        default: return fail(error);
    }
}

std::optional<http::Response> limited(const AccessTokenDeps& deps, const std::string& email, UnixSeconds now) {
    if (!deps.auth_limiter) return std::nullopt;
    const auto retry = deps.auth_limiter->hit(email, now);
    if (!retry) return std::nullopt;
    return retry_later(ErrorShape::s3_auth,
                       make_error(ErrorCode::rate_limited,
                                  "Rate limit exceeded for authentication operations. Limit: 5 requests per minute. "
                                  "Please wait " +
                                      std::to_string(*retry) + " seconds before retrying."),
                       *retry);
}

nlohmann::json token_body(const TokenPair& pair) {
    return {{"access_token", pair.access_token},
            {"refresh_token", pair.refresh_token},
            {"token_type", "Bearer"},
            {"expires_in", pair.expires_in}};
}

const std::string& email_of(const License& license) { return license.claims.at("email").get_ref<const std::string&>(); }

http::Response cooling_down(const PinCoolingDown& wait) {
    const auto minutes = std::max<UnixSeconds>(1, wait.cooldown / 60);
    return retry_later(
        ErrorShape::s3_auth,
        make_error(ErrorCode::pin_cooldown, "A PIN was recently created. Please wait " + std::to_string(minutes) +
                                                " minutes before requesting another PIN."),
        wait.retry_after);
}

http::Response request_pin(const AccessTokenDeps& deps, const http::Request& request, UnixSeconds now) {
    auto body = json_object_body(request);
    if (!body) return invalid_body();
    const auto license_text = text_member(*body, "license");
    if (!license_text) return invalid_body();
    if (license_text->empty()) return fail(ErrorCode::bad_request, "License is required");
    auto license = deps.licenses.verify(*license_text);
    if (!license) {
        if (license.error().code == ErrorCode::key_error) return fail(license.error());
        return fail(ErrorCode::license_invalid, "License is invalid or could not extract email");
    }
    if (auto response = limited(deps, email_of(*license), now)) return *response;
    auto outcome = deps.pins.request(*license);
    if (!outcome) return fail(outcome.error());
    if (const auto* wait = std::get_if<PinCoolingDown>(&*outcome)) return cooling_down(*wait);
    const auto& issued = std::get<PinIssued>(*outcome);
    return s3_ok({{"message", "PIN sent to " + mask_email(issued.email)},
                  {"expires_at", iso8601(issued.expires_at)},
                  {"pin_id", issued.pin_id}});
}

http::Response verify_pin(const AccessTokenDeps& deps, const http::Request& request, UnixSeconds now) {
    auto body = json_object_body(request);
    if (!body) return invalid_body();
    const auto license_text = text_member(*body, "license");
    const auto pin = text_member(*body, "pin");
    if (!license_text || !pin) return invalid_body();
    if (license_text->empty() || pin->empty()) return fail(ErrorCode::bad_request, "License and PIN are required");
    auto license = deps.licenses.verify(*license_text);
    if (!license) return license_error(license.error());
    if (auto response = limited(deps, email_of(*license), now)) return *response;
    if (auto verified = deps.pins.verify(*license, *pin); !verified) return fail(verified.error());
    auto pair = deps.tokens.issue(*license);
    if (!pair) return fail(pair.error());
    return s3_ok(token_body(*pair));
}

http::Response refresh(const AccessTokenDeps& deps, const http::Request& request) {
    auto body = json_object_body(request);
    if (!body) return invalid_body();
    const auto token = text_member(*body, "refresh_token");
    const auto license_text = text_member(*body, "license");
    if (!token || !license_text) return invalid_body();
    if (token->empty() || license_text->empty())
        return fail(ErrorCode::bad_request, "Refresh token and license are required");
    auto claims = deps.tokens.check_refresh(*token);
    if (!claims) return fail(ErrorCode::invalid_token, "Invalid or expired refresh token");
    auto license = deps.licenses.verify(*license_text);
    if (!license) return fail(ErrorCode::license_invalid, "License is invalid");
    if ((*claims)["email"] != license->claims["email"])
        return fail(ErrorCode::email_mismatch, "License email does not match token");
    if ((*claims)["license_key_hash"] != license->key_hash)
        return fail(ErrorCode::license_mismatch, "License has changed");
    auto pair = deps.tokens.rotate(*claims, *license);
    if (!pair && pair.error().code == ErrorCode::token_used)
        return fail(ErrorCode::token_used, "Refresh token has already been used");
    if (!pair) return fail(pair.error());
    return s3_ok(token_body(*pair));
}

// Stateless, as the original: the access token is checked (its authorizer did that) and the
// client is told to drop its tokens.
http::Response logout(const AccessTokenDeps& deps, const http::Request& request) {
    const auto token = request.bearer_token();
    if (!token || !deps.tokens.check_access(*token)) return fail(ErrorCode::unauthenticated, "Unauthorized");
    return s3_ok({{"message", "Logout successful. Please delete tokens from client storage."}});
}

}  // namespace
void add_access_token_routes(http::Router& router, AccessTokenDeps deps) {
    router.add("POST", "/v1/auth/request-pin",
               [deps](const http::Request& request) { return request_pin(deps, request, deps.clock.now()); });
    router.add("POST", "/v1/auth/verify-pin",
               [deps](const http::Request& request) { return verify_pin(deps, request, deps.clock.now()); });
    router.add("POST", "/v1/auth/refresh", [deps](const http::Request& request) { return refresh(deps, request); });
    router.add("POST", "/v1/auth/logout", [deps](const http::Request& request) { return logout(deps, request); });
}

}  // namespace otts::api
