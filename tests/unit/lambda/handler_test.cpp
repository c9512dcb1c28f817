#include "lambda/handler.hpp"

#include <catch2/catch.hpp>

#include <vector>

#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"
#include "tests/support/service_fixture.hpp"
#include "tests/unit/lambda/fake_connection_store.hpp"

using namespace otts;
using namespace otts::lambda;
using nlohmann::json;

namespace {

// The handler's ports, with an HTTP API that records what it was asked and answers a fixed
// response.
struct HandlerFixture {
    test::FakeClock clock;
    test::SeededRandom random;
    UserTokens tokens{clock, test::ServiceFixture::hs_keys()};
    test::FakeConnectionStore store;
    std::vector<http::Request> requests;
    http::Response answer = http::Response::json(200, {{"ok", true}});
    HandlerDeps deps{
        .http =
            [this](http::Request request) {
                requests.push_back(std::move(request));
                return answer;
            },
        .user_tokens = tokens,
        .connections = store,
        .clock = clock,
        .random = random,
    };

    std::string user_token(const std::string& user) { return tokens.issue(user).value().token; }
};

json http_event(std::string method, std::string raw_path, std::string raw_query = "") {
    return {{"version", "2.0"},
            {"routeKey", "$default"},
            {"rawPath", raw_path},
            {"rawQueryString", raw_query},
            {"headers", {{"content-type", "application/json"}}},
            {"requestContext",
             {{"stage", "$default"},
              {"domainName", "abc.execute-api.eu-west-1.amazonaws.com"},
              {"http", {{"method", method}, {"path", raw_path}, {"sourceIp", "203.0.113.7"}}}}},
            {"body", "{}"},
            {"isBase64Encoded", false}};
}

json ws_event(std::string event_type, std::string route_key, std::string id = "AbCdEfGhIjKlMnO=") {
    return {{"requestContext",
             {{"eventType", event_type},
              {"routeKey", route_key},
              {"connectionId", id},
              {"identity", {{"sourceIp", "198.51.100.4"}, {"userAgent", "test-agent/1"}}}}},
            {"isBase64Encoded", false}};
}

}  // namespace

TEST_CASE("an HTTP API event goes to the API and its answer comes back in payload 2.0 shape", "[lambda][handler]") {
    HandlerFixture f;
    f.answer.cookies = {"sid=1; HttpOnly"};
    const auto out = handle_event(http_event("POST", "/tokens", "a=1"), f.deps);
    REQUIRE(out.ok());
    REQUIRE(f.requests.size() == 1);
    CHECK(f.requests[0].method == "POST");
    CHECK(f.requests[0].path == "/tokens");
    CHECK(f.requests[0].query == http::Params{{"a", "1"}});
    CHECK(f.requests[0].body == "{}");
    CHECK(f.requests[0].source_ip == "203.0.113.7");
    CHECK(*out == json{{"statusCode", 200},
                       {"headers", {{"Content-Type", "application/json"}}},
                       {"cookies", {"sid=1; HttpOnly"}},
                       {"body", R"({"ok":true})"},
                       {"isBase64Encoded", false}});
}

TEST_CASE("$connect with a valid ?token= stores the user's connection and answers 200", "[lambda][handler]") {
    HandlerFixture f;
    auto event = ws_event("CONNECT", "$connect");
    event["queryStringParameters"] = {{"token", f.user_token("alice")}};
    const auto out = handle_event(event, f.deps);
    REQUIRE(out.ok());
    CHECK(*out == json{{"statusCode", 200}});
    REQUIRE(f.store.records.count("AbCdEfGhIjKlMnO=") == 1);
    const auto& info = f.store.records.at("AbCdEfGhIjKlMnO=");
    CHECK(info.user_id == "alice");
    CHECK(info.connected_at == f.clock.now());
    CHECK(info.last_active_at == f.clock.now());
    CHECK(info.source_ip == "198.51.100.4");
    CHECK(info.user_agent == "test-agent/1");
    CHECK(f.requests.empty());
}

TEST_CASE("$connect with a bad or missing token connects anonymously, never refused", "[lambda][handler]") {
    HandlerFixture f;
    auto bad = ws_event("CONNECT", "$connect", "bad=");
    bad["queryStringParameters"] = {{"token", "not-a-jwt"}};
    CHECK(handle_event(bad, f.deps).value() == json{{"statusCode", 200}});
    CHECK(handle_event(ws_event("CONNECT", "$connect", "none="), f.deps).value() == json{{"statusCode", 200}});
    CHECK_FALSE(f.store.records.at("bad=").user_id);
    CHECK_FALSE(f.store.records.at("none=").user_id);
}

