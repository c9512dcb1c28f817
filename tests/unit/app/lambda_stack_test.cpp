// The Lambda's stack (app::lambda_stack) beside the emulator's (make_policy + Stack, as
// emulator::serve builds it), both from one environment: a policy variable must do the same to
// what either serves, and the deployments differ only where the profile says. Both run on the
// system clock; time-dependent cases use past-dated tokens, never a wait.
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "adapters/system_clock.hpp"
#include "adapters/system_random.hpp"
#include "app/services.hpp"
#include "core/connections/connections.hpp"
#include "core/encoding/time_format.hpp"
#include "tests/support/deployments.hpp"

using namespace otts;
using app::Deployment;

namespace {

const std::string k_jwt_secret(40, 's');

// Signs licenses and S3 tokens, as the data home's license key does by default.
const crypto::PKey& license_key() {
    static const crypto::PKey key = crypto::PKey::generate_p256().value();
    return key;
}

// A running composition: the stack and what its emulator routes refer to.
struct Composed {
    InMemoryConnectionRegistry connections;  // outlives the stack
    std::unique_ptr<app::Stack> stack;

    http::Response call(std::string method, std::string path, std::string body = {}, http::Headers headers = {}) {
        http::Request request;
        request.method = std::move(method);
        request.path = std::move(path);
        request.body = std::move(body);
        request.headers = std::move(headers);
        request.headers.emplace("Content-Type", "application/json");
        request.source_ip = "127.0.0.1";
        return stack->api().handle(std::move(request));
    }
};

// The keys a Lambda needs (it has no data home), a SQLite store and mail into its outbox.
Settings lambda_settings(Environment environment) {
    environment.emplace("JWT_SECRET", k_jwt_secret);
    environment.emplace("LICENSE_PUBLIC_KEY", license_key().public_pem());
    environment.emplace("OTTS_AUTH_TOKEN_KEY", license_key().private_pem());
    environment.emplace("OTTS_STORE", "sqlite::memory:");
    environment.emplace("OTTS_MAILER", "outbox");
    return Settings(std::move(environment));
}

app::Keys emulator_keys() {
    const auto hs = jwt::Key::hs256(k_jwt_secret).value();
    const auto es = jwt::Key::es256(license_key()).value();
    return {.create = {hs}, .one_time = {hs}, .user = {hs}, .license = {es}, .auth = {es}, .pin = std::string(32, 'p')};
}

void compose_emulator(Composed& composed, const Settings& settings) {
    auto policy = app::make_policy(settings, Deployment::emulator);
    REQUIRE(policy);
    auto clock = std::make_unique<SystemClock>();
    auto backend = app::open_backend("sqlite::memory:", settings, *clock);
    REQUIRE(backend);
    auto stack = app::Stack::create(app::StackParts{.backend = std::move(*backend),
                                                    .mailer = nullptr,
                                                    .keys = emulator_keys(),
                                                    .policy = std::move(*policy),
                                                    .clock = std::move(clock),
                                                    .random = std::make_unique<SystemRandom>(),
                                                    .log_error = nullptr,
                                                    .auth = std::nullopt});
    REQUIRE(stack);
    composed.stack = std::move(*stack);
    composed.stack->add_routes(app::EmulatorRoutes{composed.connections, "ws://127.0.0.1:1", "http://127.0.0.1:1"});
}

std::unique_ptr<Composed> compose(Deployment deployment, Environment environment = {}) {
    auto composed = std::make_unique<Composed>();
    if (deployment == Deployment::emulator) {
        compose_emulator(*composed, Settings(std::move(environment)));
    } else {
        auto stack = app::lambda_stack(lambda_settings(std::move(environment)));
        if (!stack) FAIL("lambda_stack: " << stack.error().message());
        composed->stack = std::move(*stack);
    }
    return composed;
}

// A create token (difficulty 0: any solution) whose exp passed `ago` seconds ago.
std::string expired_create_token(UnixSeconds ago) {
    const UnixSeconds now = SystemClock().now();
    const nlohmann::json claims = {{"jti", "8e7c3c4e-5d0b-4b5e-9a51-2f0f6d1c9a10"},
                                   {"iat", now - 600},
                                   {"exp", now - ago},
                                   {"op", "create"},
                                   {"nonce", std::string(32, 'a')},
                                   {"pow_difficulty", 0},
                                   {"pow_prefix", "sealed:"}};
    return jwt::encode(claims, jwt::Key::hs256(k_jwt_secret).value()).value();
}

int redeem_status(Composed& composed, const std::string& token) {
    return composed
        .call("POST", "/token/redeem", R"({"nonce":")" + std::string(32, 'a') + R"(","pow":"0"})",
              {{"Authorization", "Bearer " + token}})
        .status;
}

int issued_difficulty(Composed& composed) {
    const auto response = composed.call("POST", "/token");
    REQUIRE(response.status == 200);
    return nlohmann::json::parse(response.body)["powChallenge"]["difficulty"].get<int>();
}

std::string allowed_origin(Composed& composed, const std::string& origin) {
    const auto response = composed.call("POST", "/token", {}, {{"Origin", origin}});  // not /tokens: S1 answers *
    const auto it = response.headers.find("Access-Control-Allow-Origin");
    return it == response.headers.end() ? "" : it->second;
}

std::string license_text() {
    SystemClock clock;
    SystemRandom random;
    const Licenses licenses(clock, random, {jwt::Key::es256(license_key()).value()});
    LicenseRequest request;
    request.email = "user@example.com";
    return licenses.create(request).value().text;
}

http::Response request_pin(Composed& composed) {
    return composed.call("POST", "/v1/auth/request-pin", nlohmann::json{{"license", license_text()}}.dump());
}

}  // namespace

