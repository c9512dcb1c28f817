#include "core/api/error_bodies.hpp"

namespace otts::api {

namespace {

bool starts_with_segment(std::string_view path, std::string_view prefix) {
    return path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

nlohmann::json body_for(ErrorShape shape, const Error& error) {
    const auto& info = error_info(error.code);
    switch (shape) {
        case ErrorShape::s0: return {{"error", info.name}};
        case ErrorShape::s1: return {{"isValid", false}, {"message", error.message()}};
        case ErrorShape::s3: return {{"error", {{"code", info.name}, {"message", error.message()}}}};
        case ErrorShape::s4: return {{"success", false}, {"error", error.message()}};
        case ErrorShape::s2: return {{"error", error.message()}};
    }
    return {{"error", info.name}};
}

}  // namespace

ErrorShape shape_for_path(std::string_view path) {
    if (starts_with_segment(path, "/tokens")) return ErrorShape::s1;
    if (starts_with_segment(path, "/token")) return ErrorShape::s0;
    if (starts_with_segment(path, "/user") || starts_with_segment(path, "/@connections")) return ErrorShape::s4;
    // The default AUTH_PATH_PREFIX; routes under another prefix answer their own errors.
    if (starts_with_segment(path, "/auth") || path == "/health") return ErrorShape::s2;
    return ErrorShape::s3;
}

http::Response error_response(ErrorShape shape, const Error& error) {
    auto response = http::Response::json(error_info(error.code).http_status, body_for(shape, error));
    response.headers["Cache-Control"] = "no-store";
    return response;
}

http::Response render_error(const http::Request& request, const Error& error) {
    return error_response(shape_for_path(request.path), error);
}

}  // namespace otts::api
