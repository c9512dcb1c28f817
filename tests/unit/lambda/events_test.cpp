#include "lambda/events.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "core/http/url.hpp"
#include "tests/support/vectors.hpp"

using namespace otts;
using namespace otts::lambda;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

std::optional<fs::path> events_dir() {
    auto dir = test::vectors_dir();
    if (!dir) return std::nullopt;
    return *dir / "lambda-events";
}

// Every fixture file (an event or, once, a response) under lambda-events/.
std::vector<fs::path> fixtures(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The kind each known fixture is; nullopt: not a route event.
const std::map<std::string, std::optional<EventKind>>& known_kinds() {
    static const std::map<std::string, std::optional<EventKind>> kinds = {
        {"apigw_v2_proxy_request.json", EventKind::http_api},
        {"apigw_v2_proxy_request_with_stage_in_path.json", EventKind::http_api},
        {"apigw_v2_proxy_request_minimal.json", EventKind::http_api},
        {"apigw_v2_sam_local.json", EventKind::http_api},
        {"lambda_function_url_request.json", EventKind::function_url},
        {"example-apigw-v2-custom-authorizer-websocket-request.json", std::nullopt},
        {"example-apigw-v2-request-multi-value-parameters.json", EventKind::http_api},
        {"example-apigw-websocket-request-disconnect-route.json", EventKind::websocket},
        {"example-apigw-websocket-request-without-method.json", EventKind::websocket},
        {"example-apigw-sam-http-request.json", EventKind::http_api},
        {"example-apigw-websocket-request.json", EventKind::websocket},
        {"function-url-domain-only-request-with-base64-encoded-body.json", EventKind::function_url},
        {"function-url-domain-only-get-request-trailing-slash.json", EventKind::function_url},
        {"function-url-domain-only-get-request.json", EventKind::function_url},
        {"function-url-request-with-headers-and-cookies-and-text-body.json", EventKind::function_url},
        {"apigw-v2-request-jwt-authorizer.json", EventKind::http_api},
        {"apigw-v2-request-lambda-authorizer.json", EventKind::http_api},
        {"apigw-v2-request-iam.json", EventKind::http_api},
        {"apigw-v2-request-no-authorizer.json", EventKind::http_api},
        {"apigw-websocket-request-send-message.json", EventKind::websocket},
        {"apigw-websocket-request-disconnect.json", EventKind::websocket},
        {"apigw-websocket-request.json", EventKind::websocket},
        {"lambda-urls-request.json", EventKind::function_url},
        {"lambda-urls-response.json", std::nullopt},  // a response, not an event
        {"apigw-v2-custom-authorizer-v2-request.json", std::nullopt},
    };
    return kinds;
}

// A fixture by file name, anywhere under lambda-events/; fails the test when missing.
json fixture(const fs::path& dir, const std::string& name) {
    for (const auto& path : fixtures(dir)) {
        if (path.filename() == name) return test::read_json(path);
    }
    FAIL("fixture missing: " << name);
    return {};
}

http::Request request_of(const json& event) {
    auto request = to_request(event);
    REQUIRE(request.ok());
    return std::move(request).value();
}

}  // namespace

TEST_CASE("every lambda-events fixture is classified, and each route event converts", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    const auto files = fixtures(*dir);
    CHECK(files.size() >= known_kinds().size());
    for (const auto& path : files) {
        INFO(path.string());
        const auto event = test::read_json(path);
        const auto kind = classify(event);
        if (auto known = known_kinds().find(path.filename().string()); known != known_kinds().end()) {
            REQUIRE(kind.ok() == known->second.has_value());
            if (kind) CHECK(*kind == *known->second);
        }
        if (!kind) {
            CHECK(kind.error().code == ErrorCode::bad_request);
            CHECK_FALSE(kind.error().detail.empty());
        } else if (*kind == EventKind::websocket) {
            CHECK(to_websocket_event(event).ok());
        } else {
            CHECK(to_request(event).ok());
        }
    }
}

