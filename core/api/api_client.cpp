#include "core/api/api_client.hpp"

#include "core/encoding/json_text.hpp"

namespace otts::api {

namespace {

ErrorCode code_for_status(int status) {
    switch (status) {
        case 400: return ErrorCode::bad_request;
        case 401: return ErrorCode::invalid_token;
        case 403: return ErrorCode::pow_invalid;
        case 404: return ErrorCode::token_not_found;
        case 409: return ErrorCode::token_used;
        case 413: return ErrorCode::payload_too_large;
        case 429: return ErrorCode::rate_limited;
        default: return status >= 500 ? ErrorCode::server_error : ErrorCode::bad_request;
    }
}

// S1 answers with a sentence only; its words tell the cases apart.
ErrorCode code_for_message(std::string_view message, int status) {
    if (message.find("used") != std::string_view::npos) return ErrorCode::token_used;
    if (message.find("expired") != std::string_view::npos) return ErrorCode::token_expired;
    if (message.find("not found") != std::string_view::npos) return ErrorCode::token_not_found;
    return code_for_status(status);
}

Error named_error(const nlohmann::json& name, const nlohmann::json& message, int status) {
    const auto text = message.is_string() ? message.get<std::string>() : std::string();
    const auto code = name.is_string() ? error_code_named(name.get<std::string>()) : std::nullopt;
    return make_error(code.value_or(code_for_message(text, status)), text);
}

}  // namespace

Error error_from_response(const http::Response& response) {
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    const auto server = "server answered " + std::to_string(response.status);
    if (!body.is_object()) return make_error(code_for_status(response.status), server);
    const auto error = body.value("error", nlohmann::json());
    if (error.is_object())
        return named_error(error.value("code", nlohmann::json()), error.value("message", nlohmann::json()),
                           response.status);
    if (body.contains("isValid") || body.contains("success")) {
        const auto message = body.contains("message") ? body["message"] : error;
        return named_error(nullptr, message, response.status);
    }
    if (error.is_string()) {
        // S0's invalid_request, the neutral 404 of unknown paths: a message says more than the code.
        const auto message = body.value("message", nlohmann::json());
        const auto said = message.is_string() ? message.get<std::string>() : error.get<std::string>();
        return named_error(error, server + ": " + said, response.status);
    }
    return make_error(code_for_status(response.status), server);
}

Result<nlohmann::json> call_api(HttpClient& client, const ApiCall& call) {
    http::Request request;
    request.method = call.method;
    request.path = call.path;
    request.query = call.query;
    request.headers = call.headers;
    request.headers["Accept"] = "application/json";
    if (!call.body.is_null()) {
        request.headers["Content-Type"] = "application/json";
        request.body = json_text(call.body);  // arguments and files the user gave
    }
    if (!call.bearer.empty()) request.headers["Authorization"] = "Bearer " + call.bearer;
    OTTS_TRY(const auto response, client.send(request));
    if (response.status < 200 || response.status > 299) return error_from_response(response);
    if (response.body.empty()) return nlohmann::json(nullptr);
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_discarded()) return make_error(ErrorCode::server_error, "server answered with a body that is not JSON");
    return body;
}

}  // namespace otts::api
