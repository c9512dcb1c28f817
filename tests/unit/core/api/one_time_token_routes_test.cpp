#include "core/api/one_time_token_routes.hpp"

#include <catch2/catch.hpp>

#include "tests/support/api_fixture.hpp"

using namespace otts;
using otts::test::ApiFixture;

namespace {

using otts::test::k_json;

std::string token_body(const std::string& token) { return nlohmann::json{{"token", token}}.dump(); }

nlohmann::json invalid(const std::string& message) { return {{"isValid", false}, {"message", message}}; }

}  // namespace

TEST_CASE("GET /tokens issues a token with an ISO 8601 UTC expiration 8 h ahead", "[api][s1]") {
    ApiFixture f;
    const auto r = f.call("GET", "/tokens");
    REQUIRE(r.status == 200);
    const auto body = ApiFixture::json(r);
    CHECK(body["token"].is_string());
    CHECK(body["expiration"] == "2023-11-15T06:13:20Z");  // 1'700'000'000 + 8 h
    CHECK(r.headers.at("Cache-Control") == "no-store");
}

TEST_CASE("POST /tokens validates and consumes: the second attempt is already used", "[api][s1]") {
    ApiFixture f;
    const auto token = ApiFixture::json(f.call("GET", "/tokens"))["token"].get<std::string>();
    const auto first = f.call("POST", "/tokens", token_body(token), k_json);
    CHECK(first.status == 200);
    CHECK(ApiFixture::json(first) == nlohmann::json{{"isValid", true}, {"message", "Token validation successful"}});
    const auto second = f.call("POST", "/tokens", token_body(token), k_json);
    CHECK(second.status == 401);
    CHECK(ApiFixture::json(second) == invalid("Token has already been used"));
}

TEST_CASE("POST /tokens answers 401 for expired, invalid and unknown tokens", "[api][s1]") {
    ApiFixture f;
    const auto token = ApiFixture::json(f.call("GET", "/tokens"))["token"].get<std::string>();
    CHECK(ApiFixture::json(f.call("POST", "/tokens", token_body("x.y.z"), k_json)) == invalid("Invalid token"));
    // Signed with the service's key but never stored here.
    test::ApiFixture other;
    other.random = test::SeededRandom(7);
    const auto foreign = ApiFixture::json(other.call("GET", "/tokens"))["token"].get<std::string>();
    const auto unknown = f.call("POST", "/tokens", token_body(foreign), k_json);
    CHECK(unknown.status == 401);
    CHECK(ApiFixture::json(unknown) == invalid("Token not found"));
    f.clock.advance(8 * 3600 + 31);
    const auto expired = f.call("POST", "/tokens", token_body(token), k_json);
    CHECK(expired.status == 401);
    CHECK(ApiFixture::json(expired) == invalid("Token has expired"));
}

TEST_CASE("POST /tokens answers 400 in the S1 shape for malformed bodies", "[api][s1]") {
    ApiFixture f;
    for (const std::string body : {"", "{bad", "[1]", R"({"token":5})", "{\"token\":\"\xc3\x28\"}"}) {
        const auto r = f.call("POST", "/tokens", body, k_json);
        CHECK(r.status == 400);
        const auto json = ApiFixture::json(r);
        CHECK(json["isValid"] == false);
        CHECK(json["message"].is_string());
    }
    CHECK(f.call("POST", "/tokens", token_body("a"), {{"Content-Type", "application/x-www-form-urlencoded"}}).status ==
          400);
}

TEST_CASE("POST /tokens without a token answers 401 Token not provided, as the original", "[api][s1]") {
    ApiFixture f;
    for (const std::string body : {"{}", R"({"token":null})", R"({"token":""})", R"({"other":"x"})"}) {
        const auto r = f.call("POST", "/tokens", body, k_json);
        CHECK(r.status == 401);
        CHECK(ApiFixture::json(r) == nlohmann::json{{"message", "Token not provided"}});
    }
}

TEST_CASE("a store failure answers 503 in the S1 shape and hands out no token", "[api][s1]") {
    ApiFixture f;
    f.store.failing = true;
    const auto r = f.call("GET", "/tokens");
    CHECK(r.status == 503);
    CHECK(ApiFixture::json(r)["isValid"] == false);
}
