#pragma once
// The OpenAPI 3.0 document of GET /_otts/openapi.json, generated from the routes a router
// actually holds, so the document cannot list a route that is not served or miss one that is.
// Summaries come from one table keyed by (method, pattern); a route missing from it is still
// listed, with a summary saying so (a unit test keeps the table complete).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/router.hpp"

namespace otts::api {

// The summary of a known route, if the table has it.
std::optional<std::string_view> route_summary(std::string_view method, std::string_view pattern);

nlohmann::json openapi_document(const std::vector<http::RouteKey>& routes, const std::string& version);

}  // namespace otts::api
