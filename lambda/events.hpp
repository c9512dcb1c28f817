#pragma once
// Lambda events ⇄ core HTTP messages (DESIGN §2): pure converters, no route logic.
//
// Route events are API Gateway HTTP API payload 2.0 and Lambda Function URL events (the same
// shape), and API Gateway WebSocket API events. Authorizer events and anything else are not
// route events; classify() says so with a bad_request error instead of guessing.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"
#include "core/result.hpp"

namespace otts::lambda {

enum class EventKind {
    http_api,      // API Gateway HTTP API, payload format 2.0
    function_url,  // Lambda Function URL (payload 2.0 without an API Gateway stage)
    websocket,     // API Gateway WebSocket API: $connect, $disconnect, messages
};

// Which kind of route event `event` is. bad_request (with a detail naming the reason) for an
// authorizer event, a REST API (payload 1.0) event, a non-object or anything unrecognised.
Result<EventKind> classify(const nlohmann::json& event);

// A payload 2.0 event as a core Request:
// - path: rawPath percent-decoded. When the API's stage is not "$default", API Gateway puts the
//   stage name in front of the path ("/Prod/my/path" for stage "Prod") although routes never
//   see it (the route key of "/Prod/my/path" is "/my/path"); that leading "/{stage}" segment is
//   removed, so the core routes the same path on every stage.
// - query: parsed from rawQueryString, not queryStringParameters (which joins repeated names
//   with commas and so cannot be undone); the first value of a repeated name wins, as in the
//   emulator.
// - headers: names lower-cased, values as given (API Gateway already joined repeats with ',').
// - cookies: the `cookies` array joined into the Cookie header it was split from (HTTP APIs
//   remove that header), read as the emulator reads it (http::parse_cookie_header); the
//   `cookie` header is rebuilt from it when the event has none.
// - body: base64-decoded when isBase64Encoded.
// - source_ip: requestContext.http.sourceIp.
// bad_request when a required field is missing or has the wrong type, or the body's base64 is
// broken. (A broken percent escape in the path or query stays as it is, as in the emulator.)
Result<http::Request> to_request(const nlohmann::json& event);

// A core Response as the payload 2.0 response: {statusCode, headers, cookies, body,
// isBase64Encoded}. Set-Cookie values go in `cookies` (API Gateway writes one Set-Cookie
// header per entry; a headers map could hold only one). Bodies that are not valid UTF-8, or
// whose Content-Type is binary, are sent base64-encoded with isBase64Encoded true.
nlohmann::json to_response_json(const http::Response& response);

// The parts of a WebSocket API event the handler needs.
struct WebSocketEvent {
    enum class Route { connect, disconnect, message };
    Route route = Route::message;
    std::string route_key;                       // "$connect", "$disconnect", "$default" or a custom key
    std::string connection_id;                   // requestContext.connectionId
    std::string source_ip;                       // requestContext.identity.sourceIp
    std::string user_agent;                      // requestContext.identity.userAgent, else the User-Agent header
    std::optional<std::string> query_token;      // ?token= ($connect only)
    std::optional<std::string> protocol_header;  // Sec-WebSocket-Protocol, as offered
    std::string body;                            // message body, base64-decoded if need be
};

// bad_request when requestContext, its connectionId or its eventType is missing or unknown.
Result<WebSocketEvent> to_websocket_event(const nlohmann::json& event);

}  // namespace otts::lambda
