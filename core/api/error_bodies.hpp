#pragma once
// Each original system answers errors in its own JSON shape (DESIGN §7); clients parse those
// shapes, and some match on codes and statuses of their own, so otts keeps both. An error
// response is the one error table's row for the code (core/error.cpp), overridden where the
// route family's original answers that code otherwise (the family tables in error_bodies.cpp),
// in the family's body shape. Routes return Error values; only this file writes error bodies.
#include <string_view>

#include "core/http/http.hpp"
#include "core/result.hpp"
#include "core/unix_seconds.hpp"

namespace otts::api {

enum class ErrorShape {
    s0,          // /token...            {"error": code}
    s0_secrets,  // /secrets...       {"error": code}, {"error":"invalid_request","message"} (§13)
    s1,          // /tokens              {"isValid": false, "message": ...}
    s3,          // /_otts, /v1          {"error": {"code", "message"}}
    neutral,     // paths no family claims: {"error": code, "message"}, a string every client shows
    s4,          // /user/..., /@connections  {"success": false, "error": message}
    s2,          // /auth/..., /health   {"error": message}, or {"error": title, "message": ...}
    s3_auth,     // /v1/auth/...         S3's shape, with the original's own codes and statuses
    oauth,       // dev IdP /oauth2/token  {"error": code[, "error_description": detail]}
    cognito,     // dev IdP's Cognito API  {"__type": type, "message": ...}
    html,        // dev IdP's sign-in pages: one paragraph of HTML
};

ErrorShape shape_for_path(std::string_view path);

// The HTTP status `error` answers with in that family.
int error_status(ErrorShape shape, const Error& error);

// The error in that family's shape, with its status and Cache-Control: no-store.
http::Response error_response(ErrorShape shape, const Error& error);
// The same with Retry-After (a rate limit or a cooldown).
http::Response retry_later(ErrorShape shape, const Error& error, UnixSeconds retry_after);

// The router's ErrorRenderer: error_response in the shape of the request path.
http::Response render_error(const http::Request& request, const Error& error);

}  // namespace otts::api
