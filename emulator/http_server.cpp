// Beast is slow to compile: only this file, ws_server.cpp and listener.hpp include it.
#include "emulator/http_server.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/http/url.hpp"
#include "emulator/listener.hpp"

namespace otts::emulator {

// Named rather than anonymous: unity builds compile this file together with ws_server.cpp.
namespace http_port {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// After an answer that ends the connection early (413, 431, 400) the client may still be
// sending: read and drop what comes for a moment, so that closing does not reset the
// connection before the client has read the answer (nginx's lingering close).
constexpr auto k_linger = std::chrono::seconds(2);
constexpr std::size_t k_linger_max_bytes = 8 * 1024 * 1024;

struct TransportError {
    ErrorCode code;
    int status;
};

// What a failed read means for the client, or nullopt when there is no one to answer
// (the peer closed, went quiet past the deadline, or the server is stopping).
std::optional<TransportError> classify(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return TransportError{ErrorCode::payload_too_large, 413};
    if (ec == bhttp::error::header_limit) return TransportError{ErrorCode::bad_request, 431};
    if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
        if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
        return TransportError{ErrorCode::bad_request, 400};
    }
    return std::nullopt;
}

http::Request to_core(const bhttp::request_header<>& header, std::string body, const std::string& source_ip) {
    http::Request r;
    r.method = std::string(header.method_string());
    const std::string_view target(header.target().data(), header.target().size());
    const auto question = target.find('?');
    r.path = url::percent_decode_lenient(target.substr(0, question), url::Plus::literal);
    if (question != std::string_view::npos) {
        for (auto& [name, value] : url::parse_query(target.substr(question + 1))) r.query.emplace(name, value);
    }
    for (const auto& field : header) {
        auto [it, inserted] = r.headers.emplace(std::string(field.name_string()), std::string(field.value()));
        if (!inserted) it->second.append(", ").append(field.value().data(), field.value().size());
    }
    if (auto cookie = r.header("Cookie")) http::parse_cookie_header(*cookie, r.cookies);
    r.body = std::move(body);
    r.source_ip = source_ip;
    return r;
}

bhttp::response<bhttp::string_body> to_beast(http::Response r, unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    for (auto& [name, value] : r.headers) res.set(name, std::move(value));
    for (auto& cookie : r.cookies) res.insert(bhttp::field::set_cookie, std::move(cookie));
    // 1xx, 204 and 304 carry no body (Beast refuses to frame one).
    const bool bodiless = r.status / 100 == 1 || r.status == 204 || r.status == 304;
    if (!bodiless) res.body() = std::move(r.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (head) res.body().clear();  // Content-Length stays that of the GET answer
    return res;
}

class Connection;

// What the server and its connections share; connections keep it alive.
struct Shared {
    Shared(HttpServerOptions o, RequestHandler h, TransportErrorHandler e, AccessLogger l)
        : options(std::move(o)),
          handler(std::move(h)),
          on_error(std::move(e)),
          log(std::move(l)),
          workers(options.threads) {}

    HttpServerOptions options;
    RequestHandler handler;
    TransportErrorHandler on_error;
    AccessLogger log;
    net::thread_pool workers;  // runs the handler: the only code here that may block
    std::mutex mutex;
    std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;
    std::atomic<bool> stopping = false;  // set on the io thread, read by workers too
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, ConnectionSlot slot, std::shared_ptr<Shared> shared)
        : m_stream(std::move(socket)), m_slot(std::move(slot)), m_shared(std::move(shared)) {
        beast::error_code ec;
        // Answers are one write each; Nagle would hold the next one for the peer's delayed ACK.
        m_stream.socket().set_option(tcp::no_delay(true), ec);
        auto remote = m_stream.socket().remote_endpoint(ec);
        if (!ec) m_source_ip = remote.address().to_string();
    }
    ~Connection() {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->connections.erase(this);
    }

    void start() {
        {
            const std::lock_guard lock(m_shared->mutex);
            m_shared->connections.emplace(this, weak_from_this());
        }
        read_header();
    }

    // On the io thread, when the server stops: a connection waiting for a request closes now,
    // one being served closes after its answer.
    void stop() {
        if (m_state == State::reading) close();
    }

private:
    enum class State { reading, serving, closing };

    void read_header() {
        m_state = State::reading;
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_shared->options.max_header_bytes));
        // No body limit while the header is read: past it, the header is whole, so the 413
        // can answer in the shape of the route the client asked for.
        m_parser->body_limit(std::numeric_limits<std::uint64_t>::max());
        // A new connection has the request timeout to send its first request; an idle
        // keep-alive connection the (shorter) keep-alive timeout to start the next one.
        const auto& o = m_shared->options;
        m_stream.expires_after(m_served == 0 ? o.request_timeout : o.keep_alive_timeout);
        bhttp::async_read_header(
            m_stream, m_buffer, *m_parser,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        if (ec) return fail(ec);
        const auto max_body = body_limit();
        if (m_parser->content_length().value_or(0) > max_body) return fail(bhttp::error::body_limit);
        m_parser->body_limit(max_body);  // a chunked body is counted as it arrives
        m_stream.expires_after(m_shared->options.request_timeout);
        if (expects_continue()) return send_continue();
        read_body();
    }

