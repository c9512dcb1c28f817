#include "lambda/events.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/encoding/base64.hpp"
#include "core/encoding/json_member.hpp"
#include "core/http/url.hpp"

namespace otts::lambda {
namespace {

using nlohmann::json;

Error bad_event(std::string detail) { return make_error(ErrorCode::bad_request, "lambda event: " + detail); }

// A string member: nullopt when absent; bad_request when present with another type.
Result<std::optional<std::string>> event_string(const json& object, std::string_view name) {
    const json* value = member(object, name);
    if (!value) return std::optional<std::string>{};
    if (!value->is_string()) return bad_event(std::string(name) + " is not a string");
    return std::optional<std::string>(value->get<std::string>());
}

Result<std::string> required_string(const json& object, std::string_view name) {
    OTTS_TRY(auto value, event_string(object, name));
    if (!value) return bad_event(std::string(name) + " is missing");
    return std::move(*value);
}

std::string string_or_empty(const json& object, std::string_view name) {
    return optional_string(object, name).value_or(std::string());
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "/Prod/my/path" on stage "Prod" → "/my/path"; see to_request in the header for why.
std::string strip_stage(std::string path, const std::string& stage) {
    if (stage.empty() || stage == "$default") return path;
    const std::string prefix = "/" + stage;
    if (!path.starts_with(prefix)) return path;
    if (path.size() == prefix.size()) return "/";
    if (path[prefix.size()] != '/') return path;  // "/Production" is not on stage "Prod"
    return path.substr(prefix.size());
}

// rawPath, else requestContext.http.path (older Function URL events lack rawPath).
Result<std::string> event_path(const json& event, const json& http) {
    OTTS_TRY(auto raw_path, event_string(event, "rawPath"));
    if (!raw_path) {
        OTTS_TRY(auto http_path, event_string(http, "path"));
        raw_path = std::move(http_path);
    }
    if (!raw_path || !raw_path->starts_with('/')) return bad_event("rawPath is missing or relative");
    return std::move(*raw_path);
}

Result<void> add_headers(const json& event, http::Request& request) {
    const json* headers = member(event, "headers");
    if (!headers) return Ok{};
    if (!headers->is_object()) return bad_event("headers is not an object");
    for (const auto& [name, value] : headers->items()) {
        if (!value.is_string()) return bad_event("header " + name + " is not a string");
        request.headers.insert_or_assign(lower(name), value.get<std::string>());
    }
    return Ok{};
}

Result<void> add_cookies(const json& event, http::Request& request) {
    const json* cookies = member(event, "cookies");
    if (!cookies) return Ok{};
    if (!cookies->is_array()) return bad_event("cookies is not an array");
    // The array is the browser's Cookie header split at "; ": joined again, it reads as the
    // emulator reads that header, and routes that read the header see what the browser sent.
    std::string joined;
    for (const auto& cookie : *cookies) {
        if (!cookie.is_string()) return bad_event("a cookie is not a string");
        joined += (joined.empty() ? "" : "; ") + cookie.get<std::string>();
    }
    http::parse_cookie_header(joined, request.cookies);
    if (!joined.empty() && !request.header("cookie")) request.headers.emplace("cookie", joined);
    return Ok{};
}

Result<std::string> event_body(const json& event) {
    OTTS_TRY(auto body, event_string(event, "body"));
    if (!body) return std::string();
    const json* encoded = member(event, "isBase64Encoded");
    if (!encoded || !encoded->is_boolean() || !encoded->get<bool>()) return std::move(*body);
    auto decoded = base64_decode(*body);
    if (!decoded) return bad_event("body is not valid base64 although isBase64Encoded is true");
    return std::move(*decoded);
}

// How many continuation bytes follow a lead byte; 4 for a byte that cannot lead.
std::size_t continuation_count(unsigned char lead) {
    if (lead < 0x80) return 0;
    if ((lead >> 5) == 0x6) return 1;
    if ((lead >> 4) == 0xE) return 2;
    if ((lead >> 3) == 0x1E) return 3;
    return 4;
}

bool valid_utf8(std::string_view s) {
    static constexpr std::array<std::uint32_t, 4> k_min{0, 0x80, 0x800, 0x10000};
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const auto extra = continuation_count(lead);
        if (extra > 3 || extra >= s.size() - i) return false;
        std::uint32_t code = lead & (0x7F >> extra);
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(s[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        if (code < k_min[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

// Content types whose bodies are bytes, not text, whatever they happen to contain.
bool binary_content_type(std::string_view type) {
    const auto t = lower(type);
    for (std::string_view prefix : {"image/", "audio/", "video/", "font/", "application/octet-stream",
                                    "application/zip", "application/gzip", "application/pdf", "application/wasm"}) {
        if (t.starts_with(prefix)) return !contains(t, "svg");
    }
    return false;
}

Result<WebSocketEvent::Route> websocket_route(const std::string& event_type) {
    if (event_type == "CONNECT") return WebSocketEvent::Route::connect;
    if (event_type == "DISCONNECT") return WebSocketEvent::Route::disconnect;
    if (event_type == "MESSAGE") return WebSocketEvent::Route::message;
    return bad_event("unknown WebSocket eventType '" + event_type + "'");
}

// WebSocket events carry the v1 shapes: `headers` with the client's casing, and
// `multiValueHeaders` that some events have instead.
http::Headers websocket_headers(const json& event) {
    http::Headers out;
    if (const json* headers = member(event, "headers"); headers && headers->is_object()) {
        for (const auto& [name, value] : headers->items()) {
            if (value.is_string()) out.emplace(name, value.get<std::string>());
        }
    }
    if (const json* multi = member(event, "multiValueHeaders"); multi && multi->is_object()) {
        for (const auto& [name, values] : multi->items()) {
            if (out.count(name) || !values.is_array() || values.empty() || !values[0].is_string()) continue;
            std::string joined;
            for (const auto& v : values) joined += (joined.empty() ? "" : ", ") + v.get<std::string>();
            out.emplace(name, joined);
        }
    }
    return out;
}

std::optional<std::string> websocket_query_token(const json& event) {
    if (const json* query = member(event, "queryStringParameters")) {
        if (auto token = optional_string(*query, "token")) return token;
    }
    if (const json* multi = member(event, "multiValueQueryStringParameters")) {
        const json* tokens = member(*multi, "token");
        if (tokens && tokens->is_array() && !tokens->empty() && (*tokens)[0].is_string()) {
            return (*tokens)[0].get<std::string>();
        }
    }
    return std::nullopt;
}

}  // namespace

Result<EventKind> classify(const json& event) {
    if (!event.is_object()) return bad_event("not a JSON object");
    const auto type = string_or_empty(event, "type");
    if (!type.empty() && (member(event, "methodArn") || member(event, "routeArn"))) {
        return bad_event("an authorizer event (type " + type +
                         ") is not a route event: this function serves routes, not authorizers");
    }
    const json* context = member(event, "requestContext");
    if (!context || !context->is_object()) return bad_event("no requestContext: not an API Gateway or URL event");
    if (member(*context, "eventType") && member(*context, "connectionId")) return EventKind::websocket;
    const json* http = member(*context, "http");
    if (string_or_empty(event, "version") == "2.0" && http && http->is_object()) {
        const bool url = contains(string_or_empty(*context, "domainName"), ".lambda-url.");
        return url ? EventKind::function_url : EventKind::http_api;
    }
    if (member(event, "httpMethod")) {
        return bad_event("a REST API / payload 1.0 event: configure the integration with payload format 2.0");
    }
    return bad_event("unrecognised event (neither payload 2.0 nor WebSocket)");
}

Result<http::Request> to_request(const json& event) {
    const json* context = member(event, "requestContext");
    const json* http = context ? member(*context, "http") : nullptr;
    if (!http || !http->is_object()) return bad_event("requestContext.http is missing");
    http::Request request;
    OTTS_TRY(request.method, required_string(*http, "method"));
    std::transform(request.method.begin(), request.method.end(), request.method.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    OTTS_TRY(auto raw_path, event_path(event, *http));
    // Leniently, as cpp-httplib (the emulator's) decodes: a client's odd URL reaches the router
    // (and its 404) instead of failing the whole invocation.
    request.path =
        strip_stage(url::percent_decode_lenient(raw_path, url::Plus::literal), string_or_empty(*context, "stage"));
    OTTS_TRY(auto raw_query, event_string(event, "rawQueryString"));
    for (auto& [name, value] : url::parse_query(raw_query.value_or(""))) request.query.emplace(name, value);
    OTTS_TRY_VOID(add_headers(event, request));
    OTTS_TRY_VOID(add_cookies(event, request));
    OTTS_TRY(request.body, event_body(event));
    request.source_ip = string_or_empty(*http, "sourceIp");
    return request;
}

json to_response_json(const http::Response& response) {
    json headers = json::object();
    json cookies = json::array();
    std::string content_type;
    for (const auto& [name, value] : response.headers) {
        if (lower(name) == "set-cookie") {
            cookies.push_back(value);
            continue;
        }
        if (lower(name) == "content-type") content_type = value;
        headers[name] = value;
    }
    for (const auto& cookie : response.cookies) cookies.push_back(cookie);
    const bool binary = binary_content_type(content_type) || !valid_utf8(response.body);
    return {{"statusCode", response.status},
            {"headers", std::move(headers)},
            {"cookies", std::move(cookies)},
            {"body", binary ? base64_encode(response.body) : response.body},
            {"isBase64Encoded", binary}};
}

Result<WebSocketEvent> to_websocket_event(const json& event) {
    const json* context = member(event, "requestContext");
    if (!context || !context->is_object()) return bad_event("requestContext is missing");
    WebSocketEvent out;
    OTTS_TRY(out.connection_id, required_string(*context, "connectionId"));
    if (out.connection_id.empty()) return bad_event("connectionId is empty");
    OTTS_TRY(auto event_type, required_string(*context, "eventType"));
    OTTS_TRY(out.route, websocket_route(event_type));
    out.route_key = string_or_empty(*context, "routeKey");
    const json* identity = member(*context, "identity");
    out.source_ip = identity ? string_or_empty(*identity, "sourceIp") : std::string();
    out.user_agent = identity ? string_or_empty(*identity, "userAgent") : std::string();
    const auto headers = websocket_headers(event);
    if (out.user_agent.empty()) {
        if (auto it = headers.find("User-Agent"); it != headers.end()) out.user_agent = it->second;
    }
    if (auto it = headers.find("Sec-WebSocket-Protocol"); it != headers.end()) out.protocol_header = it->second;
    if (out.route == WebSocketEvent::Route::connect) out.query_token = websocket_query_token(event);
    OTTS_TRY(out.body, event_body(event));
    return out;
}

}  // namespace otts::lambda
