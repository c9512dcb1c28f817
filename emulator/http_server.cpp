#include "emulator/http_server.hpp"

#include <sys/socket.h>

#include <httplib.h>

#include <string_view>

namespace otts::emulator {
namespace {

using SteadyClock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
    const http::CaseInsensitiveLess less;
    return !less(a, b) && !less(b, a);
}

ErrorCode code_for_status(int status) {
    switch (status) {
        case 413: return ErrorCode::payload_too_large;
        case 404: return ErrorCode::route_not_found;
        case 405: return ErrorCode::method_not_allowed;
        default: return ErrorCode::bad_request;
    }
}

// httplib adds the connection's addresses as pseudo-headers; they are not the client's headers.
bool is_pseudo_header(std::string_view name) {
    return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT";
}

http::Request to_core(const httplib::Request& req) {
    http::Request r;
    r.method = req.method;
    r.path = req.path;  // httplib has percent-decoded it and split off the query
    for (const auto& [name, value] : req.params) r.query.emplace(name, value);
    for (const auto& [name, value] : req.headers) {
        if (is_pseudo_header(name)) continue;
        auto [it, inserted] = r.headers.emplace(name, value);
        if (!inserted) it->second += ", " + value;
    }
    if (auto cookie = r.header("Cookie")) http::parse_cookie_header(*cookie, r.cookies);
    r.body = req.body;
    r.source_ip = req.remote_addr;
    return r;
}

void to_httplib(const http::Response& r, httplib::Response& res) {
    res.status = r.status;
    std::string type;
    for (const auto& [name, value] : r.headers) {
        if (iequals(name, "Content-Type")) {
            type = value;
        } else {
            res.set_header(name, value);
        }
    }
    for (const auto& cookie : r.cookies) res.set_header("Set-Cookie", cookie);
    if (!r.body.empty() || !type.empty()) res.set_content(r.body, type);
}

std::size_t header_bytes(const httplib::Request& req) {
    std::size_t total = 0;
    for (const auto& [name, value] : req.headers) {
        if (!is_pseudo_header(name)) total += name.size() + value.size() + 4;
    }
    return total;
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, TransportErrorHandler on_error,
                       AccessLogger log)
    : m_options(std::move(options)),
      m_handler(std::move(handler)),
      m_on_error(std::move(on_error)),
      m_log(std::move(log)),
      m_server(std::make_unique<httplib::Server>()) {
    const auto threads = m_options.threads;
    m_server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    m_server->set_tcp_nodelay(true);
    m_server->set_payload_max_length(m_options.max_body);
    m_server->set_read_timeout(m_options.read_timeout);
    m_server->set_write_timeout(m_options.read_timeout);
    m_server->set_keep_alive_timeout(m_options.keep_alive_timeout.count());
    // httplib closes a keep-alive connection after 5 requests by default; clients that keep a
    // pool (browsers, Node fetch, wrk) would reconnect constantly.
    m_server->set_keep_alive_max_count(100'000);
    // Debian's httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into the
    // library): a burst of new connections overflows it and the kernel makes clients resend
    // their SYN a second later (p99 ~1 s under wrk -c64). Remember the socket; bind() widens it.
    m_server->set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        m_listen_fd = sock;
    });
    install_handlers();
}

HttpServer::~HttpServer() = default;

void HttpServer::install_handlers() {
    const httplib::Server::Handler serve = [this](const httplib::Request& req, httplib::Response& res) {
        const auto start = SteadyClock::now();
        auto request = to_core(req);
        http::Response response;
        if (header_bytes(req) > m_options.max_header_bytes) {
            response = m_on_error(request, ErrorCode::bad_request, 431);
        } else {
            response = m_handler(request);
        }
        to_httplib(response, res);
        m_log(request, response.status, SteadyClock::now() - start);
    };
    // httplib reads a POST, PUT, PATCH or DELETE without Content-Length until the peer closes
    // (and then answers 400), yet curl -X POST and API Gateway clients send such requests with
    // no body. A request with neither Content-Length nor Transfer-Encoding has an empty body
    // (RFC 9112 §6.3), so it is served here, before httplib tries to read one.
    m_server->set_pre_routing_handler([serve](const httplib::Request& req, httplib::Response& res) {
        if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        serve(req, res);
        return httplib::Server::HandlerResponse::Handled;
    });
    // One catch-all per method: the core router decides 404 and 405 itself.
    const std::string any = ".*";
    m_server->Get(any, serve);
    m_server->Post(any, serve);
    m_server->Put(any, serve);
    m_server->Patch(any, serve);
    m_server->Delete(any, serve);
    m_server->Options(any, serve);
    // httplib's own errors (413 for a body over the limit, 400 for an unparsable request) reach
    // here with an empty body; responses the router made already have one and pass through.
    const httplib::Server::HandlerWithResponse on_error = [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const auto request = to_core(req);
        to_httplib(m_on_error(request, code_for_status(res.status), res.status), res);
        m_log(request, res.status, std::chrono::nanoseconds{0});
        return httplib::Server::HandlerResponse::Handled;
    };
    m_server->set_error_handler(on_error);
    m_server->set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        const auto request = to_core(req);
        to_httplib(m_on_error(request, ErrorCode::internal, 500), res);
        m_log(request, 500, std::chrono::nanoseconds{0});
    });
}

Result<int> HttpServer::bind() {
    const auto where = m_options.host + ":" + std::to_string(m_options.port);
    int port = m_options.port;
    if (port == 0) {
        port = m_server->bind_to_any_port(m_options.host);
        if (port <= 0) return make_error(ErrorCode::usage, "cannot listen on " + where);
    } else if (!m_server->bind_to_port(m_options.host, m_options.port)) {
        return make_error(ErrorCode::usage, "cannot listen on " + where + " (in use, or not a local address?)");
    }
    // listen() again on a listening socket only changes its backlog (Linux).
    if (m_listen_fd >= 0) ::listen(m_listen_fd, SOMAXCONN);
    return port;
}

void HttpServer::run() { m_server->listen_after_bind(); }

void HttpServer::stop() { m_server->stop(); }

}  // namespace otts::emulator
