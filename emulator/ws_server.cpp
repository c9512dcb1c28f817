// The only translation unit that includes Beast: it is slow to compile, so it stays here.
#include "emulator/ws_server.hpp"

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "core/encoding/base64.hpp"
#include "emulator/listener.hpp"

namespace otts::emulator {

// Named rather than anonymous: unity builds compile this file together with http_server.cpp.
namespace ws_port {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto k_upgrade_timeout = std::chrono::seconds(30);
constexpr auto k_idle_timeout = std::chrono::seconds(60);  // pinged at half; a dead peer goes
constexpr std::uint32_t k_header_limit = 16 * 1024;        // an 8 KiB token in the query fits
constexpr std::size_t k_max_client_message = 64 * 1024;    // DESIGN §15 (a longer one closes 1009)
// A slow reader closed with 1008 gets this long to take the message being written and the
// close frame; then its socket is closed under it.
constexpr auto k_overflow_close_timeout = std::chrono::seconds(5);

// RFC 6455 §4.1: the key is 16 random bytes in base64 (Beast checks only its length).
bool valid_websocket_key(std::string_view key) {
    if (key.size() != 24) return false;
    auto bytes = base64_decode(key);
    return bytes && bytes->size() == 16;
}

class Session;

// What the server and its sessions share. Sessions keep it alive: they can outlive the
// io_context's run() until the io_context itself is destroyed.
struct Shared {
    explicit Shared(WsServerDeps d) : deps(d) {}
    WsServerDeps deps;
    std::mutex mutex;
    std::condition_variable changed;
    bool shutting_down = false;  // set on the io thread once every session was told to close
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

class Session final : public ConnectionSink, public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, ConnectionSlot slot, std::shared_ptr<Shared> shared)
        : m_ws(std::move(socket)),
          m_slot(std::move(slot)),
          m_shared(std::move(shared)),
          m_overflow_deadline(m_ws.get_executor()) {}
    ~Session() override;

    void run();
    bool send(std::string data) override;
    void close() override { post_close(websocket::close_code::normal); }
    // On the io thread only (server shutdown).
    void shut_down();
    // Leaves the registry; on the io thread, or after it has stopped.
    void finish();

private:
    void on_request(beast::error_code ec);
    void refuse(bhttp::status status, std::string body);
    void accept(const ConnectIdentity& identity);
    void on_accept(beast::error_code ec);
    void do_read();
    void on_read(beast::error_code ec);
    void enqueue(std::string data);
    void do_write();
    void on_write(beast::error_code ec);
    void overflow();
    void post_close(websocket::close_code code);
    void start_close(websocket::close_code code);
    void do_close();

