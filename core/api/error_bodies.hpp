#pragma once
// Each original system answers errors in its own JSON shape (DESIGN §7); clients parse those
// shapes, so otts keeps them. The shape is chosen by the route's path prefix.
#include <string_view>

#include "core/http/http.hpp"
#include "core/result.hpp"

namespace otts::api {

enum class ErrorShape {
    s0,  // /token...            {"error": code}
    s1,  // /tokens              {"isValid": false, "message": ...}
    s3,  // /v1/auth/..., /_otts {"error": {"code", "message"}}
    s4,  // /user/..., /@connections  {"success": false, "error": message}
    s2,  // /auth/..., /health   {"error": message}
};

ErrorShape shape_for_path(std::string_view path);

// The error's status from the one error table, in that body shape, with
// Cache-Control: no-store.
http::Response error_response(ErrorShape shape, const Error& error);

// The router's ErrorRenderer: error_response in the shape of the request path.
http::Response render_error(const http::Request& request, const Error& error);

}  // namespace otts::api
