#include "core/api/error_bodies.hpp"

#include <algorithm>
#include <span>

#include "core/encoding/text.hpp"

namespace otts::api {

namespace {

// Where a family answers a code otherwise than the one table; 0 and "" keep the table's.
struct Override {
    ErrorCode code;
    int status = 0;
    // The family's own name for the code: S3's "code", OAuth's "error", Cognito's "__type". S2
    // puts its message under "error"; a name takes that place and the message moves to "message".
    std::string_view name;
};

// sealed.fyi's secrets (its docs/API.md): every refused create token is invalid_token, and
// every secret that cannot be read (any path under /secrets no route takes included) is one
// not_available.
constexpr Override k_s0_secrets[] = {
    {ErrorCode::bad_request, 0, "invalid_request"},         {ErrorCode::token_expired, 401, "invalid_token"},
    {ErrorCode::token_not_yet_valid, 401, "invalid_token"}, {ErrorCode::token_used, 401, "invalid_token"},
    {ErrorCode::route_not_found, 404, "not_available"},
};

// The l42 token handler.
constexpr Override k_s2[] = {
    {ErrorCode::invalid_token, 403, ""},  // an id token that does not verify
    {ErrorCode::csrf_failed, 0, "CSRF validation failed"},
    {ErrorCode::refresh_refused, 0, "Refresh failed"},
    {ErrorCode::server_error, 0, "Refresh failed"},  // the IdP, its one upstream, did not answer
};

// BreachLine's sync auth: 400 for a refused license or PIN, and codes of its own.
constexpr Override k_s3_auth[] = {
    {ErrorCode::bad_request, 0, "invalid_request"},
    {ErrorCode::license_invalid, 400, "invalid_license"},
    // Only a license's validity times are told apart; a refresh token's answer invalid_token.
    {ErrorCode::token_expired, 400, "license_expired"},
    {ErrorCode::token_not_yet_valid, 400, "license_not_valid_yet"},
    {ErrorCode::token_used, 401, "invalid_token"},  // a spent refresh token
    {ErrorCode::pin_invalid, 400, ""},
    {ErrorCode::rate_limited, 0, "rate_limit_exceeded"},
    {ErrorCode::pin_cooldown, 0, "rate_limited"},
    {ErrorCode::unauthenticated, 0, "unauthorized"},
};

// The dev IdP's token endpoint, as RFC 6749 §5.2 names its errors.
constexpr Override k_oauth[] = {
    {ErrorCode::bad_request, 0, "invalid_request"},
    {ErrorCode::invalid_token, 400, "invalid_grant"},
    {ErrorCode::unsupported, 0, "unsupported_grant_type"},
    {ErrorCode::internal, 0, "server_error"},
};

// The dev IdP's Cognito JSON API: 400 and an exception type, as Cognito answers.
constexpr Override k_cognito[] = {
    {ErrorCode::route_not_found, 400, "InvalidAction"},
    {ErrorCode::bad_request, 0, "SerializationException"},
    {ErrorCode::unsupported, 0, "InvalidParameterException"},
    {ErrorCode::invalid_token, 400, "NotAuthorizedException"},
};

std::span<const Override> overrides_of(ErrorShape shape) {
    switch (shape) {
        case ErrorShape::s0_secrets: return k_s0_secrets;
        case ErrorShape::s2: return k_s2;
        case ErrorShape::s3_auth: return k_s3_auth;
        case ErrorShape::oauth: return k_oauth;
        case ErrorShape::cognito: return k_cognito;
        default: return {};
    }
}

// The table's status and name for a code, as the family answers it.
struct Answer {
    int status;
    std::string_view name;
    bool renamed = false;  // the family names the code itself
};

Answer answer_for(ErrorShape shape, ErrorCode code) {
    const auto& info = error_info(code);
    Answer answer{info.http_status, info.name};
    const auto overrides = overrides_of(shape);
    const auto it = std::find_if(overrides.begin(), overrides.end(), [&](const Override& o) { return o.code == code; });
    if (it == overrides.end()) return answer;
    if (it->status != 0) answer.status = it->status;
    if (!it->name.empty()) answer = {answer.status, it->name, true};
    return answer;
}

nlohmann::json body_for(ErrorShape shape, const Answer& answer, const Error& error) {
    switch (shape) {
        case ErrorShape::s0: return {{"error", answer.name}};
        case ErrorShape::s0_secrets:
            // Only a refused body says why; the token and the secret answers say nothing more.
            if (error.code == ErrorCode::bad_request) return {{"error", answer.name}, {"message", error.message()}};
            return {{"error", answer.name}};
        case ErrorShape::s1: return {{"isValid", false}, {"message", error.message()}};
        case ErrorShape::neutral: return {{"error", answer.name}, {"message", error.message()}};
        case ErrorShape::s3:
        case ErrorShape::s3_auth: return {{"error", {{"code", answer.name}, {"message", error.message()}}}};
        case ErrorShape::s4: return {{"success", false}, {"error", error.message()}};
        case ErrorShape::s2:
            if (answer.renamed) return {{"error", answer.name}, {"message", error.message()}};
            return {{"error", error.message()}};
        case ErrorShape::oauth:
            // error_description is optional: only a detail says more than the code does.
            if (error.detail.empty()) return {{"error", answer.name}};
            return {{"error", answer.name}, {"error_description", error.detail}};
        case ErrorShape::cognito: return {{"__type", answer.name}, {"message", error.message()}};
        case ErrorShape::html: break;  // not JSON: see error_response
    }
    return {{"error", answer.name}};
}

http::Response html_page(int status, const Error& error) {
    http::Response response;
    response.status = status;
    response.headers["Content-Type"] = "text/html; charset=utf-8";
    response.body = "<!doctype html><p>" + html_escape(error.message()) + "</p>\n";
    return response;
}

bool starts_with_segment(std::string_view path, std::string_view prefix) {
    return path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

ErrorShape shape_for_path(std::string_view path) {
    if (starts_with_segment(path, "/tokens")) return ErrorShape::s1;
    if (starts_with_segment(path, "/token")) return ErrorShape::s0;
    if (starts_with_segment(path, "/secrets")) return ErrorShape::s0_secrets;
    if (starts_with_segment(path, "/user") || starts_with_segment(path, "/@connections")) return ErrorShape::s4;
    // The default AUTH_PATH_PREFIX; routes under another prefix answer their own errors.
    if (starts_with_segment(path, "/auth") || path == "/health") return ErrorShape::s2;
    if (starts_with_segment(path, "/_otts") || starts_with_segment(path, "/v1")) return ErrorShape::s3;
    // A path of no family (a client at the wrong prefix, a route this build lacks): "error" is
    // a string, which S0, S2 and S4 clients show as it is and S1's finds a "message" beside,
    // where S3's object reached sealed.fyi's page as "[object Object]".
    return ErrorShape::neutral;
}

int error_status(ErrorShape shape, const Error& error) { return answer_for(shape, error.code).status; }

http::Response error_response(ErrorShape shape, const Error& error) {
    const auto answer = answer_for(shape, error.code);
    auto response = shape == ErrorShape::html ? html_page(answer.status, error)
                                              : http::Response::json(answer.status, body_for(shape, answer, error));
    if (shape == ErrorShape::cognito) response.headers["Content-Type"] = "application/x-amz-json-1.1";
    response.headers["Cache-Control"] = "no-store";
    return response;
}

http::Response retry_later(ErrorShape shape, const Error& error, UnixSeconds retry_after) {
    auto response = error_response(shape, error);
    response.headers["Retry-After"] = std::to_string(retry_after);
    return response;
}

http::Response render_error(const http::Request& request, const Error& error) {
    return error_response(shape_for_path(request.path), error);
}

}  // namespace otts::api
