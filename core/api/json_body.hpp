#pragma once
// Reading the JSON bodies of the route modules. Every failure is bad_request; the caller
// renders it in its family's shape.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"
#include "core/result.hpp"

namespace otts::api {

// The body as a JSON object. bad_request when a Content-Type is given and is not JSON
// (application/json or any +json type), the body is not JSON (invalid UTF-8 included) or is
// not an object.
Result<nlohmann::json> json_object_body(const http::Request& request);

// A non-empty string member of `object`; bad_request naming the member otherwise.
Result<std::string> string_member(const nlohmann::json& object, std::string_view name);

}  // namespace otts::api
