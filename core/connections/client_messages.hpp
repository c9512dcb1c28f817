#pragma once
// What S4 answers to a message a client sends on its WebSocket, routed by `action` as
// PornSpot's `websocket/route.ts` does (docs/WEBSOCKET_API.md). One function for both front
// ends: the emulator's socket and the Lambda's `$default` route only carry text in and out.
//
//   {"action":"get_client_connectionId"}            → {"type":"client_connectionId","connectionId"}
//   {"action":"ping","requestId"?}                   → {"type":"pong","timestamp","requestId"}
//   {"action":"subscribe","data":{"queueId"},"requestId"?}
//                                                    → {"type":"subscription_confirmed","queueId","requestId"}
//   {"action":"unsubscribe","data":{"queueId"},...}  → {"type":"unsubscription_confirmed","queueId","requestId"}
//   anything else                                    → {"type":"error","error","requestId","timestamp"}
//
// `timestamp` is JavaScript's `new Date().toISOString()` ("2025-08-12T10:30:00.000Z");
// `requestId` is echoed as sent and left out when the message had none (JSON.stringify drops
// undefined). The queue id is read from `data.queueId`, PornSpot's shape, or else from a
// top-level `queueId`. Error texts are the original's: "Invalid JSON format", "queueId is
// required for subscription" / "unsubscription", "Connection not found", "Subscription
// failed" / "Unsubscription failed", and "Unknown action: <action>" (the original logs and
// drops such messages today, its documentation says they are rejected; otts answers).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace otts {

// Longest queue id accepted (PornSpot's are UUIDs); a longer one is refused like a missing one.
inline constexpr std::size_t k_max_queue_id = 256;

enum class SubscriptionOutcome { done, connection_not_found, failed };

struct SubscriptionChange {
    bool subscribe = true;  // false: unsubscribe
    std::string queue_id;
};

// Applies a change for the connection that sent the message (to the registry of the process
// holding the socket, or to the connection store in the Lambda).
using ApplySubscription = std::function<SubscriptionOutcome(const SubscriptionChange&)>;

// The reply to `text`, sent by connection `connection_id`, at `now_ms` (Unix milliseconds).
// Every message gets exactly one reply. Never throws; `text` may be any bytes.
std::string reply_to_client_message(std::string_view text, std::string_view connection_id, std::int64_t now_ms,
                                    const ApplySubscription& apply);

// True for queue ids a client may subscribe to and a backend may push to: 1–k_max_queue_id
// bytes, no control characters.
bool valid_queue_id(std::string_view queue_id);

// "2025-08-12T10:30:00.000Z" for `ms` Unix milliseconds (JavaScript's toISOString).
std::string iso8601_ms(std::int64_t ms);

}  // namespace otts
