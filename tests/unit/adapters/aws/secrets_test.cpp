#include "adapters/aws/secrets.hpp"

#include <catch2/catch.hpp>

#include "tests/support/fake_clock.hpp"
#include "tests/unit/adapters/aws/fake_http_client.hpp"

using namespace otts;
using namespace otts::aws;
using namespace otts::aws::testing;

namespace {

struct SecretsFixture {
    Exchange exchange;
    otts::test::FakeClock clock;
    AwsClient ssm{test_config(), "ssm", "http://127.0.0.1:1", clock, fake_factory(exchange), k_no_wait};
    AwsClient secretsmanager{test_config(), "secretsmanager",       "http://127.0.0.1:1",
                             clock,         fake_factory(exchange), k_no_wait};
};

}  // namespace

TEST_CASE("aws secrets: the JWT secret parameter is /{environment}/jwt-secret", "[aws][secrets]") {
    CHECK(jwt_secret_parameter("prod") == "/prod/jwt-secret");
}

TEST_CASE("aws secrets: an SSM parameter is fetched decrypted with GetParameter", "[aws][secrets]") {
    SecretsFixture f;
    f.exchange.answers.push_back(answer(200, R"({"Parameter":{"Name":"/prod/jwt-secret","Type":"SecureString",
        "Value":"s3cr3t-value-that-is-long-enough-000","Version":3}})"));
    const auto value = fetch_ssm_parameter(f.ssm, "/prod/jwt-secret");
    REQUIRE(value);
    CHECK(*value == "s3cr3t-value-that-is-long-enough-000");
    const auto& sent = f.exchange.requests.at(0);
    CHECK(sent.header("X-Amz-Target") == "AmazonSSM.GetParameter");
    CHECK(sent.header("Content-Type") == "application/x-amz-json-1.1");
    CHECK(nlohmann::json::parse(sent.body) == nlohmann::json{{"Name", "/prod/jwt-secret"}, {"WithDecryption", true}});
    CHECK(sent.header("Authorization")->find("/us-east-1/ssm/aws4_request") != std::string_view::npos);
}

TEST_CASE("aws secrets: a missing SSM parameter is a key_error naming it", "[aws][secrets]") {
    SecretsFixture f;
    f.exchange.answers.push_back(answer(400, R"({"__type":"ParameterNotFound"})"));
    const auto value = fetch_ssm_parameter(f.ssm, "/prod/jwt-secret");
    REQUIRE_FALSE(value);
    CHECK(value.error().code == ErrorCode::key_error);
    CHECK(value.error().detail.find("ParameterNotFound") != std::string::npos);
    CHECK(value.error().detail.find("/prod/jwt-secret") != std::string::npos);
}

TEST_CASE("aws secrets: an SSM answer without a value is a key_error", "[aws][secrets]") {
    SecretsFixture f;
    f.exchange.answers.push_back(answer(200, R"({"Parameter":{"Name":"/prod/jwt-secret"}})"));
    const auto value = fetch_ssm_parameter(f.ssm, "/prod/jwt-secret");
    REQUIRE_FALSE(value);
    CHECK(value.error().code == ErrorCode::key_error);
}

TEST_CASE("aws secrets: a Secrets Manager SecretString is fetched by ARN", "[aws][secrets]") {
    SecretsFixture f;
    const std::string arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:jwt-AbCdEf";
    f.exchange.answers.push_back(answer(200, nlohmann::json{{"ARN", arn}, {"SecretString", "the-secret"}}.dump()));
    const auto value = fetch_secret_value(f.secretsmanager, arn);
    REQUIRE(value);
    CHECK(*value == "the-secret");
    const auto& sent = f.exchange.requests.at(0);
    CHECK(sent.header("X-Amz-Target") == "secretsmanager.GetSecretValue");
    CHECK(sent.header("Content-Type") == "application/x-amz-json-1.1");
    CHECK(nlohmann::json::parse(sent.body) == nlohmann::json{{"SecretId", arn}});
    CHECK(sent.header("Authorization")->find("/us-east-1/secretsmanager/aws4_request") != std::string_view::npos);
}

TEST_CASE("aws secrets: a binary-only or missing secret is a key_error", "[aws][secrets]") {
    SecretsFixture f;
    f.exchange.answers.push_back(answer(200, R"({"SecretBinary":"AAEC"})"));
    f.exchange.answers.push_back(
        answer(400, R"({"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the secret."})"));
    const auto binary = fetch_secret_value(f.secretsmanager, "jwt");
    REQUIRE_FALSE(binary);
    CHECK(binary.error().code == ErrorCode::key_error);
    const auto missing = fetch_secret_value(f.secretsmanager, "jwt");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::key_error);
    CHECK(missing.error().detail.find("ResourceNotFoundException") != std::string::npos);
}

TEST_CASE("aws secrets: an unreachable service is endpoint_unreachable", "[aws][secrets]") {
    SecretsFixture f;
    for (int i = 0; i < 6; ++i) f.exchange.answers.push_back(make_error(ErrorCode::endpoint_unreachable, "refused"));
    const auto value = fetch_secret_value(f.secretsmanager, "jwt");
    REQUIRE_FALSE(value);
    CHECK(value.error().code == ErrorCode::endpoint_unreachable);
}
