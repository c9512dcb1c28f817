#include "core/api/access_token_routes.hpp"

#include "core/api/error_bodies.hpp"
#include "core/api/json_body.hpp"
#include "core/encoding/time_format.hpp"

namespace otts::api {
namespace {

// The original's codes and statuses differ from the shared error table (it answers 400 for a
// wrong PIN, "invalid_request" for a bad body), and clients match on them, so S3 errors are
// written here in the same {"error":{"code","message"}} shape error_bodies renders.
http::Response s3_error(int status, std::string_view code, const std::string& message) {
    auto response = http::Response::json(status, {{"error", {{"code", code}, {"message", message}}}});
    response.headers["Cache-Control"] = "no-store";
    return response;
}

http::Response s3_ok(const nlohmann::json& body) {
    auto response = http::Response::json(200, body);
    response.headers["Cache-Control"] = "no-store";
    return response;
}

// Failures that are not the client's: the shared table's status and name.
http::Response server_error(const Error& error) { return error_response(ErrorShape::s3, error); }

http::Response invalid_body() { return s3_error(400, "invalid_request", "Invalid request body"); }

// A string member, "" when absent; nullopt when present but not a string (a malformed body).
std::optional<std::string> text_member(const nlohmann::json& body, const char* name) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::string();
    if (!it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

// verify-pin tells the license's time errors apart, as the original does.
http::Response license_error(const Error& error) {
    switch (error.code) {
        case ErrorCode::token_expired: return s3_error(400, "license_expired", "License has expired");
        case ErrorCode::token_not_yet_valid: return s3_error(400, "license_not_valid_yet", "License is not yet valid");
        case ErrorCode::invalid_token: return s3_error(400, "invalid_license", "License is invalid");
        default: return server_error(error);
    }
}

std::optional<http::Response> limited(const AccessTokenDeps& deps, const std::string& email, UnixSeconds now) {
    if (!deps.auth_limiter) return std::nullopt;
    const auto retry = deps.auth_limiter->hit(email, now);
    if (!retry) return std::nullopt;
    auto response = s3_error(429, "rate_limit_exceeded",
                             "Rate limit exceeded for authentication operations. Limit: 5 requests per minute. "
                             "Please wait " +
                                 std::to_string(*retry) + " seconds before retrying.");
    response.headers["Retry-After"] = std::to_string(*retry);
    return response;
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
    auto response = s3_error(429, "rate_limited",
                             "A PIN was recently created. Please wait " + std::to_string(minutes) +
                                 " minutes before requesting another PIN.");
    response.headers["Retry-After"] = std::to_string(wait.retry_after);
    return response;
}

http::Response request_pin(const AccessTokenDeps& deps, const http::Request& request, UnixSeconds now) {
    auto body = json_object_body(request);
    if (!body) return invalid_body();
    const auto license_text = text_member(*body, "license");
    if (!license_text) return invalid_body();
    if (license_text->empty()) return s3_error(400, "invalid_request", "License is required");
    auto license = deps.licenses.verify(*license_text);
    if (!license) {
        if (license.error().code == ErrorCode::key_error) return server_error(license.error());
        return s3_error(400, "invalid_license", "License is invalid or could not extract email");
    }
    if (auto response = limited(deps, email_of(*license), now)) return *response;
    auto outcome = deps.pins.request(*license);
    if (!outcome) return server_error(outcome.error());
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
    if (license_text->empty() || pin->empty()) return s3_error(400, "invalid_request", "License and PIN are required");
    auto license = deps.licenses.verify(*license_text);
    if (!license) return license_error(license.error());
    if (auto response = limited(deps, email_of(*license), now)) return *response;
    if (auto verified = deps.pins.verify(*license, *pin); !verified) {
        if (verified.error().code != ErrorCode::pin_invalid) return server_error(verified.error());
        return s3_error(400, "invalid_pin", verified.error().message());
    }
    auto pair = deps.tokens.issue(*license);
    if (!pair) return server_error(pair.error());
    return s3_ok(token_body(*pair));
}

http::Response refresh(const AccessTokenDeps& deps, const http::Request& request) {
    auto body = json_object_body(request);
    if (!body) return invalid_body();
    const auto token = text_member(*body, "refresh_token");
    const auto license_text = text_member(*body, "license");
    if (!token || !license_text) return invalid_body();
    if (token->empty() || license_text->empty())
        return s3_error(400, "invalid_request", "Refresh token and license are required");
    auto claims = deps.tokens.check_refresh(*token);
    if (!claims) return s3_error(401, "invalid_token", "Invalid or expired refresh token");
    auto license = deps.licenses.verify(*license_text);
    if (!license) return s3_error(400, "invalid_license", "License is invalid");
    if ((*claims)["email"] != license->claims["email"])
        return s3_error(400, "email_mismatch", "License email does not match token");
    if ((*claims)["license_key_hash"] != license->key_hash)
        return s3_error(400, "license_mismatch", "License has changed");
    auto pair = deps.tokens.rotate(*claims, *license);
    if (!pair && pair.error().code == ErrorCode::token_used)
        return s3_error(401, "invalid_token", "Refresh token has already been used");
    if (!pair) return server_error(pair.error());
    return s3_ok(token_body(*pair));
}

// Stateless, as the original: the access token is checked (its authorizer did that) and the
// client is told to drop its tokens.
http::Response logout(const AccessTokenDeps& deps, const http::Request& request) {
    const auto token = request.bearer_token();
    if (!token || !deps.tokens.check_access(*token)) return s3_error(401, "unauthorized", "Unauthorized");
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
