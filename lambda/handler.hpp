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
// - any message ($default and custom route keys): 200 and nothing else. S4 has no message
//   protocol beyond the handshake, and the routes are deployed without route responses, so
//   nothing is sent back to the client.
// Errors (reported by the runtime as invocation errors): bad_request for an event that is not
// a route event or is malformed; store_error when the connection record cannot be written or
// deleted (API Gateway then refuses the connection).
Result<nlohmann::json> handle_event(const nlohmann::json& event, HandlerDeps& deps);

}  // namespace otts::lambda
