#include "core/api/access_token_routes.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "tests/support/s3_fixture.hpp"

using otts::test::body_of;
using otts::test::S3Fixture;

namespace {

void check_s3_error(const otts::http::Response& response, int status, const std::string& code) {
    CHECK(response.status == status);
    const auto body = body_of(response);
    CHECK(body["error"]["code"] == code);
    CHECK(body["error"]["message"].is_string());
    CHECK(response.headers.at("Cache-Control") == "no-store");
}

// request-pin then verify-pin with the mailed PIN; returns the verify response body.
nlohmann::json sign_in(S3Fixture& f, const otts::License& license) {
    REQUIRE(f.post("/v1/auth/request-pin", {{"license", license.text}}).status == 200);
    const auto response = f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", f.last_pin()}});
    REQUIRE(response.status == 200);
    return body_of(response);
}

}  // namespace

TEST_CASE("POST /v1/auth/request-pin mails a PIN and answers with the masked address", "[s3][api]") {
    S3Fixture f;
    const auto response = f.post("/v1/auth/request-pin", {{"license", f.license().text}});
    REQUIRE(response.status == 200);
    CHECK(response.headers.at("Cache-Control") == "no-store");
    const auto body = body_of(response);
    CHECK(body["message"] == "PIN sent to u***@example.com");
    CHECK(body["expires_at"] == otts::iso8601(f.clock.now() + 12 * 3600));
    CHECK(body["pin_id"].get<std::string>().rfind("pin_", 0) == 0);
    CHECK(f.last_pin().size() == 6);
}

TEST_CASE("request-pin rejects bad bodies and licenses in the original's shape", "[s3][api]") {
    S3Fixture f;
    otts::http::Request broken;
    broken.method = "POST";
    broken.path = "/v1/auth/request-pin";
    broken.body = "{not json";
    check_s3_error(f.router.handle(broken), 400, "invalid_request");
    check_s3_error(f.post("/v1/auth/request-pin", nlohmann::json::object()), 400, "invalid_request");
    check_s3_error(f.post("/v1/auth/request-pin", {{"license", 42}}), 400, "invalid_request");
    check_s3_error(f.post("/v1/auth/request-pin", {{"license", "bm9wZQ=="}}), 400, "invalid_license");
}

