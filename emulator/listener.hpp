#pragma once
// The accept loop both of `otts serve`'s ports share (Boost.Asio; included only by
// http_server.cpp and ws_server.cpp). Two things a plain async_accept loop gets wrong under
// attack (DESIGN §15):
// - When the process runs out of file descriptors, accept fails at once, again and again: the
//   loop would spin a core. It waits k_accept_backoff before trying again instead.
// - Each port holds at most `max_connections` sockets, so that one port's clients cannot take
//   every descriptor and starve the other port, the store and the log. A connection over the
//   limit is accepted and closed at once (it would otherwise wait in the backlog).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio.hpp>

#include "core/result.hpp"

namespace otts::emulator {

// Held by each connection for its life: the port's count of open connections drops when it goes.
class ConnectionSlot {
public:
    explicit ConnectionSlot(std::shared_ptr<std::atomic<std::size_t>> open) : m_open(std::move(open)) {}
    ~ConnectionSlot() {
        if (m_open) --*m_open;
    }
    ConnectionSlot(ConnectionSlot&&) = default;
    ConnectionSlot& operator=(ConnectionSlot&&) = delete;
    ConnectionSlot(const ConnectionSlot&) = delete;
    ConnectionSlot& operator=(const ConnectionSlot&) = delete;

private:
    std::shared_ptr<std::atomic<std::size_t>> m_open;
};

class Listener {
public:
    using tcp = boost::asio::ip::tcp;
    using OnAccept = std::function<void(tcp::socket, ConnectionSlot)>;
    static constexpr auto k_accept_backoff = std::chrono::milliseconds(100);

    Listener(boost::asio::io_context& ioc, std::size_t max_connections, OnAccept on_accept)
        : m_acceptor(ioc), m_backoff(ioc), m_max(max_connections), m_on_accept(std::move(on_accept)) {}

    // Binds and listens; ErrorCode::usage naming the address when that fails.
    Result<std::uint16_t> listen(const std::string& host, int port) {
        boost::system::error_code ec;
        auto address = boost::asio::ip::make_address(host, ec);
        tcp::endpoint endpoint(address, static_cast<std::uint16_t>(port));
        if (!ec) m_acceptor.open(endpoint.protocol(), ec);
        if (!ec) m_acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
        if (!ec) m_acceptor.bind(endpoint, ec);
        if (!ec) m_acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
        if (ec) {
            return make_error(ErrorCode::usage,
                              "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
        }
        return m_acceptor.local_endpoint().port();
    }

    void start() { do_accept(); }
    // On the io thread.
    void close() {
        boost::system::error_code ignored;
        m_acceptor.close(ignored);
        m_backoff.cancel();
    }
    std::size_t open_connections() const { return *m_open; }

private:
    void do_accept() {
        m_acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (!m_acceptor.is_open()) return;
            if (ec) return back_off();
            if (*m_open >= m_max) {
                boost::system::error_code ignored;
                socket.close(ignored);
            } else {
                ++*m_open;
                m_on_accept(std::move(socket), ConnectionSlot(m_open));
            }
            do_accept();
        });
    }

    void back_off() {
        m_backoff.expires_after(k_accept_backoff);
        m_backoff.async_wait([this](boost::system::error_code ec) {
            if (!ec && m_acceptor.is_open()) do_accept();
        });
    }

    tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_backoff;
    std::size_t m_max;
    OnAccept m_on_accept;
    std::shared_ptr<std::atomic<std::size_t>> m_open = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace otts::emulator