TEST_CASE("authorizer events are refused as not-a-route-event, with the reason", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    for (const auto* name :
         {"apigw-v2-custom-authorizer-v2-request.json", "example-apigw-v2-custom-authorizer-websocket-request.json"}) {
        INFO(name);
        const auto kind = classify(fixture(*dir, name));
        REQUIRE_FALSE(kind.ok());
        CHECK_THAT(kind.error().detail, Catch::Contains("authorizer event") && Catch::Contains("not a route event"));
    }
}

TEST_CASE("classify refuses what is not an API Gateway or URL route event", "[lambda][events]") {
    CHECK_THAT(classify(json::array()).error().detail, Catch::Contains("not a JSON object"));
    CHECK_THAT(classify(json{{"Records", json::array()}}).error().detail, Catch::Contains("no requestContext"));
    const json rest_v1 = {{"httpMethod", "GET"}, {"path", "/"}, {"requestContext", {{"stage", "prod"}}}};
    CHECK_THAT(classify(rest_v1).error().detail, Catch::Contains("payload format 2.0"));
}

TEST_CASE("cookies come from the cookies array, and a cookie header is rebuilt from them", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    const auto request = request_of(fixture(*dir, "apigw_v2_proxy_request.json"));
    CHECK(request.cookies == http::Params{{"cookie1", "value1"}, {"cookie2", "value2"}});
    CHECK(request.header("Cookie") == "cookie1=value1; cookie2=value2");
    CHECK(request.method == "POST");
    CHECK(request.body == "Hello from Lambda");

    // Entries without '=' are not name=value cookies; they are skipped, as in the emulator.
    const auto bare = request_of(fixture(*dir, "apigw-v2-request-iam.json"));
    CHECK(bare.cookies.empty());
}

TEST_CASE("the query comes from rawQueryString with repeats kept in order", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    const auto event = fixture(*dir, "example-apigw-v2-request-multi-value-parameters.json");
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    CHECK(url::parse_query(event["rawQueryString"].get<std::string>()) ==
          Pairs{{"Parameter1", "value1"}, {"Parameter1", "value2"}});
    const auto request = request_of(event);
    // Not queryStringParameters' "value1,value2": the first value, as the emulator gives it.
    CHECK(request.query == http::Params{{"Parameter1", "value1"}});
    CHECK(request.header("header2") == "value1,value2");
    CHECK(request.headers.find("Header2")->first == "header2");  // names lower-cased
    CHECK(request.body == "{\r\n\t\"a\": 1\r\n}");
}

TEST_CASE("a base64 body is decoded", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    const auto request = request_of(fixture(*dir, "function-url-domain-only-request-with-base64-encoded-body.json"));
    CHECK(request.body == "<idk/>");
    CHECK(request.method == "POST");
    CHECK(request.source_ip == "127.0.0.1");

    auto broken = fixture(*dir, "function-url-domain-only-request-with-base64-encoded-body.json");
    broken["body"] = "not base64!";
    CHECK(to_request(broken).error().code == ErrorCode::bad_request);
}

TEST_CASE("the stage in front of rawPath is removed on a named stage", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    auto event = fixture(*dir, "apigw_v2_proxy_request_with_stage_in_path.json");
    CHECK(request_of(event).path == "/my/path");
    event["rawPath"] = "/Prod";
    CHECK(request_of(event).path == "/");
    event["rawPath"] = "/Production/x";  // another segment that merely starts with the stage
    CHECK(request_of(event).path == "/Production/x");
    event["requestContext"]["stage"] = "$default";
    event["rawPath"] = "/Prod/my/path";
    CHECK(request_of(event).path == "/Prod/my/path");
}

