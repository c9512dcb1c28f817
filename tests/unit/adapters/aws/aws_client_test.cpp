#include "adapters/aws/aws_client.hpp"

#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include <catch2/catch.hpp>

#include "tests/support/fake_clock.hpp"
#include "tests/unit/adapters/aws/fake_http_client.hpp"
#include "tests/support/vectors.hpp"

using namespace otts;
using namespace otts::aws;
using namespace otts::aws::testing;

namespace {

constexpr UnixSeconds k_vector_time = 1440938160;  // 20150830T123600Z, the SigV4 suites' time

// Re-signs what the client sent, from the request alone, and returns the Authorization a
// server would expect.
std::string expected_authorization(const http::Request& sent, const std::string& path, const AwsConfig& config,
                                   const std::string& service) {
    sigv4::Request request{sent.method, path, {}, {}, sent.body};
    for (const auto& [name, value] : sent.headers) {
        if (name != "Authorization") request.headers.push_back({name, value});
    }
    const sigv4::Options options{config.region, service, *sigv4::parse_amz_date(*sent.header("X-Amz-Date"))};
    return sigv4::sign_headers(request, config.credentials, options).authorization;
}

}  // namespace

TEST_CASE("aws client signs a JSON target call with Host, the clock's date and the target", "[aws]") {
    Exchange exchange;
    test::FakeClock clock(k_vector_time);
    AwsClient client(test_config(), "dynamodb", "http://127.0.0.1:4567", clock, fake_factory(exchange), k_no_wait);
    const auto result = client.call_target("DynamoDB_20120810.GetItem", {{"TableName", "t"}});
    REQUIRE(result);
    CHECK(result->ok());
    REQUIRE(exchange.requests.size() == 1);
    const auto& sent = exchange.requests[0];
    CHECK(sent.method == "POST");
    CHECK(sent.path == "/");
    CHECK(sent.body == R"({"TableName":"t"})");
    CHECK(sent.header("Host") == "127.0.0.1:4567");
    CHECK(sent.header("X-Amz-Date") == "20150830T123600Z");
    CHECK(sent.header("X-Amz-Target") == "DynamoDB_20120810.GetItem");
    CHECK(sent.header("Content-Type") == "application/x-amz-json-1.0");
    CHECK_FALSE(sent.header("X-Amz-Security-Token"));
    const std::string authorization(*sent.header("Authorization"));
    CHECK(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
                              "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=",
                              0) == 0);
    CHECK(authorization == expected_authorization(sent, "/", test_config(), "dynamodb"));
}

TEST_CASE("aws client signs the session token as X-Amz-Security-Token", "[aws]") {
    Exchange exchange;
    test::FakeClock clock(k_vector_time);
    AwsClient client(test_config("SESSION"), "ssm", "https://ssm.us-east-1.amazonaws.com", clock,
                     fake_factory(exchange), k_no_wait);
    REQUIRE(client.call_target("AmazonSSM.GetParameter", {{"Name", "x"}}, "application/x-amz-json-1.1"));
    const auto& sent = exchange.requests.at(0);
    CHECK(sent.header("X-Amz-Security-Token") == "SESSION");
    CHECK(sent.header("Host") == "ssm.us-east-1.amazonaws.com");
    CHECK(sent.header("Authorization")->find("x-amz-security-token") != std::string_view::npos);
    CHECK(*sent.header("Authorization") == expected_authorization(sent, "/", test_config("SESSION"), "ssm"));
}

TEST_CASE("aws client signs the endpoint's base path with the request path", "[aws]") {
    Exchange exchange;
    test::FakeClock clock(k_vector_time);
    AwsClient client(test_config(), "ses", "http://127.0.0.1:9/prefix/", clock, fake_factory(exchange), k_no_wait);
    REQUIRE(client.call_rest("POST", "/v2/email/outbound-emails", {{"a", 1}}));
    const auto& sent = exchange.requests.at(0);
    CHECK(sent.path == "/v2/email/outbound-emails");  // the transport adds the base path
    CHECK(sent.header("Content-Type") == "application/json");
    CHECK(*sent.header("Authorization") ==
          expected_authorization(sent, "/prefix/v2/email/outbound-emails", test_config(), "ses"));
}

TEST_CASE("aws client signing reproduces the SigV4 suite's get-vanilla and post-vanilla", "[aws][sigv4]") {
    const auto dir = test::vectors_dir();
    if (!dir) return;
    for (const auto& [method, name] :
         {std::pair<std::string, std::string>{"GET", "get-vanilla"}, {"POST", "post-vanilla"}}) {
        INFO("case " << name);
        Exchange exchange;
        test::FakeClock clock(k_vector_time);
        AwsClient client(test_config(), "service", "https://example.amazonaws.com", clock, fake_factory(exchange));
        REQUIRE(client.call_rest(method, "/", nullptr));
        const auto authz = test::read_text(*dir / "sigv4" / "aws4_testsuite" / name / (name + ".authz"));
        CHECK(exchange.requests.at(0).header("Authorization") == authz);
    }
}