    std::size_t body_limit() const {
        const auto& options = m_shared->options;
        if (!options.body_limit) return options.max_body;
        const auto& header = m_parser->get();
        const std::string_view target(header.target().data(), header.target().size());
        const auto path = url::percent_decode_lenient(target.substr(0, target.find('?')), url::Plus::literal);
        return options.body_limit(std::string_view(header.method_string().data(), header.method_string().size()), path);
    }

    bool expects_continue() const {
        const auto& header = m_parser->get();
        auto it = header.find(bhttp::field::expect);
        return it != header.end() && beast::iequals(it->value(), "100-continue") && !m_parser->is_done();
    }

    // curl and others wait (up to a second) for this before sending a body.
    void send_continue() {
        auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
        bhttp::async_write(m_stream, *interim, [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            self->read_body();
        });
    }

    void read_body() {
        bhttp::async_read(m_stream, m_buffer, *m_parser,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->fail(ec);
                              self->serve();
                          });
    }

    // Hands the request to the pool. The worker starts the write itself: nothing else touches
    // the connection while it is being served, and the write's completion runs on the io
    // thread. (Hopping back to the io thread first cost a quarter of POST /token's rate.)
    void serve() {
        m_state = State::serving;
        m_stream.expires_never();  // the handler's time is not the client's
        const auto& header = m_parser->get();
        m_keep_alive = header.keep_alive();
        m_version = header.version();
        m_head = header.method() == bhttp::verb::head;
        auto request = to_core(header, std::move(m_parser->get().body()), m_source_ip);
        net::post(m_shared->workers, [self = shared_from_this(), request = std::move(request),
                                      work = net::make_work_guard(m_stream.get_executor())]() mutable {
            const auto start = SteadyClock::now();
            auto response = self->handle(request);
            self->m_shared->log(request, response.status, SteadyClock::now() - start);
            self->write(std::move(response));
        });
    }

    http::Response handle(http::Request& request) const {
        try {
            return m_shared->handler(request);
        } catch (const std::exception&) {
            return m_shared->on_error(request, ErrorCode::internal, 500);
        }
    }

    void write(http::Response response) {
        const bool keep_alive = m_keep_alive && !m_shared->stopping;
        m_response = to_beast(std::move(response), m_version, keep_alive, m_head);
        m_stream.expires_after(m_shared->options.request_timeout);  // a client that never reads
        bhttp::async_write(m_stream, m_response,
                           [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                               if (ec) return self->close();
                               ++self->m_served;
                               if (!keep_alive || self->m_shared->stopping) return self->close();
                               self->read_header();  // a pipelined request may already be in the buffer
                           });
    }

    // A read failed: answer what the client got wrong, else just close.
    void fail(beast::error_code ec) {
        auto error = classify(ec);
        if (!error || m_shared->stopping) return close();
        m_state = State::closing;
        http::Request request;
        if (m_parser->is_header_done())
            request = to_core(m_parser->get(), {}, m_source_ip);
        else
            request.source_ip = m_source_ip;
        auto response = m_shared->on_error(request, error->code, error->status);
        m_shared->log(request, error->status, std::chrono::nanoseconds{0});
        m_response = to_beast(std::move(response), 11, false, false);
        m_stream.expires_after(m_shared->options.request_timeout);
        bhttp::async_write(m_stream, m_response, [self = shared_from_this()](beast::error_code e, std::size_t) {
            if (e) return self->close();
            self->linger();
        });
    }

    void linger() {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_buffer.clear();
        m_stream.expires_after(k_linger);
        drain();
    }

    void drain() {
        m_stream.async_read_some(m_buffer.prepare(16 * 1024),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                     self->m_drained += n;
                                     if (ec || self->m_drained > k_linger_max_bytes) return self->close();
                                     self->drain();
                                 });
    }

    void close() {
        m_state = State::closing;
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        m_stream.close();
    }

    beast::tcp_stream m_stream;
    ConnectionSlot m_slot;
    std::shared_ptr<Shared> m_shared;
    std::string m_source_ip;
    beast::flat_buffer m_buffer{64 * 1024};  // at most one body is buffered
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    bhttp::response<bhttp::string_body> m_response;
    State m_state = State::reading;
    bool m_keep_alive = false;
    bool m_head = false;
    unsigned m_version = 11;
    std::size_t m_served = 0;
    std::size_t m_drained = 0;
};

}  // namespace http_port

