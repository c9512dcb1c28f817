#pragma once
// The S4 WebSocket endpoint of `otts serve` on its own port (Boost.Beast; this header keeps
// Beast out of every other translation unit).
//
// Any path is accepted (API Gateway URLs carry a stage: wss://host/dev). The user token comes
// from ?token= or Sec-WebSocket-Protocol; a bad or missing token makes the connection
// anonymous, never refused. The first message is {"message":"Connected","connectionId","userId"}.
// Each message from the client refreshes lastActiveAt and gets the one reply the core's
// reply_to_client_message (core/connections/client_messages.hpp) gives it, as PornSpot's
// websocket/route.ts answers them: get_client_connectionId, ping, subscribe, unsubscribe.
// Closed connections leave the registry at once, their queue subscriptions with them.
//
// A client that does not read its messages cannot grow the server's memory: once more than
// k_max_queued_bytes wait to be written to it, it is closed with 1008 (policy violation), the
// waiting messages are dropped and pushes to it answer 410 like any gone connection.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/ports/clock.hpp"
#include "core/connections/connections.hpp"
#include "core/ports/random.hpp"
#include "core/result.hpp"
#include "core/tokens/user_tokens.hpp"

namespace otts::emulator {

// Bytes of pushed messages one connection may have waiting (eight of API Gateway's largest).
inline constexpr std::size_t k_max_queued_bytes = 1024 * 1024;

struct WsServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8081;             // 0: any free port; port() reports the bound one
    std::size_t max_connections = 10'000;  // open sockets; more are closed on accept
};

// Everything the server borrows; all must outlive it and be safe to use from another thread
// (SystemClock, SystemRandom and InMemoryConnectionRegistry are).
struct WsServerDeps {
    ConnectionRegistry& connections;
    const UserTokens& user_tokens;
    const Clock& clock;
    Random& random;
};

class WsServer {
public:
    WsServer(WsServerOptions options, WsServerDeps deps);
    ~WsServer();  // stop()
    WsServer(const WsServer&) = delete;
    WsServer& operator=(const WsServer&) = delete;

    // Binds, listens and starts serving on a background thread. Returns the bound port;
    // ErrorCode::usage when the address cannot be bound (port in use, bad host).
    Result<std::uint16_t> start();
    std::uint16_t port() const;
    // Closes the listener, sends every client a 1001 (going away) close, waits up to
    // `grace_ms` for the handshakes to finish, then stops. Idempotent.
    void stop(int grace_ms = 1000);

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace otts::emulator
