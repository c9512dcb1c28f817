#pragma once
// cpp-httplib ⇄ the core's Request/Response (DESIGN §2): no route logic here. Every request
// goes to one handler; errors httplib finds itself (body over the limit, unparsable request)
// go to one error renderer so they still answer in the API's shapes.
//
// Performance (DESIGN §12): TCP_NODELAY on, and a thread pool sized for the connections served
// (httplib 0.11 holds a worker for the whole life of a keep-alive connection).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/http/http.hpp"
#include "core/result.hpp"

namespace httplib {
class Server;
}

namespace otts::emulator {

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                             // 0: any free port
    std::size_t threads = 128;                   // concurrent connections served
    std::size_t max_body = 64 * 1024;            // larger bodies answer 413
    std::size_t max_header_bytes = 16 * 1024;    // all header lines together; larger answer 431
    std::chrono::seconds read_timeout{5};        // a request that stalls this long is dropped
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
    // store-independent usage error when the address cannot be bound.
    Result<int> bind();
    // Accepts and serves until stop(); returns when every worker has finished its request.
    void run();
    // Thread-safe; may be called from a signal-watching thread.
    void stop();

private:
    void install_handlers();

    HttpServerOptions m_options;
    RequestHandler m_handler;
    TransportErrorHandler m_on_error;
    AccessLogger m_log;
    std::unique_ptr<httplib::Server> m_server;
    int m_listen_fd = -1;  // the listening socket, once bound
};

}  // namespace otts::emulator
