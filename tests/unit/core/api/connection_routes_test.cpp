#include "core/api/connection_routes.hpp"

#include <catch2/catch.hpp>

#include "core/api/error_bodies.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/recording_sink.hpp"

using namespace otts;

namespace {

using otts::test::RecordingSink;

struct RoutesFixture {
    test::FakeClock clock{1'700'000'000};
    InMemoryConnectionRegistry registry;
    http::Router router{api::render_error};
    std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();

    RoutesFixture() {
        api::add_connection_routes(router, {registry, clock});
        ConnectionInfo info;
        info.id = "L0SM9cOFvHcCIhw=";
        info.user_id = "user-1";
        info.connected_at = info.last_active_at = clock.now();
        info.source_ip = "127.0.0.1";
        info.user_agent = "ws-test";
        registry.add(info, sink);
    }

    http::Response call(std::string method, std::string path, std::string body = {}) const {
        http::Request r;
        r.method = std::move(method);
        r.path = std::move(path);
        r.body = std::move(body);
        return router.handle(std::move(r));
    }
};

}  // namespace

TEST_CASE("POST /@connections/{id} pushes the raw body and answers 200 empty", "[connection_routes]") {
    RoutesFixture f;
    f.clock.advance(5);
    auto r = f.call("POST", "/@connections/L0SM9cOFvHcCIhw=", R"({"hello":1})");
    CHECK(r.status == 200);
    CHECK(r.body.empty());
    CHECK(f.sink->sent == std::vector<std::string>{R"({"hello":1})"});
    CHECK(f.registry.get("L0SM9cOFvHcCIhw=")->last_active_at == 1'700'000'005);
}

TEST_CASE("POST to an unknown connection answers 410 GoneException", "[connection_routes]") {
    RoutesFixture f;
    auto r = f.call("POST", "/@connections/AAAAAAAAAAAAAAA=", "x");
    CHECK(r.status == 410);
    CHECK(r.headers.at("x-amzn-ErrorType") == "GoneException");
    CHECK(nlohmann::json::parse(r.body)["message"] == "Gone");
}

TEST_CASE("POST over API Gateway's 128 KiB limit answers 413", "[connection_routes]") {
    RoutesFixture f;
    auto r = f.call("POST", "/@connections/L0SM9cOFvHcCIhw=", std::string(api::k_max_connection_message + 1, 'x'));
    CHECK(r.status == 413);
    CHECK(r.headers.at("x-amzn-ErrorType") == "PayloadTooLargeException");
    CHECK(f.sink->sent.empty());
}

TEST_CASE("GET /@connections/{id} answers GetConnection's wire shape", "[connection_routes]") {
    RoutesFixture f;
    auto r = f.call("GET", "/@connections/L0SM9cOFvHcCIhw=");
    REQUIRE(r.status == 200);
    auto body = nlohmann::json::parse(r.body);
    CHECK(body["connectedAt"] == "2023-11-14T22:13:20Z");
    CHECK(body["lastActiveAt"] == "2023-11-14T22:13:20Z");
    CHECK(body["identity"] == nlohmann::json{{"sourceIp", "127.0.0.1"}, {"userAgent", "ws-test"}});
    CHECK(body["userId"] == "user-1");
    CHECK(f.call("GET", "/@connections/AAAAAAAAAAAAAAA=").status == 410);
}

TEST_CASE("DELETE /@connections/{id} closes the socket and answers 204, then 410", "[connection_routes]") {
    RoutesFixture f;
    auto r = f.call("DELETE", "/@connections/L0SM9cOFvHcCIhw=");
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    CHECK(f.sink->closed);
    CHECK(f.call("DELETE", "/@connections/L0SM9cOFvHcCIhw=").status == 410);
    CHECK(f.call("POST", "/@connections/L0SM9cOFvHcCIhw=", "x").status == 410);
}

TEST_CASE("GET /@connections lists live connections", "[connection_routes]") {
    RoutesFixture f;
    auto body = nlohmann::json::parse(f.call("GET", "/@connections").body);
    REQUIRE(body["connections"].size() == 1);
    CHECK(body["connections"][0]["connectionId"] == "L0SM9cOFvHcCIhw=");
}

// Issue 11: one client's User-Agent of invalid UTF-8 made both reads throw (a 500 for everyone).
TEST_CASE("a User-Agent that is not UTF-8 is listed and described with U+FFFD", "[connection_routes]") {
    RoutesFixture f;
    ConnectionInfo info;
    info.id = "AAAAAAAAAAAAAAA=";
    info.user_agent = "bad\xff\xc3";
    f.registry.add(info, f.sink);
    auto one = f.call("GET", "/@connections/AAAAAAAAAAAAAAA=");
    REQUIRE(one.status == 200);
    CHECK(nlohmann::json::parse(one.body)["identity"]["userAgent"] == "bad\xEF\xBF\xBD\xEF\xBF\xBD");
    auto all = f.call("GET", "/@connections");
    REQUIRE(all.status == 200);
    CHECK(nlohmann::json::parse(all.body)["connections"].size() == 2);
}

TEST_CASE("connection routes reject traversal and malformed ids without a lookup", "[connection_routes]") {
    RoutesFixture f;
    for (const char* method : {"GET", "POST", "DELETE"}) {
        auto r = f.call(method, "/@connections/..");
        CHECK(r.status == 400);
        CHECK(r.headers.at("x-amzn-ErrorType") == "BadRequestException");
        CHECK(f.call(method, "/@connections/a%2Fb").status == 400);
        CHECK(f.call(method, "/@connections/../../etc/passwd").status == 404);
        CHECK(f.call(method, "/@connections/").status == 404);
    }
    CHECK(f.call("PUT", "/@connections/L0SM9cOFvHcCIhw=").status == 405);
    CHECK_FALSE(f.sink->closed);
}

TEST_CASE("POST /@queues/{queueId} pushes to the queue's subscribers and says how many", "[connection_routes][s4]") {
    RoutesFixture f;
    auto r = f.call("POST", "/@queues/q-1", "nobody listens");
    CHECK(r.status == 200);
    CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"queueId", "q-1"}, {"delivered", 0}});
    CHECK(f.sink->sent.empty());
    REQUIRE(f.registry.change_subscription("L0SM9cOFvHcCIhw=", {true, "q-1"}) == SubscriptionOutcome::done);
    r = f.call("POST", "/@queues/q-1", R"({"type":"job_progress"})");
    CHECK(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["delivered"] == 1);
    CHECK(f.sink->sent == std::vector<std::string>{R"({"type":"job_progress"})"});
    CHECK(f.call("POST", "/@queues/q-2", "other queue").status == 200);
    CHECK(f.sink->sent.size() == 1);
    const auto big = f.call("POST", "/@queues/q-1", std::string(api::k_max_connection_message + 1, 'x'));
    CHECK(big.status == 413);
    const auto bad = f.call("POST", std::string("/@queues/a\x01") + "b", "x");
    CHECK(bad.status == 400);
    CHECK(bad.headers.at("x-amzn-ErrorType") == "BadRequestException");
    CHECK(f.call("POST", "/@queues/" + std::string(k_max_queue_id + 1, 'q'), "x").status == 400);
    CHECK(f.sink->sent.size() == 1);
}
