#pragma once
// Calling a running otts (or any deployment of the same API) for --endpoint: one request, the
// JSON answer on success, and on failure the Error the answer names, whichever of the
// originals' error shapes it uses, so exit codes are the same as for local commands.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/ports/http_client.hpp"

namespace otts::api {

struct ApiCall {
    std::string method;
    std::string path;
    nlohmann::json body = nullptr;  // sent as application/json unless null
    std::string bearer;             // Authorization: Bearer <bearer> unless empty
    http::Params query;
    http::Headers headers;  // more request headers (X-Burn-Token)
};

inline ApiCall api_get(std::string path, http::Params query = {}) {
    return ApiCall{"GET", std::move(path), nullptr, {}, std::move(query), {}};
}
inline ApiCall api_post(std::string path, nlohmann::json body, std::string bearer = {}) {
    return ApiCall{"POST", std::move(path), std::move(body), std::move(bearer), {}, {}};
}
inline ApiCall api_delete(std::string path) { return ApiCall{"DELETE", std::move(path), nullptr, {}, {}, {}}; }

// 2xx → the parsed body (null when empty); otherwise error_from_response.
Result<nlohmann::json> call_api(HttpClient& client, const ApiCall& call);

// S0 {"error":code}, S3 {"error":{"code","message"}}, S1 {"isValid":false,"message"},
// S4 {"success":false,"error":message}; unknown shapes fall back on the status code.
Error error_from_response(const http::Response& response);

}  // namespace otts::api
