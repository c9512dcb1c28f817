#include "lambda/runtime.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <deque>
#include <stdexcept>
#include <vector>

using namespace otts;
using namespace otts::lambda;
using nlohmann::json;

namespace {

// A Runtime API stand-in behind the HttpClient port: GET /next pops the queued events (then
// fails like a vanished endpoint), every POST is recorded and answered with `post_status`.
class FakeRuntimeApi final : public HttpClient {
public:
    struct Event {
        std::string id;
        std::string body;
        std::string trace_id;
    };
    std::deque<Event> events;
    std::vector<http::Request> posts;
    int post_status = 202;
    int next_status = 200;

    Result<http::Response> send(const http::Request& request) override {
        if (request.method == "POST") {
            posts.push_back(request);
            return http::Response::json(post_status, {{"status", "OK"}});
        }
        if (request.path != "/2018-06-01/runtime/invocation/next") return http::Response::json(404, {});
        if (events.empty()) return make_error(ErrorCode::endpoint_unreachable, "fake runtime API: no more events");
        auto event = events.front();
        events.pop_front();
        http::Response response;
        response.status = next_status;
        response.headers["Lambda-Runtime-Aws-Request-Id"] = event.id;
        response.headers["Lambda-Runtime-Deadline-Ms"] = "1700000003000";
        response.headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:otts";
        if (!event.trace_id.empty()) response.headers["Lambda-Runtime-Trace-Id"] = event.trace_id;
        response.body = event.body;
        return response;
    }
};

struct RuntimeFixture {
    FakeRuntimeApi fake;
    RuntimeApi api{fake};
    std::vector<std::string> log;
    LogSink sink = [this](std::string_view line) { log.emplace_back(line); };
    std::vector<json> seen;
    EventHandler echo = [this](const json& event) -> Result<json> {
        seen.push_back(event);
        return json{{"statusCode", 200}, {"body", event.value("say", "")}};
    };
};

}  // namespace

TEST_CASE("next reads the invocation's id, deadline, ARN, trace id and event", "[lambda][runtime]") {
    RuntimeFixture f;
    f.fake.events.push_back({"req-1", R"({"say":"hi"})", "Root=1-5e1b4151-5ac6c58f5b5daa6532e4f2e4"});
    auto invocation = f.api.next();
    REQUIRE(invocation.ok());
    CHECK(invocation->request_id == "req-1");
    CHECK(invocation->deadline_ms == 1700000003000);
    CHECK(invocation->function_arn == "arn:aws:lambda:eu-west-1:123456789012:function:otts");
    CHECK(invocation->trace_id == "Root=1-5e1b4151-5ac6c58f5b5daa6532e4f2e4");
    CHECK(invocation->event == R"({"say":"hi"})");
}

TEST_CASE("next fails when the Runtime API answers without a request id or not 200", "[lambda][runtime]") {
    RuntimeFixture f;
    f.fake.events.push_back({"", "{}", ""});
    CHECK(f.api.next().error().code == ErrorCode::server_error);
    f.fake.next_status = 500;
    f.fake.events.push_back({"req-2", "{}", ""});
    CHECK(f.api.next().error().code == ErrorCode::server_error);
    CHECK(f.api.next().error().code == ErrorCode::endpoint_unreachable);
}

TEST_CASE("a handled event is posted to /invocation/{id}/response", "[lambda][runtime]") {
    RuntimeFixture f;
    f.fake.events.push_back({"req-1", R"({"say":"hi"})", "Root=1-abc"});
    REQUIRE(serve_one(f.api, f.echo, f.sink).ok());
    REQUIRE(f.fake.posts.size() == 1);
    CHECK(f.fake.posts[0].path == "/2018-06-01/runtime/invocation/req-1/response");
    CHECK(json::parse(f.fake.posts[0].body) == json{{"statusCode", 200}, {"body", "hi"}});
    CHECK_FALSE(f.fake.posts[0].header("Lambda-Runtime-Function-Error-Type"));
    CHECK(f.seen.size() == 1);
    CHECK(std::string(std::getenv("_X_AMZN_TRACE_ID")) == "Root=1-abc");

    f.fake.events.push_back({"req-2", "{}", ""});  // no trace id: the previous one must not linger
    REQUIRE(serve_one(f.api, f.echo, f.sink).ok());
    CHECK(std::getenv("_X_AMZN_TRACE_ID") == nullptr);
}