class HttpServer::Impl {
public:
    Impl(HttpServerOptions options, RequestHandler handler, TransportErrorHandler on_error, AccessLogger log)
        : m_shared(std::make_shared<http_port::Shared>(std::move(options), std::move(handler), std::move(on_error),
                                                       std::move(log))),
          m_listener(m_ioc, m_shared->options.max_connections,
                     [this](http_port::tcp::socket socket, ConnectionSlot slot) {
                         std::make_shared<http_port::Connection>(std::move(socket), std::move(slot), m_shared)->start();
                     }) {}

    ~Impl() { m_shared->workers.join(); }

    Result<int> bind() {
        OTTS_TRY(auto port, m_listener.listen(m_shared->options.host, m_shared->options.port));
        m_listener.start();
        return static_cast<int>(port);
    }

    void run() {
        // A handler that throws out of Asio (a bug, allocation failure) must not end the server.
        for (;;) {
            try {
                m_ioc.run();
                break;
            } catch (const std::exception&) {
            }
        }
        m_shared->workers.join();
    }

    void stop() {
        http_port::net::post(m_ioc, [this] {
            m_shared->stopping = true;
            m_listener.close();
            for (auto& connection : live_connections()) connection->stop();
        });
    }

private:
    std::vector<std::shared_ptr<http_port::Connection>> live_connections() {
        const std::lock_guard lock(m_shared->mutex);
        std::vector<std::shared_ptr<http_port::Connection>> out;
        for (auto& [raw, weak] : m_shared->connections) {
            if (auto c = weak.lock()) out.push_back(std::move(c));
        }
        return out;
    }

    http_port::net::io_context m_ioc{1};
    std::shared_ptr<http_port::Shared> m_shared;
    Listener m_listener;
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, TransportErrorHandler on_error,
                       AccessLogger log)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(on_error), std::move(log))) {}
HttpServer::~HttpServer() = default;
Result<int> HttpServer::bind() { return m_impl->bind(); }
void HttpServer::run() { m_impl->run(); }
void HttpServer::stop() { m_impl->stop(); }

}  // namespace otts::emulator
