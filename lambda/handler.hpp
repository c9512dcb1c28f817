#pragma once
// One Lambda invocation: an event in, the answer API Gateway expects out. HTTP events go to the
// core API unchanged; WebSocket events run the S4 connection bookkeeping. No route logic here.
#include <functional>

#include <nlohmann/json.hpp>

#include "core/ports/clock.hpp"
#include "core/connections/connection_store.hpp"
#include "core/http/http.hpp"
#include "core/ports/random.hpp"
#include "core/result.hpp"
#include "core/tokens/user_tokens.hpp"

namespace otts::lambda {

struct HandlerDeps {
    std::function<http::Response(http::Request)> http;  // the core API (api::Api::handle)
    const UserTokens& user_tokens;
    ConnectionStore& connections;
    const Clock& clock;
    Random& random;  // not used by today's routes; kept so every front end gets the same ports
};

// The payload 2.0 response for HTTP API and Function URL events. For WebSocket events:
// - $connect: the identity from ?token= or Sec-WebSocket-Protocol (a bad or missing token is
//   anonymous, never a refusal), a ConnectionInfo record written to the store, then
//   {statusCode:200} with the chosen subprotocol echoed in Sec-WebSocket-Protocol. The S4
//   "Connected" first message cannot be sent from here: API Gateway accepts no pushes to a
//   connection before $connect has returned.
// - $disconnect: the record deleted (an unknown id is fine: TTL may have removed it), 200.
// - any message ($default and custom route keys): routed by `action` as PornSpot's
//   websocket/route.ts does (core/connections/client_messages.hpp); subscriptions are kept in
//   the connection's record (so $disconnect drops them). The reply is the route's response,
//   {statusCode:200, body:<reply>}: API Gateway sends it to the client when the route has a
//   route response, as deploy/template.yaml's $default has. (PornSpot posts its replies
//   through the management API instead; the client sees the same message.)
// Errors (reported by the runtime as invocation errors): bad_request for an event that is not
// a route event or is malformed; store_error when the connection record cannot be written or
// deleted (API Gateway then refuses the connection).
Result<nlohmann::json> handle_event(const nlohmann::json& event, HandlerDeps& deps);

}  // namespace otts::lambda