TEST_CASE("aws client retries 5xx, 429 and throttling, then returns the answer", "[aws]") {
    Exchange exchange;
    exchange.answers.push_back(answer(500, R"({"__type":"InternalServerError"})"));
    exchange.answers.push_back(answer(503, "<html>unavailable</html>"));
    exchange.answers.push_back(answer(429, "{}"));
    exchange.answers.push_back(
        answer(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"})"));
    exchange.answers.push_back(answer(400, R"({"__type":"com.amazon.coral.availability#ThrottlingException"})"));
    exchange.answers.push_back(answer(200, R"({"Item":{}})"));
    test::FakeClock clock;
    AwsClient client(test_config(), "dynamodb", "http://127.0.0.1:1", clock, fake_factory(exchange), k_no_wait);
    const auto result = client.call_target("DynamoDB_20120810.GetItem", nlohmann::json::object());
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(result->body == nlohmann::json{{"Item", nlohmann::json::object()}});
    CHECK(exchange.requests.size() == 6);
    CHECK(exchange.opened.size() == 1);  // every answer returned the connection to the pool
}

TEST_CASE("aws client retries a TransactionConflictException", "[aws]") {
    Exchange exchange;
    exchange.answers.push_back(answer(400, R"({"__type":"x#TransactionConflictException","message":"busy"})"));
    test::FakeClock clock;
    AwsClient client(test_config(), "dynamodb", "http://127.0.0.1:1", clock, fake_factory(exchange), k_no_wait);
    const auto result = client.call_target("DynamoDB_20120810.UpdateItem", nlohmann::json::object());
    REQUIRE(result);
    CHECK(result->ok());
    CHECK(exchange.requests.size() == 2);
}

TEST_CASE("aws client gives up after max_attempts and returns the last answer", "[aws]") {
    Exchange exchange;
    for (int i = 0; i < 5; ++i) exchange.answers.push_back(answer(500, R"({"__type":"InternalServerError"})"));
    test::FakeClock clock;
    RetryPolicy policy{3, std::chrono::milliseconds(1), std::chrono::milliseconds(2)};
    AwsClient client(test_config(), "dynamodb", "http://127.0.0.1:1", clock, fake_factory(exchange), policy);
    const auto result = client.call_target("DynamoDB_20120810.GetItem", nlohmann::json::object());
    REQUIRE(result);
    CHECK(result->status == 500);
    CHECK(result->error_type == "InternalServerError");
    CHECK(exchange.requests.size() == 3);
}

TEST_CASE("aws client reports endpoint_unreachable when no answer came, dropping failed connections", "[aws]") {
    Exchange exchange;
    for (int i = 0; i < 3; ++i) exchange.answers.push_back(make_error(ErrorCode::endpoint_unreachable, "refused"));
    test::FakeClock clock;
    RetryPolicy policy{3, std::chrono::milliseconds(0), std::chrono::milliseconds(0)};
    AwsClient client(test_config(), "dynamodb", "http://127.0.0.1:1", clock, fake_factory(exchange), policy);
    const auto result = client.call_target("DynamoDB_20120810.GetItem", nlohmann::json::object());
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::endpoint_unreachable);
    CHECK(exchange.requests.size() == 3);
    CHECK(exchange.opened.size() == 3);
}

TEST_CASE("aws client returns other 4xx at once with the short error type and message", "[aws]") {
    Exchange exchange;
    exchange.answers.push_back(answer(
        400,
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})"));
    test::FakeClock clock;
    AwsClient client(test_config(), "dynamodb", "http://127.0.0.1:1", clock, fake_factory(exchange), k_no_wait);
    const auto result = client.call_target("DynamoDB_20120810.PutItem", nlohmann::json::object());
    REQUIRE(result);
    CHECK_FALSE(result->ok());
    CHECK(result->status == 400);
    CHECK(result->error_type == "ConditionalCheckFailedException");
    CHECK(result->error_message == "The conditional request failed");
    CHECK(exchange.requests.size() == 1);
}

TEST_CASE("aws client reads the error type of REST answers from x-amzn-ErrorType", "[aws]") {
    Exchange exchange;
    exchange.answers.push_back(answer(400, R"({"message":"Email address is not verified."})",
                                      {{"x-amzn-ErrorType", "MessageRejected:http://internal.amazon.com/coral/"}}));
    test::FakeClock clock;
    AwsClient client(test_config(), "ses", "http://127.0.0.1:1", clock, fake_factory(exchange), k_no_wait);
    const auto result = client.call_rest("POST", "/v2/email/outbound-emails", nlohmann::json::object());
    REQUIRE(result);
    CHECK(result->error_type == "MessageRejected");
    CHECK(result->error_message == "Email address is not verified.");
}

TEST_CASE("aws client treats a 2xx answer that is not JSON as a server error", "[aws]") {
    Exchange exchange;
    exchange.answers.push_back(answer(200, "<html>captive portal</html>"));
    test::FakeClock clock;
    AwsClient client(test_config(), "dynamodb", "http://127.0.0.1:1", clock, fake_factory(exchange), k_no_wait);
    const auto result = client.call_target("DynamoDB_20120810.GetItem", nlohmann::json::object());
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::server_error);
}

TEST_CASE("aws default endpoints are the public regional ones, SES v2 at email.*", "[aws]") {
    CHECK(AwsClient::default_endpoint("dynamodb", "eu-west-1") == "https://dynamodb.eu-west-1.amazonaws.com");
    CHECK(AwsClient::default_endpoint("ses", "us-east-1") == "https://email.us-east-1.amazonaws.com");
    CHECK(AwsClient::default_endpoint("ssm", "cn-north-1") == "https://ssm.cn-north-1.amazonaws.com.cn");
}

TEST_CASE("aws config reads credentials and region from settings", "[aws]") {
    Settings settings;
    settings.set_override("AWS_ACCESS_KEY_ID", "AKID");
    settings.set_override("AWS_SECRET_ACCESS_KEY", "SECRET");
    settings.set_override("AWS_SESSION_TOKEN", "TOKEN");
    settings.set_override("AWS_REGION", "eu-central-1");
    const auto config = AwsConfig::from_settings(settings);
    REQUIRE(config);
    CHECK(config->credentials.access_key_id == "AKID");
    CHECK(config->credentials.secret_access_key == "SECRET");
    CHECK(config->credentials.session_token == "TOKEN");
    CHECK(config->region == "eu-central-1");
}

TEST_CASE("aws config reads credentials and region from the environment it is given", "[aws]") {
    const auto config = AwsConfig::from_settings(Settings(Environment{
        {"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}, {"AWS_DEFAULT_REGION", "ap-south-1"}}));
    REQUIRE(config);
    CHECK(config->credentials.access_key_id == "AKID");
    CHECK(config->credentials.secret_access_key == "SECRET");
    CHECK_FALSE(config->credentials.session_token);
    CHECK(config->region == "ap-south-1");
}

// Settings{} has no environment: the outcome cannot depend on AWS keys exported where the test
// runs (a developer's shell, CI with credentials).
TEST_CASE("aws config without keys is a key_error", "[aws]") {
    const auto config = AwsConfig::from_settings(Settings{});
    REQUIRE_FALSE(config);
    CHECK(config.error().code == ErrorCode::key_error);
    const auto secret_only = AwsConfig::from_settings(Settings(Environment{{"AWS_SECRET_ACCESS_KEY", "SECRET"}}));
    REQUIRE_FALSE(secret_only);
    CHECK(secret_only.error().code == ErrorCode::key_error);
}

// Over a real socket: what cpp-httplib puts on the wire (Host, path) is what was signed. The
// server re-signs the request it received and answers whether the signatures agree.
TEST_CASE("aws client requests verify on the wire through HttplibClient", "[aws]") {
    httplib::Server server;
    server.Post(".*", [](const httplib::Request& req, httplib::Response& res) {
        http::Request seen;
        seen.method = req.method;
        seen.body = req.body;
        for (const char* name : {"Host", "X-Amz-Date", "Content-Type", "X-Amz-Target", "Authorization"}) {
            if (req.has_header(name)) seen.headers.emplace(name, req.get_header_value(name));
        }
        const bool match =
            seen.header("Authorization") == expected_authorization(seen, req.path, test_config(), "dynamodb");
        res.set_content(nlohmann::json{{"match", match}, {"path", req.path}}.dump(), "application/json");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread thread([&] { server.listen_after_bind(); });
    test::FakeClock clock(k_vector_time);
    auto client = std::make_unique<AwsClient>(test_config(), "dynamodb",
                                              "http://127.0.0.1:" + std::to_string(port) + "/base", clock);
    const auto result = client->call_target("DynamoDB_20120810.GetItem", {{"TableName", "t"}});
    client.reset();  // closes the keep-alive connection, so the server need not wait it out
    server.stop();
    thread.join();
    REQUIRE(result);
    CHECK(result->body == nlohmann::json{{"match", true}, {"path", "/base/"}});
}