TEST_CASE("POST /v1/auth/verify-pin exchanges the PIN for tokens once", "[s3][api]") {
    S3Fixture f;
    const auto license = f.license();
    REQUIRE(f.post("/v1/auth/request-pin", {{"license", license.text}}).status == 200);
    const auto pin = f.last_pin();
    const auto response = f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", pin}});
    REQUIRE(response.status == 200);
    CHECK(response.headers.at("Cache-Control") == "no-store");
    const auto body = body_of(response);
    CHECK(body["token_type"] == "Bearer");
    CHECK(body["expires_in"] == 86400);
    CHECK(f.tokens.check_access(body["access_token"].get<std::string>()).ok());
    CHECK(f.tokens.check_refresh(body["refresh_token"].get<std::string>()).ok());
    check_s3_error(f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", pin}}), 400, "invalid_pin");
}

TEST_CASE("verify-pin: missing fields, wrong PINs, the attempt cap and license errors", "[s3][api]") {
    S3Fixture f;
    const auto license = f.license();
    check_s3_error(f.post("/v1/auth/verify-pin", {{"license", license.text}}), 400, "invalid_request");
    check_s3_error(f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", 123456}}), 400, "invalid_request");
    check_s3_error(f.post("/v1/auth/verify-pin", {{"license", "bm9wZQ=="}, {"pin", "123456"}}), 400, "invalid_license");
    REQUIRE(f.post("/v1/auth/request-pin", {{"license", license.text}}).status == 200);
    const auto right = f.last_pin();
    const std::string wrong = right == "000000" ? "111111" : "000000";
    for (int i = 0; i < 5; ++i)
        check_s3_error(f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", wrong}}), 400, "invalid_pin");
    check_s3_error(f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", right}}), 400, "invalid_pin");

    const auto brief = f.licenses.create(otts::test::license_request("user@example.com", 60)).value();
    f.clock.advance(100);
    check_s3_error(f.post("/v1/auth/verify-pin", {{"license", brief.text}, {"pin", "123456"}}), 400, "license_expired");
}

TEST_CASE("8 concurrent verify-pin requests with the right PIN: exactly one 200", "[s3][api][race]") {
    S3Fixture f;
    const auto license = f.license();
    REQUIRE(f.post("/v1/auth/request-pin", {{"license", license.text}}).status == 200);
    const auto pin = f.last_pin();
    std::atomic<int> ok{0};
    std::atomic<int> refused{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < 8; ++t) {
        pool.emplace_back([&] {
            while (!go.load()) std::this_thread::yield();
            const auto response = f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", pin}});
            if (response.status == 200) ++ok;
            if (response.status == 400) ++refused;
        });
    }
    go = true;
    for (auto& th : pool) th.join();
    CHECK(ok.load() == 1);
    CHECK(refused.load() == 7);
}

TEST_CASE("with rate limits on, a second PIN within the cooldown is 429 with Retry-After", "[s3][api]") {
    S3Fixture f;
    auto config = otts::test::test_pin_config();
    config.rate_limits = true;
    otts::Pins pins(f.sqlite->pins(), f.mailer, f.clock, f.random, config);
    otts::api::RateLimiter limiter(5, 60);
    otts::http::Router router(otts::api::render_error);
    otts::api::add_access_token_routes(router, {f.licenses, pins, f.tokens, f.clock, &limiter});
    const auto license = f.license();
    auto request = [&] {
        otts::http::Request r;
        r.method = "POST";
        r.path = "/v1/auth/request-pin";
        r.body = nlohmann::json{{"license", license.text}}.dump();
        return router.handle(r);
    };
    REQUIRE(request().status == 200);
    f.clock.advance(60);
    const auto cooling = request();
    check_s3_error(cooling, 429, "rate_limited");
    CHECK(cooling.headers.at("Retry-After") == "240");
    CHECK(body_of(cooling)["error"]["message"] ==
          "A PIN was recently created. Please wait 5 minutes before requesting another PIN.");
    for (int i = 0; i < 4; ++i) request();
    const auto limited = request();
    check_s3_error(limited, 429, "rate_limit_exceeded");
    CHECK(limited.headers.count("Retry-After") == 1);
}

TEST_CASE("POST /v1/auth/refresh rotates the refresh token, which is then spent", "[s3][api]") {
    S3Fixture f;
    const auto license = f.license();
    const auto tokens = sign_in(f, license);
    const auto refresh = tokens["refresh_token"].get<std::string>();
    const auto response = f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", license.text}});
    REQUIRE(response.status == 200);
    const auto body = body_of(response);
    CHECK(body["token_type"] == "Bearer");
    CHECK(body["expires_in"] == 86400);
    CHECK(body["refresh_token"] != refresh);
    check_s3_error(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", license.text}}), 401,
                   "invalid_token");
}

TEST_CASE("refresh refuses access tokens, other licenses and missing fields", "[s3][api]") {
    S3Fixture f;
    const auto license = f.license();
    const auto tokens = sign_in(f, license);
    const auto refresh = tokens["refresh_token"].get<std::string>();
    check_s3_error(f.post("/v1/auth/refresh", {{"refresh_token", refresh}}), 400, "invalid_request");
    check_s3_error(f.post("/v1/auth/refresh", {{"refresh_token", tokens["access_token"]}, {"license", license.text}}),
                   401, "invalid_token");
    check_s3_error(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", "bm9wZQ=="}}), 400,
                   "invalid_license");
    check_s3_error(
        f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", f.license("other@example.com").text}}), 400,
        "email_mismatch");
    check_s3_error(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", f.license().text}}), 400,
                   "license_mismatch");
    CHECK(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", license.text}}).status == 200);
}

TEST_CASE("POST /v1/auth/logout needs an access token and is stateless", "[s3][api]") {
    S3Fixture f;
    const auto tokens = sign_in(f, f.license());
    const auto access = tokens["access_token"].get<std::string>();
    const auto response = f.post("/v1/auth/logout", nlohmann::json::object(), access);
    REQUIRE(response.status == 200);
    CHECK(body_of(response)["message"] == "Logout successful. Please delete tokens from client storage.");
    CHECK(f.tokens.check_access(access).ok());
    check_s3_error(f.post("/v1/auth/logout", nlohmann::json::object()), 401, "unauthorized");
    check_s3_error(f.post("/v1/auth/logout", nlohmann::json::object(), tokens["refresh_token"].get<std::string>()), 401,
                   "unauthorized");
}

TEST_CASE("S3 errors carry the original's status, code and message", "[s3][api]") {
    S3Fixture f;
    const auto license = f.license();
    auto check = [](const otts::http::Response& response, int status, const std::string& code,
                    const std::string& message) {
        INFO(response.body);
        check_s3_error(response, status, code);
        CHECK(body_of(response)["error"]["message"] == message);
    };
    check(f.post("/v1/auth/request-pin", nlohmann::json::array()), 400, "invalid_request", "Invalid request body");
    check(f.post("/v1/auth/request-pin", {{"license", ""}}), 400, "invalid_request", "License is required");
    check(f.post("/v1/auth/request-pin", {{"license", "bm9wZQ=="}}), 400, "invalid_license",
          "License is invalid or could not extract email");
    check(f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", ""}}), 400, "invalid_request",
          "License and PIN are required");
    check(f.post("/v1/auth/verify-pin", {{"license", "bm9wZQ=="}, {"pin", "123456"}}), 400, "invalid_license",
          "License is invalid");
    check(f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", "123456"}}), 400, "invalid_pin",
          "Invalid or expired PIN");
    f.clock.advance(-3600);
    check(f.post("/v1/auth/verify-pin", {{"license", license.text}, {"pin", "123456"}}), 400, "license_not_valid_yet",
          "License is not yet valid");
    f.clock.advance(3600);

    const auto tokens = sign_in(f, license);
    const auto refresh = tokens["refresh_token"].get<std::string>();
    check(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", ""}}), 400, "invalid_request",
          "Refresh token and license are required");
    check(f.post("/v1/auth/refresh", {{"refresh_token", "x.y.z"}, {"license", license.text}}), 401, "invalid_token",
          "Invalid or expired refresh token");
    check(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", "bm9wZQ=="}}), 400, "invalid_license",
          "License is invalid");
    check(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", f.license("other@example.com").text}}),
          400, "email_mismatch", "License email does not match token");
    check(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", f.license().text}}), 400,
          "license_mismatch", "License has changed");
    REQUIRE(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", license.text}}).status == 200);
    check(f.post("/v1/auth/refresh", {{"refresh_token", refresh}, {"license", license.text}}), 401, "invalid_token",
          "Refresh token has already been used");
    check(f.post("/v1/auth/logout", nlohmann::json::object()), 401, "unauthorized", "Unauthorized");
}
