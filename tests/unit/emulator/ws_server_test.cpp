#include "emulator/ws_server.hpp"

#include <chrono>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"

using namespace otts;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto k_wait = std::chrono::seconds(5);

// A real Beast client. Every operation is async and bounded by run_for, so a server that
// never answers fails the test instead of hanging it.
class Client {
public:
    Client(std::uint16_t port, const std::string& target, std::optional<std::string> protocol = std::nullopt) {
        ws.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
        if (protocol) {
            ws.set_option(websocket::stream_base::decorator([p = *protocol](websocket::request_type& req) {
                req.set(beast::http::field::sec_websocket_protocol, p);
                req.set(beast::http::field::user_agent, "otts-test");
            }));
        }
        beast::error_code ec = net::error::timed_out;
        ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), target, [&](beast::error_code e) { ec = e; });
        run();
        if (ec) throw beast::system_error(ec);
    }

    // The next text message, or the error that ended the wait.
    std::pair<std::string, beast::error_code> read() {
        beast::flat_buffer buffer;
        beast::error_code ec = net::error::timed_out;
        ws.async_read(buffer, [&](beast::error_code e, std::size_t) { ec = e; });
        run();
        return {beast::buffers_to_string(buffer.data()), ec};
    }

    nlohmann::json read_json() { return nlohmann::json::parse(read().first); }

    void write(const std::string& text) {
        ws.async_write(net::buffer(text), [](beast::error_code, std::size_t) {});
        run();
    }

    void close() {
        ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
        run();
    }

    net::io_context ioc;
    websocket::stream<tcp::socket> ws{ioc};
    websocket::response_type response;

private:
    void run() {
        ioc.restart();
        ioc.run_for(k_wait);
    }
};

struct WsFixture {
    test::FakeClock clock;
    test::SeededRandom random;
    UserTokens tokens{clock, {jwt::Key::hs256(std::string(32, 'k'), "k1").value()}};
    InMemoryConnectionRegistry registry;
    emulator::WsServer server{{"127.0.0.1", 0}, {registry, tokens, clock, random}};
    std::uint16_t port = server.start().value();

    std::string token(const std::string& user) { return tokens.issue(user).value().token; }
};

// The registry changes on the server's thread; poll briefly for it.
template <typename Pred>
bool eventually(Pred pred) {
    for (int i = 0; i < 200; ++i) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
}

}  // namespace

TEST_CASE("ws server names the user of a valid ?token= in its first message", "[ws_server]") {
    WsFixture f;
    Client client(f.port, "/?token=" + f.token("user-1"));
    auto hello = client.read_json();
    CHECK(hello["message"] == "Connected");
    CHECK(hello["userId"] == "user-1");
    auto id = hello["connectionId"].get<std::string>();
    CHECK(id.size() == 16);
    auto info = f.registry.get(id);
    REQUIRE(info);
    CHECK(info->user_id == "user-1");
    CHECK(info->source_ip == "127.0.0.1");
    CHECK(info->connected_at == f.clock.now());
}

TEST_CASE("ws server connects bad, expired and missing tokens as anonymous", "[ws_server]") {
    WsFixture f;
    auto expired = f.token("user-1");
    f.clock.advance(2 * 3600);
    for (const std::string& target :
         std::vector<std::string>{"/", "/?token=garbage", "/dev?token=" + expired, "/?token="}) {
        Client client(f.port, target);
        auto hello = client.read_json();
        CHECK(hello["message"] == "Connected");
        CHECK(hello["userId"].is_null());
    }
}

TEST_CASE("ws server takes the token from Sec-WebSocket-Protocol and echoes it", "[ws_server]") {
    WsFixture f;
    auto token = f.token("user-2");
    Client client(f.port, "/", token);
    CHECK(client.response[beast::http::field::sec_websocket_protocol] == token);
    CHECK(client.read_json()["userId"] == "user-2");
    auto info = f.registry.get(f.registry.list().at(0).id);
    CHECK(info->user_agent == "otts-test");
}

TEST_CASE("ws server echoes an offered protocol even when it is no token", "[ws_server]") {
    WsFixture f;
    Client client(f.port, "/", std::string("chat"));
    CHECK(client.response[beast::http::field::sec_websocket_protocol] == "chat");
    CHECK(client.read_json()["userId"].is_null());
}

TEST_CASE("ws server delivers registry pushes after the Connected message", "[ws_server]") {
    WsFixture f;
    Client client(f.port, "/");
    auto id = client.read_json()["connectionId"].get<std::string>();
    CHECK(f.registry.post(id, R"({"n":1})"));
    CHECK(f.registry.post(id, "two"));
    CHECK(client.read().first == R"({"n":1})");
    CHECK(client.read().first == "two");
}

TEST_CASE("ws server closes the socket when the registry drops the connection", "[ws_server]") {
    WsFixture f;
    Client client(f.port, "/");
    auto id = client.read_json()["connectionId"].get<std::string>();
    CHECK(f.registry.post(id, "last words"));
    CHECK(f.registry.close(id));
    CHECK(client.read().first == "last words");
    auto [text, ec] = client.read();
    CHECK(ec == websocket::error::closed);
    CHECK(client.ws.reason().code == websocket::close_code::normal);
    CHECK_FALSE(f.registry.post(id, "x"));
}

TEST_CASE("ws server forgets a connection the client closed", "[ws_server]") {
    WsFixture f;
    Client client(f.port, "/");
    auto id = client.read_json()["connectionId"].get<std::string>();
    client.close();
    CHECK(eventually([&] { return !f.registry.get(id); }));
    CHECK_FALSE(f.registry.post(id, "x"));
}

TEST_CASE("ws server records client messages as activity and answers none", "[ws_server]") {
    WsFixture f;
    Client client(f.port, "/");
    auto id = client.read_json()["connectionId"].get<std::string>();
    f.clock.advance(42);
    client.write("ping from client");
    CHECK(eventually([&] { return f.registry.get(id)->last_active_at == f.clock.now(); }));
}

TEST_CASE("ws server answers a plain HTTP request with 426", "[ws_server]") {
    WsFixture f;
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({net::ip::make_address("127.0.0.1"), f.port});
    beast::http::request<beast::http::empty_body> request{beast::http::verb::get, "/", 11};
    request.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(socket, request);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> response;
    beast::http::read(socket, buffer, response);
    CHECK(response.result_int() == 426);
}

TEST_CASE("ws server stop sends going-away and empties the registry", "[ws_server]") {
    WsFixture f;
    Client client(f.port, "/");
    client.read_json();
    // The client must be reading to answer the close handshake, so stop from another thread.
    std::thread stopper([&] { f.server.stop(); });
    auto [text, ec] = client.read();
    stopper.join();
    CHECK(ec == websocket::error::closed);
    CHECK(client.ws.reason().code == websocket::close_code::going_away);
    CHECK(f.registry.list().empty());
    f.server.stop();  // idempotent
}

TEST_CASE("ws server reports a port it cannot bind", "[ws_server]") {
    WsFixture f;
    emulator::WsServer second{{"127.0.0.1", f.port}, {f.registry, f.tokens, f.clock, f.random}};
    auto started = second.start();
    REQUIRE_FALSE(started);
    CHECK(started.error().code == ErrorCode::usage);
}
