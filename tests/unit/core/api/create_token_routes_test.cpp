#include "core/api/create_token_routes.hpp"

#include <catch2/catch.hpp>

#include "tests/support/api_fixture.hpp"

using namespace otts;
using otts::test::ApiFixture;

namespace {

using otts::test::k_json;

http::Headers bearer(const std::string& token) {
    return {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
}

std::string redeem_body(const nlohmann::json& issued, const std::string& pow) {
    return nlohmann::json{{"nonce", issued["nonce"]}, {"pow", pow}}.dump();
}

}  // namespace

TEST_CASE("POST /token answers a token, its nonce, the PoW challenge and expiresAt", "[api][s0]") {
    ApiFixture f;
    const auto r = f.call("POST", "/token");
    REQUIRE(r.status == 200);
    const auto body = ApiFixture::json(r);
    CHECK(body["token"].is_string());
    CHECK(body["nonce"].get<std::string>().size() == 32);
    CHECK(body["powChallenge"] == nlohmann::json{{"difficulty", 4}, {"prefix", "sealed:"}});
    CHECK(body["expiresAt"] == f.clock.now() + 300);
    CHECK(r.headers.at("Cache-Control") == "no-store");
}

TEST_CASE("POST /token/redeem accepts a valid solution exactly once", "[api][s0]") {
    ApiFixture f;
    const auto issued = ApiFixture::json(f.call("POST", "/token"));
    const auto token = issued["token"].get<std::string>();
    const auto body = redeem_body(issued, ApiFixture::solve(issued));
    const auto first = f.call("POST", "/token/redeem", body, bearer(token));
    REQUIRE(first.status == 200);
    CHECK(ApiFixture::json(first)["valid"] == true);
    CHECK(ApiFixture::json(first)["jti"].is_string());
    const auto second = f.call("POST", "/token/redeem", body, bearer(token));
    CHECK(second.status == 409);
    CHECK(ApiFixture::json(second) == nlohmann::json{{"error", "token_used"}});
}

TEST_CASE("POST /token/redeem refuses a wrong solution with 403 invalid_pow", "[api][s0]") {
    ApiFixture f;
    const auto issued = ApiFixture::json(f.call("POST", "/token"));
    const auto token = issued["token"].get<std::string>();
    std::string wrong;
    for (long i = 0; wrong.empty(); ++i) {
        if (!pow::pow_valid("sealed:", issued["nonce"].get<std::string>(), std::to_string(i), 4))
            wrong = std::to_string(i);
    }
    const auto r = f.call("POST", "/token/redeem", redeem_body(issued, wrong), bearer(token));
    CHECK(r.status == 403);
    CHECK(ApiFixture::json(r) == nlohmann::json{{"error", "invalid_pow"}});
}

TEST_CASE("POST /token/redeem answers 401 invalid_token for missing, forged and expired tokens", "[api][s0]") {
    ApiFixture f;
    const auto issued = ApiFixture::json(f.call("POST", "/token"));
    const auto body = redeem_body(issued, ApiFixture::solve(issued));
    CHECK(f.call("POST", "/token/redeem", body, k_json).status == 401);
    const auto forged = f.call("POST", "/token/redeem", body, bearer("a.b.c"));
    CHECK(forged.status == 401);
    CHECK(ApiFixture::json(forged) == nlohmann::json{{"error", "invalid_token"}});
    f.clock.advance(301 + 30);
    const auto expired = f.call("POST", "/token/redeem", body, bearer(issued["token"]));
    CHECK(expired.status == 401);
    CHECK(ApiFixture::json(expired) == nlohmann::json{{"error", "invalid_token"}});
}

TEST_CASE("POST /token/redeem refuses a nonce that is not the token's", "[api][s0]") {
    ApiFixture f;
    const auto issued = ApiFixture::json(f.call("POST", "/token"));
    const auto body = nlohmann::json{{"nonce", std::string(32, '0')}, {"pow", ApiFixture::solve(issued)}}.dump();
    CHECK(f.call("POST", "/token/redeem", body, bearer(issued["token"])).status == 401);
}

TEST_CASE("POST /token/redeem answers 400 bad_request for malformed bodies", "[api][s0]") {
    ApiFixture f;
    const auto token = ApiFixture::json(f.call("POST", "/token"))["token"].get<std::string>();
    for (const std::string body : {"{bad", "[]", "{}", R"({"nonce":"x"})", R"({"nonce":1,"pow":"2"})", "\xff"}) {
        const auto r = f.call("POST", "/token/redeem", body, bearer(token));
        CHECK(r.status == 400);
        CHECK(ApiFixture::json(r) == nlohmann::json{{"error", "bad_request"}});
    }
    auto text = bearer(token);
    text["Content-Type"] = "text/plain";
    CHECK(f.call("POST", "/token/redeem", R"({"nonce":"a","pow":"1"})", text).status == 400);
}

TEST_CASE("with rate limits, an 11th POST /token in a minute answers 429 with Retry-After", "[api][s0]") {
    ApiFixture f(/*rate_limits=*/true);
    for (int i = 0; i < 10; ++i) REQUIRE(f.call("POST", "/token").status == 200);
    const auto limited = f.call("POST", "/token");
    CHECK(limited.status == 429);
    CHECK(ApiFixture::json(limited) == nlohmann::json{{"error", "rate_limited"}});
    CHECK(limited.headers.at("Retry-After") == "60");
    f.clock.advance(60);
    CHECK(f.call("POST", "/token").status == 200);
}

TEST_CASE("without rate limits POST /token is never limited", "[api][s0]") {
    ApiFixture f;
    for (int i = 0; i < 30; ++i) REQUIRE(f.call("POST", "/token").status == 200);
}
