#include "core/api/user_token_routes.hpp"

#include <catch2/catch.hpp>

#include "tests/support/s3_fixture.hpp"

using otts::test::body_of;

TEST_CASE("POST /user/auth/jwt-token gives the access token's holder a 1 h user token", "[s4][api]") {
    otts::test::S3Fixture f;
    const auto pair = f.tokens.issue(f.license()).value();
    const auto response = f.post("/user/auth/jwt-token", nlohmann::json::object(), pair.access_token);
    REQUIRE(response.status == 200);
    CHECK(response.headers.at("Cache-Control") == "no-store");
    const auto body = body_of(response);
    CHECK(body["success"] == true);
    CHECK(body["data"]["expiresIn"] == "1h");
    CHECK(body["data"]["tokenType"] == "Bearer");
    CHECK(body["data"]["userId"] == "user@example.com");
    const auto claims = f.user_tokens.check(body["data"]["token"].get<std::string>()).value();
    CHECK(claims["userId"] == "user@example.com");
    CHECK(claims["exp"] == f.clock.now() + 3600);
}

TEST_CASE("jwt-token without a valid access token is 401 in the S4 shape", "[s4][api]") {
    otts::test::S3Fixture f;
    const auto pair = f.tokens.issue(f.license()).value();
    for (const auto& bearer : {std::optional<std::string>(), std::optional<std::string>("garbage"),
                               std::optional<std::string>(pair.refresh_token)}) {
        const auto response = f.post("/user/auth/jwt-token", nlohmann::json::object(), bearer);
        CHECK(response.status == 401);
        const auto body = body_of(response);
        CHECK(body["success"] == false);
        CHECK(body["error"].is_string());
    }
    f.clock.advance(86400 + 31);
    CHECK(f.post("/user/auth/jwt-token", nlohmann::json::object(), pair.access_token).status == 401);
}

TEST_CASE("POST /user/auth/generate-jwt is the same route as jwt-token", "[s4][api]") {
    otts::test::S3Fixture f;
    const auto pair = f.tokens.issue(f.license()).value();
    const auto response = f.post("/user/auth/generate-jwt", nlohmann::json::object(), pair.access_token);
    REQUIRE(response.status == 200);
    const auto body = body_of(response);
    CHECK(body["data"]["tokenType"] == "Bearer");
    CHECK(f.user_tokens.check(body["data"]["token"].get<std::string>()).value()["userId"] == "user@example.com");
    CHECK(f.post("/user/auth/generate-jwt", nlohmann::json::object(), std::nullopt).status == 401);
}
