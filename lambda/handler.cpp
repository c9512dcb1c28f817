#include "lambda/handler.hpp"

#include "core/connections/client_messages.hpp"
#include "core/connections/connections.hpp"
#include "lambda/events.hpp"

namespace otts::lambda {
namespace {

using nlohmann::json;

json websocket_ok() { return {{"statusCode", 200}}; }

Result<json> on_connect(const WebSocketEvent& ws, HandlerDeps& deps) {
    const auto identity = resolve_connect_identity(deps.user_tokens, ws.query_token, ws.protocol_header);
    ConnectionInfo info;
    info.id = ws.connection_id;
    info.user_id = identity.user_id;
    info.connected_at = deps.clock.now();
    info.last_active_at = info.connected_at;
    info.source_ip = ws.source_ip;
    info.user_agent = ws.user_agent;
    OTTS_TRY_VOID(deps.connections.put_connection(info));
    json answer = websocket_ok();
    // Browsers fail the handshake when they offered subprotocols and none comes back.
    if (identity.protocol) answer["headers"] = {{"Sec-WebSocket-Protocol", *identity.protocol}};
    return answer;
}

Result<json> on_disconnect(const WebSocketEvent& ws, HandlerDeps& deps) {
    OTTS_TRY(auto deleted, deps.connections.delete_connection(ws.connection_id));
    (void)deleted;  // already gone (TTL, a retried event) is the outcome we wanted anyway
    return websocket_ok();
}

// The reply goes back as the route's response: API Gateway hands the body of a route with a
// route response to the client (deploy/template.yaml configures one on $default).
Result<json> on_message(const WebSocketEvent& ws, HandlerDeps& deps) {
    auto reply = reply_to_client_message(
        ws.body, ws.connection_id, deps.clock.now_ns() / 1'000'000, [&](const SubscriptionChange& change) {
            auto changed = deps.connections.change_subscription(ws.connection_id, change);
            if (!changed) return SubscriptionOutcome::failed;
            return *changed ? SubscriptionOutcome::done : SubscriptionOutcome::connection_not_found;
        });
    return json{{"statusCode", 200}, {"body", std::move(reply)}};
}

Result<json> handle_websocket(const json& event, HandlerDeps& deps) {
    OTTS_TRY(auto ws, to_websocket_event(event));
    switch (ws.route) {
        case WebSocketEvent::Route::connect: return on_connect(ws, deps);
        case WebSocketEvent::Route::disconnect: return on_disconnect(ws, deps);
        case WebSocketEvent::Route::message: return on_message(ws, deps);
    }
    return websocket_ok();
}

}  // namespace

Result<json> handle_event(const json& event, HandlerDeps& deps) {
    OTTS_TRY(auto kind, classify(event));
    if (kind == EventKind::websocket) return handle_websocket(event, deps);
    OTTS_TRY(auto request, to_request(event));
    return to_response_json(deps.http(std::move(request)));
}

}  // namespace otts::lambda
