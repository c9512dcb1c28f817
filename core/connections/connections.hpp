#pragma once
// S4 WebSocket connections as the core sees them: a registry of live connections that the
// API Gateway management API (/@connections/{id}) inspects, pushes to and drops, and the
// transport-neutral part of the $connect handshake (who is the user, what is said first).
//
// The transport (emulator/ws_server) owns the sockets; it hands the registry a ConnectionSink
// per connection. The registry keeps only a weak reference, so a socket that died without
// telling anyone answers "gone" (410), as API Gateway does.
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/connections/client_messages.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/random.hpp"
#include "core/tokens/user_tokens.hpp"

namespace otts {

struct ConnectionInfo {
    std::string id;                      // API Gateway style, e.g. "L0SM9cOFvHcCIhw="
    std::optional<std::string> user_id;  // nullopt: anonymous
    UnixSeconds connected_at = 0;
    UnixSeconds last_active_at = 0;
    std::string source_ip;
    std::string user_agent;
    // The base URL of the `otts serve` instance holding the socket, when several share one
    // store ("http://10.0.0.5:8080"); empty for a single instance and in AWS.
    std::string owner;
    // The queues the client subscribed to ({"action":"subscribe","data":{"queueId"}}).
    std::set<std::string, std::less<>> queue_ids;
};

// The outbound side of one live connection, implemented by the transport. Both calls may come
// from any thread and must not block on the network.
class ConnectionSink {
public:
    virtual ~ConnectionSink() = default;
    // Queues one text message. False if the connection is already closing or closed.
    virtual bool send(std::string data) = 0;
    // Starts a normal close (1000). Idempotent.
    virtual void close() = 0;
};

// The port. Thread-safe. A later store-backed implementation keeps the records in DynamoDB;
// sinks always stay in the process that holds the socket.
class ConnectionRegistry {
public:
    virtual ~ConnectionRegistry() = default;
    virtual void add(ConnectionInfo info, const std::shared_ptr<ConnectionSink>& sink) = 0;
    virtual std::optional<ConnectionInfo> get(std::string_view id) const = 0;
    // False if the id was not registered.
    virtual bool remove(std::string_view id) = 0;
    virtual std::vector<ConnectionInfo> list() const = 0;
    // Records activity (a message in either direction) at `now`.
    virtual void touch(std::string_view id, UnixSeconds now) = 0;
    // Sends `data` to the connection. False when it is unknown or its socket is gone (→ 410).
    virtual bool post(std::string_view id, std::string data) = 0;
    // Closes the socket and forgets the connection. False when unknown or gone.
    virtual bool close(std::string_view id) = 0;
    // Adds or removes a queue subscription of the connection `id`, which this process holds
    // (the message asking for it came through its socket). A closed connection's
    // subscriptions go with it.
    virtual SubscriptionOutcome change_subscription(std::string_view id, const SubscriptionChange& change) = 0;
    // Sends `data` to every live connection subscribed to `queue_id`; how many took it.
    virtual std::size_t post_to_queue(std::string_view queue_id, const std::string& data) = 0;
};

class InMemoryConnectionRegistry final : public ConnectionRegistry {
public:
    void add(ConnectionInfo info, const std::shared_ptr<ConnectionSink>& sink) override;
    std::optional<ConnectionInfo> get(std::string_view id) const override;
    bool remove(std::string_view id) override;
    std::vector<ConnectionInfo> list() const override;
    void touch(std::string_view id, UnixSeconds now) override;
    bool post(std::string_view id, std::string data) override;
    bool close(std::string_view id) override;
    SubscriptionOutcome change_subscription(std::string_view id, const SubscriptionChange& change) override;
    std::size_t post_to_queue(std::string_view queue_id, const std::string& data) override;

private:
    struct Entry {
        ConnectionInfo info;
        std::weak_ptr<ConnectionSink> sink;
    };
    // The live sink of `id`; drops the entry if the sink has died. Caller holds m_mutex.
    std::shared_ptr<ConnectionSink> live_sink_locked(std::string_view id);

    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries;
};

// A new id in API Gateway's shape: 16 characters, 11 random bytes in base64 with one '='.
// The base64url alphabet keeps '/' out, so the id is always one path segment.
std::string new_connection_id(Random& random);

// True for ids a client could have been given: 1–128 characters of [A-Za-z0-9_=+-]. Anything
// else ("..", encoded slashes, control characters) is rejected before any lookup.
bool valid_connection_id(std::string_view id);

// The first value of `name` in a request target's query ("/dev?token=a%2Eb" → "a.b"),
// percent-decoded. nullopt when absent or when its encoding is broken.
std::optional<std::string> query_parameter(std::string_view target, std::string_view name);

// The S4 $connect decision. The token comes from ?token= first, then from each entry of the
// Sec-WebSocket-Protocol header; the first that verifies names the user. A bad or missing
// token means anonymous, never a refusal (the original degrades gracefully).
struct ConnectIdentity {
    std::optional<std::string> user_id;
    // The subprotocol to echo back: browsers and `ws` fail the handshake when they offered
    // protocols and none is selected, so one is always chosen when any was offered.
    std::optional<std::string> protocol;
};
ConnectIdentity resolve_connect_identity(const UserTokens& tokens, std::optional<std::string_view> query_token,
                                         std::optional<std::string_view> protocol_header);

// The first message on a new connection: {"message":"Connected","connectionId","userId"}
// with userId null for anonymous.
nlohmann::json connected_message(const ConnectionInfo& info);

}  // namespace otts
