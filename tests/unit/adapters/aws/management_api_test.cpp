#include "adapters/aws/management_api.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/fake_clock.hpp"
#include "tests/unit/adapters/aws/fake_http_client.hpp"

using namespace otts;
using namespace otts::aws;
using namespace otts::aws::testing;

namespace {

constexpr const char* k_endpoint = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";

ManagementApi fake_api(Exchange& exchange, const Clock& clock) {
    auto config = test_config();
    config.region = "eu-west-1";
    return ManagementApi(
        std::make_unique<AwsClient>(config, "execute-api", k_endpoint, clock, fake_factory(exchange), k_no_wait));
}

}  // namespace

TEST_CASE("management api posts the raw message to the stage's /@connections/{id}, signed for execute-api",
          "[management_api]") {
    Exchange exchange;
    exchange.answers.push_back(answer(200, ""));
    otts::test::FakeClock clock;
    auto api = fake_api(exchange, clock);
    const auto outcome = api.post_to_connection("L0SM9cOFvHcCIhw=", R"({"type":"job","n":1})");
    REQUIRE(outcome);
    CHECK(*outcome == PostOutcome::delivered);
    REQUIRE(exchange.requests.size() == 1);
    const auto& sent = exchange.requests[0];
    CHECK(sent.method == "POST");
    // The transport puts the endpoint's /prod in front (HttplibClient's base path).
    CHECK(exchange.opened == std::vector<std::string>{k_endpoint});
    CHECK(sent.path == "/@connections/L0SM9cOFvHcCIhw%3D");
    CHECK(sent.body == R"({"type":"job","n":1})");
    CHECK(sent.header("Host") == "abc123.execute-api.eu-west-1.amazonaws.com");
    const auto authorization = std::string(sent.header("Authorization").value_or(""));
    CHECK(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    CHECK(authorization.find("/eu-west-1/execute-api/aws4_request") != std::string::npos);
    CHECK(sent.header("X-Amz-Date"));
}

TEST_CASE("management api reads 410 GoneException as a gone connection", "[management_api]") {
    Exchange exchange;
    exchange.answers.push_back(answer(410, R"({"message":"Gone"})", {{"x-amzn-ErrorType", "GoneException"}}));
    otts::test::FakeClock clock;
    auto api = fake_api(exchange, clock);
    const auto outcome = api.post_to_connection("gone-id", "hi");
    REQUIRE(outcome);
    CHECK(*outcome == PostOutcome::gone);
    CHECK(exchange.requests.size() == 1);  // not retried
}

TEST_CASE("management api reports a refused post as server_error naming the AWS error", "[management_api]") {
    Exchange exchange;
    exchange.answers.push_back(answer(403, R"({"message":"Forbidden"})", {{"x-amzn-ErrorType", "ForbiddenException"}}));
    otts::test::FakeClock clock;
    auto api = fake_api(exchange, clock);
    const auto outcome = api.post_to_connection("id-1", "hi");
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().code == ErrorCode::server_error);
    CHECK(outcome.error().message().find("ForbiddenException") != std::string::npos);
}

TEST_CASE("management api from settings: absent without WEBSOCKET_API_ENDPOINT, wss:// read as https://",
          "[management_api]") {
    otts::test::FakeClock clock;
    Settings settings(Environment{{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "secret"}});
    auto none = ManagementApi::from_settings(settings, clock);
    REQUIRE(none);
    CHECK_FALSE(none->has_value());

    settings.set_override("WEBSOCKET_API_ENDPOINT", "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod");
    auto some = ManagementApi::from_settings(settings, clock);
    REQUIRE(some);
    REQUIRE(some->has_value());
    CHECK((**some)->endpoint() == "https://abc123.execute-api.eu-west-1.amazonaws.com/prod");
}