TEST_CASE("a Function URL event converts with its method, path, query and source address", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    const auto event = fixture(*dir, "lambda_function_url_request.json");
    CHECK(*classify(event) == EventKind::function_url);
    const auto request = request_of(event);
    CHECK(request.method == "GET");
    CHECK(request.path == "/my/path");
    CHECK(request.query == http::Params{{"parameter1", "value1"}, {"parameter2", "value"}});
    CHECK(request.cookies == http::Params{{"test", "hi"}});
    CHECK(request.header("cookie") == "test=hi");  // the event's own header, kept
    CHECK(request.header("User-Agent") == "curl/7.68.0");
    CHECK(request.source_ip == "65.78.31.245");
    CHECK(request.body.empty());

    const auto text = request_of(fixture(*dir, "function-url-request-with-headers-and-cookies-and-text-body.json"));
    CHECK(text.path == "/hello");
    CHECK(text.body == R"({"hello": "world"})");
    CHECK(text.cookies == http::Params{{"foo", "bar"}, {"hello", "hello"}});
}

TEST_CASE("rawPath is percent-decoded without turning '+' into a space", "[lambda][events]") {
    json event = {{"version", "2.0"},
                  {"rawPath", "/a%20b+c/%E2%9C%93/%zz"},
                  {"requestContext", {{"stage", "$default"}, {"http", {{"method", "get"}, {"path", "/x"}}}}}};
    const auto request = request_of(event);
    CHECK(request.path == "/a b+c/\xE2\x9C\x93/%zz");
    CHECK(request.method == "GET");
    event.erase("rawPath");
    CHECK(request_of(event).path == "/x");  // requestContext.http.path when rawPath is absent
}

TEST_CASE("malformed payload 2.0 events are bad_request, not a crash", "[lambda][events]") {
    const json base = {{"version", "2.0"}, {"rawPath", "/"}, {"requestContext", {{"http", {{"method", "GET"}}}}}};
    CHECK(to_request(base).ok());
    auto no_method = base;
    no_method["requestContext"]["http"].erase("method");
    CHECK_THAT(to_request(no_method).error().detail, Catch::Contains("method is missing"));
    auto bad_headers = base;
    bad_headers["headers"] = {{"x", 1}};
    CHECK(to_request(bad_headers).error().code == ErrorCode::bad_request);
    auto bad_cookies = base;
    bad_cookies["cookies"] = "a=b";
    CHECK(to_request(bad_cookies).error().code == ErrorCode::bad_request);
    auto relative = base;
    relative["rawPath"] = "x";
    CHECK(to_request(relative).error().code == ErrorCode::bad_request);
    CHECK(to_request(json::object()).error().code == ErrorCode::bad_request);
}

TEST_CASE("a response converts to the payload 2.0 response shape", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    const auto want = fixture(*dir, "lambda-urls-response.json");
    http::Response response;
    response.status = 201;
    response.headers["Content-Type"] = "application/json";
    response.headers["My-Custom-Header"] = "Custom Value";
    response.cookies = {"Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT", "Cookie_2=Value2; Max-Age=78000"};
    response.body = R"({ "message": "Hello, world!" })";
    CHECK(to_response_json(response) == want);
}

TEST_CASE("Set-Cookie headers move to the cookies array", "[lambda][events]") {
    http::Response response;
    response.headers["set-cookie"] = "a=1; HttpOnly";
    response.cookies = {"b=2"};
    const auto out = to_response_json(response);
    CHECK(out["headers"] == json::object());
    CHECK(out["cookies"] == json::array({"a=1; HttpOnly", "b=2"}));
    CHECK(out["statusCode"] == 200);
    CHECK(out["isBase64Encoded"] == false);
}

TEST_CASE("binary and non-UTF-8 bodies are sent base64-encoded", "[lambda][events]") {
    http::Response response;
    response.body = std::string("\xff\x00\x01", 3);
    auto out = to_response_json(response);
    CHECK(out["isBase64Encoded"] == true);
    CHECK(out["body"] == "/wAB");

    for (const auto* invalid : {"\xc0\xaf", "\xed\xa0\x80", "\xe2\x9c", "\xf4\x90\x80\x80"}) {
        response.body = invalid;  // overlong, surrogate, truncated, past U+10FFFF
        CHECK(to_response_json(response)["isBase64Encoded"] == true);
    }
    response.body = "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80";
    CHECK(to_response_json(response)["isBase64Encoded"] == false);
    response.headers["Content-Type"] = "image/png";
    out = to_response_json(response);
    CHECK(out["isBase64Encoded"] == true);
    response.headers["Content-Type"] = "image/svg+xml";
    CHECK(to_response_json(response)["isBase64Encoded"] == false);
}