TEST_CASE("$connect echoes the subprotocol that carried the token", "[lambda][handler]") {
    HandlerFixture f;
    auto event = ws_event("CONNECT", "$connect");
    const auto token = f.user_token("bob");
    event["headers"] = {{"Sec-WebSocket-Protocol", "chat, " + token}};
    const auto out = handle_event(event, f.deps);
    REQUIRE(out.ok());
    CHECK((*out)["headers"]["Sec-WebSocket-Protocol"] == token);
    CHECK(f.store.records.at("AbCdEfGhIjKlMnO=").user_id == "bob");

    // Offered protocols but no token among them: the first is chosen, anonymously.
    event["headers"] = {{"sec-websocket-protocol", "chat, json"}};
    CHECK(handle_event(event, f.deps).value()["headers"]["Sec-WebSocket-Protocol"] == "chat");
}

TEST_CASE("$disconnect deletes the record, and an unknown one is fine", "[lambda][handler]") {
    HandlerFixture f;
    REQUIRE(handle_event(ws_event("CONNECT", "$connect"), f.deps).ok());
    REQUIRE(f.store.records.size() == 1);
    CHECK(handle_event(ws_event("DISCONNECT", "$disconnect"), f.deps).value() == json{{"statusCode", 200}});
    CHECK(f.store.records.empty());
    CHECK(handle_event(ws_event("DISCONNECT", "$disconnect"), f.deps).value() == json{{"statusCode", 200}});
}

TEST_CASE("a WebSocket message ($default) is answered in the route's response", "[lambda][handler][s4]") {
    HandlerFixture f;
    REQUIRE(handle_event(ws_event("CONNECT", "$connect"), f.deps).ok());
    const auto id = f.store.records.begin()->first;
    auto message = [&](std::string body) {
        auto event = ws_event("MESSAGE", "$default");
        event["body"] = std::move(body);
        const auto answer = handle_event(event, f.deps).value();
        CHECK(answer["statusCode"] == 200);
        return json::parse(answer["body"].get<std::string>());
    };
    CHECK(message(R"({"action":"get_client_connectionId"})") ==
          json{{"type", "client_connectionId"}, {"connectionId", id}});
    CHECK(message(R"({"action":"ping","requestId":"r1"})")["type"] == "pong");
    CHECK(message(R"({"action":"subscribe","data":{"queueId":"q1"},"requestId":"r2"})") ==
          json{{"type", "subscription_confirmed"}, {"queueId", "q1"}, {"requestId", "r2"}});
    CHECK(f.store.records.at(id).queue_ids == std::set<std::string, std::less<>>{"q1"});
    CHECK(f.store.subscribers("q1").value() == std::vector<std::string>{id});
    CHECK(message(R"({"action":"unsubscribe","data":{"queueId":"q1"}})")["type"] == "unsubscription_confirmed");
    CHECK(f.store.records.at(id).queue_ids.empty());
    CHECK(message(R"({"action":"hello"})")["error"] == "Unknown action: hello");
    CHECK(message("{nope")["error"] == "Invalid JSON format");
    CHECK(f.requests.empty());
}

TEST_CASE("a subscribe from a connection without a record answers Connection not found", "[lambda][handler][s4]") {
    HandlerFixture f;
    auto event = ws_event("MESSAGE", "$default");
    event["body"] = R"({"action":"subscribe","data":{"queueId":"q1"}})";
    const auto answer = handle_event(event, f.deps).value();
    CHECK(json::parse(answer["body"].get<std::string>())["error"] == "Connection not found");
    CHECK(f.store.records.empty());
    f.store.fail = true;
    const auto failed = handle_event(event, f.deps).value();
    CHECK(json::parse(failed["body"].get<std::string>())["error"] == "Subscription failed");
}

TEST_CASE("a failing connection store is an invocation error", "[lambda][handler]") {
    HandlerFixture f;
    f.store.fail = true;
    CHECK(handle_event(ws_event("CONNECT", "$connect"), f.deps).error().code == ErrorCode::store_error);
    CHECK(handle_event(ws_event("DISCONNECT", "$disconnect"), f.deps).error().code == ErrorCode::store_error);
}

TEST_CASE("malformed and non-route events are errors, and reach neither the API nor the store", "[lambda][handler]") {
    HandlerFixture f;
    CHECK(handle_event(json::array(), f.deps).error().code == ErrorCode::bad_request);
    auto authorizer = http_event("GET", "/");
    authorizer["type"] = "REQUEST";
    authorizer["routeArn"] = "arn:aws:execute-api:us-east-1:123456789012:abc/test/GET/";
    CHECK_THAT(handle_event(authorizer, f.deps).error().detail, Catch::Contains("authorizer"));
    auto no_method = http_event("GET", "/");
    no_method["requestContext"]["http"].erase("method");
    CHECK(handle_event(no_method, f.deps).error().code == ErrorCode::bad_request);
    auto no_id = ws_event("CONNECT", "$connect");
    no_id["requestContext"].erase("connectionId");
    CHECK_FALSE(handle_event(no_id, f.deps).ok());
    CHECK(f.requests.empty());
    CHECK(f.store.records.empty());
}
