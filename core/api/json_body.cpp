#include "core/api/json_body.hpp"

#include <algorithm>
#include <cctype>

#include "core/encoding/json_member.hpp"

namespace otts::api {
namespace {

std::string lower_media_type(std::string_view value) {
    const auto semicolon = value.find(';');
    auto type = value.substr(0, semicolon);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    std::string out(type);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool is_json_type(std::string_view value) {
    const auto type = lower_media_type(value);
    // Clients of the originals send application/json; API Gateway passed anything through,
    // so only types that plainly are not JSON are refused.
    return type == "application/json" || (type.starts_with("application/") && type.ends_with("+json"));
}

}  // namespace

Result<nlohmann::json> json_object_body(const http::Request& request) {
    if (auto type = request.header("Content-Type"); type && !is_json_type(*type)) {
        return make_error(ErrorCode::bad_request, "Content-Type must be application/json");
    }
    auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return make_error(ErrorCode::bad_request, "request body is not valid JSON");
    if (!body.is_object()) return make_error(ErrorCode::bad_request, "request body must be a JSON object");
    return body;
}

Result<std::string> string_member(const nlohmann::json& object, std::string_view name) {
    auto value = non_empty_string(object, name);
    if (!value) return make_error(ErrorCode::bad_request, "\"" + std::string(name) + "\" must be a non-empty string");
    return std::move(*value);
}

}  // namespace otts::api