TEST_CASE("WebSocket events give their route, connection, client and token", "[lambda][events]") {
    auto dir = events_dir();
    if (!dir) return;
    auto connect = to_websocket_event(fixture(*dir, "apigw-websocket-request.json"));
    REQUIRE(connect.ok());
    CHECK(connect->route == WebSocketEvent::Route::connect);
    CHECK(connect->route_key == "$connect");
    CHECK(connect->connection_id == "TWegAcC4EowCHnA=");
    CHECK(connect->source_ip == "192.168.196.186");
    CHECK(connect->user_agent == "PostmanRuntime/2.4.5");
    CHECK_FALSE(connect->query_token);
    CHECK_FALSE(connect->protocol_header);

    auto bare = to_websocket_event(fixture(*dir, "example-apigw-websocket-request-without-method.json"));
    REQUIRE(bare.ok());
    CHECK(bare->route == WebSocketEvent::Route::connect);
    CHECK(bare->source_ip == "10.0.0.13");
    CHECK(bare->user_agent.empty());

    auto disconnect = to_websocket_event(fixture(*dir, "apigw-websocket-request-disconnect.json"));
    REQUIRE(disconnect.ok());
    CHECK(disconnect->route == WebSocketEvent::Route::disconnect);
    CHECK(disconnect->connection_id == "R1kmxc2VNjMCFIA=");

    auto message = to_websocket_event(fixture(*dir, "apigw-websocket-request-send-message.json"));
    REQUIRE(message.ok());
    CHECK(message->route == WebSocketEvent::Route::message);
    CHECK(message->route_key == "$default");
    CHECK(message->body == "{\r\n\t\"a\": 1\r\n}");
}

TEST_CASE("a $connect token comes from the query or Sec-WebSocket-Protocol, any header casing", "[lambda][events]") {
    json event = {{"requestContext", {{"eventType", "CONNECT"}, {"connectionId", "c1="}, {"routeKey", "$connect"}}},
                  {"queryStringParameters", {{"token", "abc"}}},
                  {"headers", {{"sec-websocket-protocol", "p1, p2"}, {"user-agent", "ua/1"}}}};
    auto ws = to_websocket_event(event);
    REQUIRE(ws.ok());
    CHECK(ws->query_token == "abc");
    CHECK(ws->protocol_header == "p1, p2");
    CHECK(ws->user_agent == "ua/1");

    event.erase("queryStringParameters");
    event["multiValueQueryStringParameters"] = {{"token", {"first", "second"}}};
    event.erase("headers");
    event["multiValueHeaders"] = {{"Sec-WebSocket-Protocol", {"p1", "p2"}}};
    ws = to_websocket_event(event);
    REQUIRE(ws.ok());
    CHECK(ws->query_token == "first");
    CHECK(ws->protocol_header == "p1, p2");
}

TEST_CASE("malformed WebSocket events are bad_request", "[lambda][events]") {
    const json ok = {{"requestContext", {{"eventType", "MESSAGE"}, {"connectionId", "c1="}}}};
    CHECK(to_websocket_event(ok).ok());
    auto no_id = ok;
    no_id["requestContext"].erase("connectionId");
    CHECK_THAT(to_websocket_event(no_id).error().detail, Catch::Contains("connectionId is missing"));
    auto odd_type = ok;
    odd_type["requestContext"]["eventType"] = "PING";
    CHECK_THAT(to_websocket_event(odd_type).error().detail, Catch::Contains("unknown WebSocket eventType"));
    CHECK(to_websocket_event(json::object()).error().code == ErrorCode::bad_request);
}
