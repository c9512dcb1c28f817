#pragma once
// The emulator's HTTP port (Boost.Beast, asynchronous) ⇄ the core's Request/Response
// (DESIGN §2): no route logic here. Every request goes to one handler; errors the transport
// finds itself (body or headers over their limits, an unparsable request) go to one error
// renderer so they still answer in the API's shapes.
//
// Why asynchronous (DESIGN §15): a thread per connection lets 128 slow or idle clients hold
// every thread. Here sockets are read and written on one I/O thread that never blocks; only a
// request read whole goes to the handler pool, so a client that trickles bytes, idles or never
// reads its answers holds a socket and a few KiB, not a worker. Limits are enforced while
// reading: a body (Content-Length or chunked) past max_body answers 413 as soon as the limit
// is passed, request line + headers past max_header_bytes 431; pipelined requests are
// answered in order.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/http/http.hpp"
#include "core/result.hpp"

namespace otts::emulator {

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                       // 0: any free port
    std::size_t threads = 32;              // requests handled at once (the handler pool)
    std::size_t max_connections = 10'000;  // open sockets; more are closed on accept
    std::size_t max_body = 64 * 1024;      // larger bodies answer 413
    // When set, the body limit of a request by method and (percent-decoded) path, in place of
    // max_body: the core's api::max_body_for.
    std::function<std::size_t(std::string_view method, std::string_view path)> body_limit;
    std::size_t max_header_bytes = 16 * 1024;    // request line + headers; larger answer 431
    std::chrono::seconds request_timeout{10};    // a request (or an answer) must move this fast
    std::chrono::seconds keep_alive_timeout{5};  // idle keep-alive connections closed after
};

using RequestHandler = std::function<http::Response(http::Request)>;
// Renders an error the transport found (`code` from the error table, `status` to answer).
using TransportErrorHandler = std::function<http::Response(const http::Request&, ErrorCode code, int status)>;
// Called once per answered request, with the wall time it took.
using AccessLogger = std::function<void(const http::Request&, int status, std::chrono::nanoseconds took)>;

class HttpServer {
public:
    HttpServer(HttpServerOptions options, RequestHandler handler, TransportErrorHandler on_error, AccessLogger log);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens on host:port. Returns the port (the chosen one for port 0), or
    // ErrorCode::usage when the address cannot be bound.
    Result<int> bind();
    // Accepts and serves until stop(); returns when every request in flight was answered.
    void run();
    // Thread-safe; may be called from a signal-watching thread.
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace otts::emulator