TEST_CASE("OTTS_LEEWAY judges an expired token alike in the emulator and the Lambda", "[app][lambda_stack]") {
    const auto expired_10s_ago = expired_create_token(10);
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        CHECK(redeem_status(*compose(deployment), expired_10s_ago) == 200);  // within the default 30 s
        CHECK(redeem_status(*compose(deployment, {{"OTTS_LEEWAY", "5"}}), expired_10s_ago) == 401);
        CHECK(redeem_status(*compose(deployment, {{"OTTS_LEEWAY", "0"}}), expired_create_token(1)) == 401);
    }
}

TEST_CASE("OTTS_POW_DIFFICULTY and OTTS_POW_LADDER set the issued difficulty alike", "[app][lambda_stack]") {
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        CHECK(issued_difficulty(*compose(deployment)) == 18);
        CHECK(issued_difficulty(*compose(deployment, {{"OTTS_POW_DIFFICULTY", "7"}})) == 7);
        auto laddered = compose(deployment, {{"OTTS_POW_DIFFICULTY", "3"}, {"OTTS_POW_LADDER", "2:9"}});
        CHECK(issued_difficulty(*laddered) == 3);
        CHECK(issued_difficulty(*laddered) == 9);  // the second issuance in a minute reaches the step
    }
}

TEST_CASE("OTTS_RATE_LIMITS limits POST /token alike; unset, neither limits it", "[app][lambda_stack]") {
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        auto limited = compose(deployment, {{"OTTS_RATE_LIMITS", "true"}});
        auto unlimited = compose(deployment);
        for (int i = 0; i < 10; ++i) {
            REQUIRE(limited->call("POST", "/token").status == 200);
            REQUIRE(unlimited->call("POST", "/token").status == 200);
        }
        CHECK(limited->call("POST", "/token").status == 429);
        CHECK(unlimited->call("POST", "/token").status == 200);
    }
}

TEST_CASE("OTTS_CORS_ORIGINS allows the same origins; unset, only the emulator allows localhost",
          "[app][lambda_stack]") {
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        auto configured = compose(deployment, {{"OTTS_CORS_ORIGINS", "https://app.example"}});
        CHECK(allowed_origin(*configured, "https://app.example") == "https://app.example");
        CHECK(allowed_origin(*configured, "http://localhost:5173").empty());
    }
    CHECK(allowed_origin(*compose(Deployment::emulator), "http://localhost:5173") == "http://localhost:5173");
    CHECK(allowed_origin(*compose(Deployment::lambda), "http://localhost:5173").empty());
}

TEST_CASE("PIN_TTL_HOURS sets a PIN's lifetime alike", "[app][lambda_stack]") {
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        auto composed = compose(deployment, {{"PIN_TTL_HOURS", "2"}});
        const UnixSeconds before = SystemClock().now();
        const auto response = request_pin(*composed);
        const UnixSeconds after = SystemClock().now();
        REQUIRE(response.status == 200);
        const auto expires_at = nlohmann::json::parse(response.body)["expires_at"].get<std::string>();
        CHECK(expires_at >= iso8601(before + 2 * 3600));
        CHECK(expires_at <= iso8601(after + 2 * 3600));
    }
}

TEST_CASE("the PIN cooldown is on in the Lambda and off in the emulator by default; OTTS_RATE_LIMITS decides in both",
          "[app][lambda_stack]") {
    auto emulator = compose(Deployment::emulator);
    auto lambda = compose(Deployment::lambda);
    REQUIRE(request_pin(*emulator).status == 200);
    REQUIRE(request_pin(*lambda).status == 200);
    CHECK(request_pin(*emulator).status == 200);
    CHECK(request_pin(*lambda).status == 429);
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        auto on = compose(deployment, {{"OTTS_RATE_LIMITS", "true"}, {"PIN_RATE_LIMIT_SECONDS", "60"}});
        REQUIRE(request_pin(*on).status == 200);
        const auto again = request_pin(*on);
        CHECK(again.status == 429);
        const auto retry_after = std::stoi(again.headers.at("Retry-After"));
        CHECK((retry_after > 0 && retry_after <= 60));
        auto off = compose(deployment, {{"OTTS_RATE_LIMITS", "false"}});
        REQUIRE(request_pin(*off).status == 200);
        CHECK(request_pin(*off).status == 200);
    }
}

TEST_CASE("lambda_stack refuses an invalid policy value with a usage error naming it", "[app][lambda_stack]") {
    for (const auto& [name, value] : {std::pair{"OTTS_LEEWAY", "soon"}, std::pair{"OTTS_POW_DIFFICULTY", "99"},
                                      std::pair{"OTTS_POW_LADDER", "fast"}, std::pair{"PIN_TTL_HOURS", "-1"}}) {
        INFO(name << "=" << value);
        const auto stack = app::lambda_stack(lambda_settings({{name, value}}));
        REQUIRE_FALSE(stack);
        CHECK(stack.error().code == ErrorCode::usage);
        CHECK_THAT(stack.error().message(), Catch::Contains(name));
    }
}
