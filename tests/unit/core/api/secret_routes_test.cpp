#include "core/api/secret_routes.hpp"

#include <catch2/catch.hpp>

#include "core/encoding/base64.hpp"
#include "tests/support/api_fixture.hpp"

using namespace otts;
using otts::test::ApiFixture;

namespace {

struct SecretRequest {
    std::string token;
    nlohmann::json body;  // a valid POST /secrets body for it
};

SecretRequest secret_request(const ApiFixture& f, int max_views = 1) {
    const auto issued = ApiFixture::json(f.call("POST", "/token"));
    return {issued["token"].get<std::string>(),
            {{"ciphertext", base64_encode("sealed bytes and a tag")},
             {"iv", base64_encode(std::string(12, '\x01'))},
             {"salt", base64_encode(std::string(16, '\x02'))},
             {"nonce", issued["nonce"]},
             {"pow", ApiFixture::solve(issued)},
             {"ttl", 86400},
             {"maxViews", max_views},
             {"passphraseProtected", true}}};
}

http::Headers secret_bearer(const std::string& token) {
    return {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
}

http::Response create_secret(const ApiFixture& f, const SecretRequest& issued) {
    return f.call("POST", "/secrets", issued.body.dump(), secret_bearer(issued.token));
}

http::Response get_secret(const ApiFixture& f, const std::string& path, std::optional<std::string> access_token = {},
                          http::Headers headers = {}) {
    http::Request r;
    r.method = "GET";
    r.path = path;
    if (access_token) r.query.emplace("accessToken", *access_token);
    r.headers = std::move(headers);
    r.source_ip = "127.0.0.1";
    return f.api.handle(std::move(r));
}

const nlohmann::json k_not_available = {{"error", "not_available"}};

}  // namespace

TEST_CASE("POST /secrets answers 201 {id, burnToken, expiresAt} and GET returns the secret", "[api][s0][secrets]") {
    ApiFixture f;
    const auto issued = secret_request(f);
    const auto r = create_secret(f, issued);
    REQUIRE(r.status == 201);
    const auto created = ApiFixture::json(r);
    CHECK(created["id"].get<std::string>().size() == 22);
    CHECK(created["burnToken"].get<std::string>().size() == 32);
    CHECK(created["expiresAt"] == f.clock.now() + 86400);
    CHECK(r.headers.at("Cache-Control") == "no-store");
    const auto read = get_secret(f, "/secrets/" + created["id"].get<std::string>());
    REQUIRE(read.status == 200);
    const auto body = ApiFixture::json(read);
    CHECK(body["ciphertext"] == issued.body["ciphertext"]);
    CHECK(body["iv"] == issued.body["iv"]);
    CHECK(body["salt"] == issued.body["salt"]);
    CHECK(body["passphraseProtected"] == true);
    CHECK(body["accessToken"].get<std::string>().size() == 32);
    CHECK(read.headers.at("Cache-Control") == "no-store");
}

TEST_CASE("POST /secrets refuses tokens with 401 and a wrong PoW with 403, in S0's shape", "[api][s0][secrets]") {
    ApiFixture f;
    auto issued = secret_request(f);
    auto r = f.call("POST", "/secrets", issued.body.dump(), otts::test::k_json);
    CHECK(r.status == 401);
    CHECK(ApiFixture::json(r) == nlohmann::json{{"error", "invalid_token"}});
    r = f.call("POST", "/secrets", issued.body.dump(), secret_bearer(issued.token + "x"));
    CHECK(r.status == 401);
    CHECK(ApiFixture::json(r) == nlohmann::json{{"error", "invalid_token"}});
    auto wrong = issued;
    wrong.body["pow"] = "not-a-solution-" + issued.body["pow"].get<std::string>();
    r = create_secret(f, wrong);
    CHECK(r.status == 403);
    CHECK(ApiFixture::json(r) == nlohmann::json{{"error", "invalid_pow"}});
    REQUIRE(create_secret(f, issued).status == 201);
    r = create_secret(f, issued);  // spent
    CHECK(r.status == 401);
    CHECK(ApiFixture::json(r) == nlohmann::json{{"error", "invalid_token"}});
    const auto later = secret_request(f);
    f.clock.advance(400);
    r = create_secret(f, later);  // expired
    CHECK(r.status == 401);
    CHECK(ApiFixture::json(r) == nlohmann::json{{"error", "invalid_token"}});
}

TEST_CASE("a refused body answers 400 invalid_request with a message and leaves the token unspent",
          "[api][s0][secrets]") {
    ApiFixture f;
    const auto issued = secret_request(f);
    auto bad = issued.body;
    bad["maxViews"] = 6;
    auto r = f.call("POST", "/secrets", bad.dump(), secret_bearer(issued.token));
    CHECK(r.status == 400);
    auto body = ApiFixture::json(r);
    CHECK(body["error"] == "invalid_request");
    CHECK(body["message"].get<std::string>().find("maxViews") != std::string::npos);
    r = f.call("POST", "/secrets", "{not json", secret_bearer(issued.token));
    CHECK(r.status == 400);
    CHECK(ApiFixture::json(r)["error"] == "invalid_request");
    CHECK(ApiFixture::json(r)["message"].is_string());
    CHECK(create_secret(f, issued).status == 201);  // the token still buys its secret
}

TEST_CASE("every unavailable secret answers the same 404 not_available", "[api][s0][secrets]") {
    ApiFixture f;
    const auto used = ApiFixture::json(create_secret(f, secret_request(f)))["id"].get<std::string>();
    REQUIRE(get_secret(f, "/secrets/" + used).status == 200);
    const auto burned = ApiFixture::json(create_secret(f, secret_request(f)));
    const auto burned_id = burned["id"].get<std::string>();
    REQUIRE(f.call("DELETE", "/secrets/" + burned_id, "", {{"X-Burn-Token", burned["burnToken"].get<std::string>()}})
                .status == 204);
    const auto expiring = ApiFixture::json(create_secret(f, secret_request(f)))["id"].get<std::string>();
    f.clock.advance(86400);
    const auto reference = get_secret(f, "/secrets/AAAAAAAAAAAAAAAAAAAAAA");
    CHECK(reference.status == 404);
    CHECK(ApiFixture::json(reference) == k_not_available);
    for (const std::string path :
         {"/secrets/" + used, "/secrets/" + burned_id, "/secrets/" + expiring, std::string("/secrets/not-an-id"),
          std::string("/secrets/%ff"), std::string("/secrets/a/b"), std::string("/secrets/")}) {
        INFO(path);
        const auto r = get_secret(f, path);
        CHECK(r.status == reference.status);
        CHECK(r.body == reference.body);
        CHECK(r.headers == reference.headers);
    }
}

TEST_CASE("GET with the previous accessToken within 30 s spends no view", "[api][s0][secrets]") {
    ApiFixture f;
    const auto id = ApiFixture::json(create_secret(f, secret_request(f, 1)))["id"].get<std::string>();
    const auto first = ApiFixture::json(get_secret(f, "/secrets/" + id));
    f.clock.advance(29);
    const auto again = get_secret(f, "/secrets/" + id, first["accessToken"].get<std::string>());
    REQUIRE(again.status == 200);
    CHECK(ApiFixture::json(again)["accessToken"] == first["accessToken"]);
    f.clock.advance(1);
    CHECK(get_secret(f, "/secrets/" + id, first["accessToken"].get<std::string>()).status == 404);
}

TEST_CASE("DELETE /secrets/{id} always answers 204 and burns only with the burn token", "[api][s0][secrets]") {
    ApiFixture f;
    const auto created = ApiFixture::json(create_secret(f, secret_request(f, 5)));
    const auto path = "/secrets/" + created["id"].get<std::string>();
    CHECK(f.call("DELETE", path).status == 204);
    CHECK(f.call("DELETE", path, "", {{"X-Burn-Token", std::string(32, '0')}}).status == 204);
    CHECK(f.call("DELETE", "/secrets/nothing-here", "", {{"X-Burn-Token", std::string(32, '0')}}).status == 204);
    CHECK(get_secret(f, path).status == 200);
    const auto burn = f.call("DELETE", path, "", {{"X-Burn-Token", created["burnToken"].get<std::string>()}});
    CHECK(burn.status == 204);
    CHECK(burn.body.empty());
    CHECK(get_secret(f, path).status == 404);
}

TEST_CASE("a CORS preflight allows the X-Burn-Token header", "[api][s0][secrets]") {
    ApiFixture f;
    const auto r = f.call("OPTIONS", "/secrets/abc", "",
                          {{"Origin", "http://localhost:3000"},
                           {"Access-Control-Request-Method", "DELETE"},
                           {"Access-Control-Request-Headers", "x-burn-token"}});
    CHECK(r.status == 204);
    CHECK(r.headers.at("Access-Control-Allow-Headers").find("X-Burn-Token") != std::string::npos);
    CHECK(r.headers.at("Access-Control-Allow-Methods").find("DELETE") != std::string::npos);
}

TEST_CASE("with rate limits GET allows 60 and DELETE 10 per minute per address", "[api][s0][secrets]") {
    ApiFixture f(true);
    for (int i = 0; i < 60; ++i) REQUIRE(get_secret(f, "/secrets/AAAAAAAAAAAAAAAAAAAAAA").status == 404);
    const auto limited = get_secret(f, "/secrets/AAAAAAAAAAAAAAAAAAAAAA");
    CHECK(limited.status == 429);
    CHECK(ApiFixture::json(limited) == nlohmann::json{{"error", "rate_limited"}});
    CHECK(limited.headers.count("Retry-After") == 1);
    for (int i = 0; i < 10; ++i) REQUIRE(f.call("DELETE", "/secrets/x").status == 204);
    CHECK(f.call("DELETE", "/secrets/x").status == 429);
    f.clock.advance(60);
    CHECK(get_secret(f, "/secrets/AAAAAAAAAAAAAAAAAAAAAA").status == 404);
    CHECK(f.call("DELETE", "/secrets/x").status == 204);
}

TEST_CASE("POST /secrets may carry a larger body than other routes, still bounded", "[api][s0][secrets]") {
    CHECK(api::max_body_for("POST", "/secrets") == api::k_max_secret_body);
    CHECK(api::max_body_for("POST", "/secrets") >= Secrets::k_max_ciphertext + 1024);
    CHECK(api::max_body_for("POST", "/secrets") <= 128 * 1024);
    CHECK(api::max_body_for("GET", "/secrets") == api::k_max_body);
    CHECK(api::max_body_for("POST", "/token") == api::k_max_body);
}