TEST_CASE("an event that is not JSON is reported to /error without calling the handler", "[lambda][runtime]") {
    RuntimeFixture f;
    f.fake.events.push_back({"req-1", "{not json", ""});
    REQUIRE(serve_one(f.api, f.echo, f.sink).ok());
    CHECK(f.seen.empty());
    REQUIRE(f.fake.posts.size() == 1);
    const auto& post = f.fake.posts[0];
    CHECK(post.path == "/2018-06-01/runtime/invocation/req-1/error");
    CHECK(post.header("Lambda-Runtime-Function-Error-Type") == "otts.bad_request");
    const auto body = json::parse(post.body);
    CHECK(body["errorType"] == "otts.bad_request");
    CHECK(body["errorMessage"] == "lambda event: not JSON");
    CHECK(f.log.size() == 1);
}

TEST_CASE("handler errors and exceptions are reported to /error and the loop goes on", "[lambda][runtime]") {
    RuntimeFixture f;
    f.fake.events.push_back({"req-1", "{}", ""});
    f.fake.events.push_back({"req-2", "{}", ""});
    f.fake.events.push_back({"req-3", R"({"say":"still here"})", ""});
    int calls = 0;
    EventHandler handler = [&](const json& event) -> Result<json> {
        ++calls;
        if (calls == 1) return make_error(ErrorCode::store_error, "table missing");
        if (calls == 2) throw std::runtime_error("boom");
        return f.echo(event);
    };
    const auto end = run(f.api, handler, f.sink);
    CHECK(end.code == ErrorCode::endpoint_unreachable);  // the fake ran out of events
    REQUIRE(f.fake.posts.size() == 3);
    CHECK(json::parse(f.fake.posts[0].body) ==
          json{{"errorMessage", "table missing"}, {"errorType", "otts.store_error"}, {"stackTrace", json::array()}});
    CHECK(f.fake.posts[1].header("Lambda-Runtime-Function-Error-Type") == "otts.internal_error");
    CHECK_THAT(json::parse(f.fake.posts[1].body)["errorMessage"].get<std::string>(), Catch::Contains("boom"));
    CHECK(f.fake.posts[2].path == "/2018-06-01/runtime/invocation/req-3/response");
}

TEST_CASE("a refused response is followed by an error report, and the loop goes on", "[lambda][runtime]") {
    RuntimeFixture f;
    f.fake.post_status = 413;
    f.fake.events.push_back({"req-1", "{}", ""});
    REQUIRE(serve_one(f.api, f.echo, f.sink).ok());
    REQUIRE(f.fake.posts.size() == 2);
    CHECK(f.fake.posts[0].path == "/2018-06-01/runtime/invocation/req-1/response");
    CHECK(f.fake.posts[1].path == "/2018-06-01/runtime/invocation/req-1/error");
    CHECK(json::parse(f.fake.posts[1].body)["errorType"] == "otts.server_error");
}

TEST_CASE("an init failure is posted to /init/error", "[lambda][runtime]") {
    RuntimeFixture f;
    REQUIRE(f.api.report_init_error(invocation_error(make_error(ErrorCode::key_error, "JWT_SECRET must be set"))).ok());
    REQUIRE(f.fake.posts.size() == 1);
    CHECK(f.fake.posts[0].path == "/2018-06-01/runtime/init/error");
    CHECK(f.fake.posts[0].header("Lambda-Runtime-Function-Error-Type") == "otts.key_error");
    CHECK(json::parse(f.fake.posts[0].body)["errorMessage"] == "JWT_SECRET must be set");
}