    websocket::stream<beast::tcp_stream> m_ws;
    ConnectionSlot m_slot;
    std::shared_ptr<Shared> m_shared;
    net::steady_timer m_overflow_deadline;
    std::atomic<std::size_t> m_queued_bytes{0};  // pushed, not yet written; send() adds
    beast::flat_buffer m_buffer;
    bhttp::request_parser<bhttp::string_body> m_parser;
    bhttp::response<bhttp::string_body> m_refusal;
    std::deque<std::string> m_outbox;
    ConnectionInfo m_info;
    std::atomic<bool> m_open{false};  // read from other threads by send()
    bool m_closing = false;
    websocket::close_code m_close_code = websocket::close_code::normal;
    bool m_registered = false;
};

Session::~Session() {
    finish();
    std::lock_guard lock(m_shared->mutex);
    m_shared->sessions.erase(this);
    m_shared->changed.notify_all();
}

void Session::run() {
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->sessions.emplace(this, weak_from_this());
    }
    m_parser.header_limit(k_header_limit);
    m_parser.body_limit(0);  // an upgrade request has no body
    beast::get_lowest_layer(m_ws).expires_after(k_upgrade_timeout);
    bhttp::async_read(m_ws.next_layer(), m_buffer, m_parser,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
}

void Session::on_request(beast::error_code ec) {
    if (ec) return;  // timeout, oversized or broken request: drop the socket
    const auto& request = m_parser.get();
    if (!websocket::is_upgrade(request)) {
        return refuse(bhttp::status::upgrade_required,
                      "This port speaks WebSocket only (S4). Connect with ws://host:port/?token=<user token>\n");
    }
    const auto key = request[bhttp::field::sec_websocket_key];
    if (!valid_websocket_key(std::string_view(key.data(), key.size()))) {
        return refuse(bhttp::status::bad_request, "Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455)\n");
    }
    auto target = std::string_view(request.target().data(), request.target().size());
    auto token = query_parameter(target, "token");
    std::optional<std::string_view> protocols;
    if (auto it = request.find(bhttp::field::sec_websocket_protocol); it != request.end()) {
        protocols = std::string_view(it->value().data(), it->value().size());
    }
    if (auto it = request.find(bhttp::field::user_agent); it != request.end()) {
        m_info.user_agent = std::string(it->value());
    }
    accept(resolve_connect_identity(m_shared->deps.user_tokens, token, protocols));
}

// A request that cannot be upgraded: say what is expected instead of hanging up.
void Session::refuse(bhttp::status status, std::string body) {
    m_refusal = {status, m_parser.get().version()};
    m_refusal.set(bhttp::field::server, "otts");
    m_refusal.set(bhttp::field::upgrade, "websocket");
    m_refusal.set(bhttp::field::content_type, "text/plain");
    m_refusal.keep_alive(false);
    m_refusal.body() = std::move(body);
    m_refusal.prepare_payload();
    bhttp::async_write(m_ws.next_layer(), m_refusal, [self = shared_from_this()](beast::error_code, std::size_t) {
        beast::error_code ignored;
        beast::get_lowest_layer(self->m_ws).socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
}

void Session::accept(const ConnectIdentity& identity) {
    m_info.user_id = identity.user_id;
    beast::error_code ec;
    auto remote = beast::get_lowest_layer(m_ws).socket().remote_endpoint(ec);
    if (!ec) m_info.source_ip = remote.address().to_string();

    beast::get_lowest_layer(m_ws).expires_never();  // the websocket stream has its own timeouts
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = k_idle_timeout;
    timeouts.keep_alive_pings = true;
    m_ws.set_option(timeouts);
    m_ws.read_message_max(k_max_client_message);
    m_ws.set_option(websocket::stream_base::decorator([protocol = identity.protocol](websocket::response_type& res) {
        res.set(bhttp::field::server, "otts");
        if (protocol) res.set(bhttp::field::sec_websocket_protocol, *protocol);
    }));
    m_ws.async_accept(m_parser.get(), [self = shared_from_this()](beast::error_code e) { self->on_accept(e); });
}

void Session::on_accept(beast::error_code ec) {
    if (ec) return;
    auto& deps = m_shared->deps;
    m_info.id = new_connection_id(deps.random);
    m_info.connected_at = m_info.last_active_at = deps.clock.now();
    m_open = true;
    deps.connections.add(m_info, shared_from_this());
    m_registered = true;
    // Queued before this handler returns, so a push posted from another thread meanwhile
    // (it goes through the same io thread) can only come after it.
    auto connected = connected_message(m_info).dump();
    m_queued_bytes += connected.size();  // as send() counts what it queues
    enqueue(std::move(connected));
    do_read();
}

void Session::do_read() {
    m_ws.async_read(m_buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void Session::on_read(beast::error_code ec) {
    if (ec) return finish();  // closed by either side, or the peer died
    const auto text = beast::buffers_to_string(m_buffer.data());
    m_buffer.consume(m_buffer.size());
    auto& deps = m_shared->deps;
    deps.connections.touch(m_info.id, deps.clock.now());
    // The core decides the answer; this only carries it (as the push path does, so a client
    // that does not read its answers meets the same queue limit).
    send(reply_to_client_message(text, m_info.id, deps.clock.now_ns() / 1'000'000, [&](const SubscriptionChange& c) {
        return deps.connections.change_subscription(m_info.id, c);
    }));
    do_read();
}

bool Session::send(std::string data) {
    if (!m_open) return false;
    if (m_queued_bytes.fetch_add(data.size()) + data.size() > k_max_queued_bytes) {
        m_open = false;  // this push and every later one answer 410
        net::post(m_ws.get_executor(), [self = shared_from_this()] { self->overflow(); });
        return false;
    }
    net::post(m_ws.get_executor(),
              [self = shared_from_this(), data = std::move(data)]() mutable { self->enqueue(std::move(data)); });
    return true;
}

void Session::enqueue(std::string data) {
    if (m_closing) return;
    m_outbox.push_back(std::move(data));
    if (m_outbox.size() == 1) do_write();
}

void Session::do_write() {
    m_ws.text(true);
    m_ws.async_write(net::buffer(m_outbox.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void Session::on_write(beast::error_code ec) {
    if (ec) return;  // the read side sees the failure too and finishes
    m_queued_bytes -= m_outbox.front().size();
    m_outbox.pop_front();
    if (!m_outbox.empty()) return do_write();
    if (m_closing) do_close();
}

// The client stopped reading: drop what waits (but the message being written, which Beast
// must finish), close with 1008, and if the client does not take that in time either, cut it.
void Session::overflow() {
    if (m_closing) return;
    if (!m_outbox.empty()) m_outbox.erase(m_outbox.begin() + 1, m_outbox.end());
    m_closing = true;
    m_close_code = websocket::close_code::policy_error;
    if (m_outbox.empty()) do_close();
    m_overflow_deadline.expires_after(k_overflow_close_timeout);
    m_overflow_deadline.async_wait([weak = weak_from_this()](beast::error_code ec) {
        auto self = weak.lock();
        if (ec || !self) return;
        beast::error_code ignored;
        beast::get_lowest_layer(self->m_ws).socket().close(ignored);
    });
}

void Session::post_close(websocket::close_code code) {
    net::post(m_ws.get_executor(), [self = shared_from_this(), code] { self->start_close(code); });
}

void Session::start_close(websocket::close_code code) {
    if (!m_open || m_closing) return;
    m_closing = true;
    m_open = false;
    m_close_code = code;
    // Messages pushed before the close still go out first (POST then DELETE delivers the
    // message); the close starts once the outbox is empty, so no write runs beside it.
    if (m_outbox.empty()) do_close();
}

void Session::do_close() {
    // The pending read sees the close handshake complete and ends the session.
    m_ws.async_close(m_close_code, [self = shared_from_this()](beast::error_code) {});
}

void Session::shut_down() {
    if (m_open) return start_close(websocket::close_code::going_away);
    beast::error_code ignored;  // still in the HTTP upgrade: abort it
    beast::get_lowest_layer(m_ws).socket().close(ignored);
}

void Session::finish() {
    m_open = false;
    if (!m_registered) return;
    m_registered = false;
    m_shared->deps.connections.remove(m_info.id);
}

std::vector<std::shared_ptr<Session>> live_sessions(Shared& shared) {
    std::lock_guard lock(shared.mutex);
    std::vector<std::shared_ptr<Session>> out;
    for (auto& [raw, weak] : shared.sessions) {
        if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
}

}  // namespace ws_port

class WsServer::Impl {
public:
    Impl(WsServerOptions options, WsServerDeps deps)
        : m_options(std::move(options)), m_shared(std::make_shared<ws_port::Shared>(deps)) {}
    ~Impl() { stop(0); }

    Result<std::uint16_t> start();
    void stop(int grace_ms);
    std::uint16_t port() const { return m_port; }

private:
    void run_loop();
    bool wait_for_sessions(int grace_ms);

    WsServerOptions m_options;
    std::shared_ptr<ws_port::Shared> m_shared;
    ws_port::net::io_context m_ioc{1};
    Listener m_listener{m_ioc, m_options.max_connections, [this](ws_port::tcp::socket socket, ConnectionSlot slot) {
                            std::make_shared<ws_port::Session>(std::move(socket), std::move(slot), m_shared)->run();
                        }};
    std::thread m_thread;
    std::uint16_t m_port = 0;
    bool m_started = false;
    bool m_stopped = false;
};

Result<std::uint16_t> WsServer::Impl::start() {
    if (m_started) return m_port;
    OTTS_TRY(m_port, m_listener.listen(m_options.host, m_options.port));
    m_started = true;
    m_listener.start();
    // The io thread must never take SIGINT/SIGTERM meant for the process's signal watcher: it
    // inherits the mask in force when it is created, so block everything around its birth.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    m_thread = std::thread([this] { run_loop(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return m_port;
}

void WsServer::Impl::run_loop() {
    // A handler that throws (allocation failure, a bug) must not take the whole server down.
    for (;;) {
        try {
            m_ioc.run();
            return;
        } catch (const std::exception&) {
        }
    }
}

bool WsServer::Impl::wait_for_sessions(int grace_ms) {
    std::unique_lock lock(m_shared->mutex);
    return m_shared->changed.wait_for(lock, std::chrono::milliseconds(grace_ms),
                                      [this] { return m_shared->shutting_down && m_shared->sessions.empty(); });
}

void WsServer::Impl::stop(int grace_ms) {
    if (!m_started || m_stopped) return;
    m_stopped = true;
    ws_port::net::post(m_ioc, [this] {
        m_listener.close();
        for (auto& session : ws_port::live_sessions(*m_shared)) session->shut_down();
        std::lock_guard lock(m_shared->mutex);
        m_shared->shutting_down = true;
        m_shared->changed.notify_all();
    });
    // With the acceptor closed and every session gone, run() returns by itself.
    if (!wait_for_sessions(grace_ms)) m_ioc.stop();
    m_thread.join();
    // Sessions that did not finish their close handshake in time leave the registry now.
    for (auto& session : ws_port::live_sessions(*m_shared)) session->finish();
}

WsServer::WsServer(WsServerOptions options, WsServerDeps deps)
    : m_impl(std::make_unique<Impl>(std::move(options), deps)) {}
WsServer::~WsServer() = default;
Result<std::uint16_t> WsServer::start() { return m_impl->start(); }
std::uint16_t WsServer::port() const { return m_impl->port(); }
void WsServer::stop(int grace_ms) { m_impl->stop(grace_ms); }

}  // namespace otts::emulator
