#include "core/api/api.hpp"

#include <catch2/catch.hpp>

#include "tests/support/api_fixture.hpp"

using namespace otts;
using otts::test::ApiFixture;

TEST_CASE("by default any http localhost origin is allowed and nothing else", "[api][cors]") {
    const api::CorsPolicy local;
    CHECK(api::origin_allowed(local, "http://localhost:3000"));
    CHECK(api::origin_allowed(local, "http://127.0.0.1:8080"));
    CHECK(api::origin_allowed(local, "http://localhost"));
    CHECK(api::origin_allowed(local, "http://[::1]:5173"));
    CHECK_FALSE(api::origin_allowed(local, "https://evil.example"));
    CHECK_FALSE(api::origin_allowed(local, "http://localhost.evil.example"));
    CHECK_FALSE(api::origin_allowed(local, "http://localhost:3000/x"));
    CHECK_FALSE(api::origin_allowed(local, "null"));
    CHECK_FALSE(api::origin_allowed(local, ""));
}

TEST_CASE("a configured allow-list replaces the localhost default", "[api][cors]") {
    const api::CorsPolicy list{{"https://app.example"}};
    CHECK(api::origin_allowed(list, "https://app.example"));
    CHECK_FALSE(api::origin_allowed(list, "http://localhost:3000"));
    CHECK(api::origin_allowed(api::CorsPolicy{{"*"}}, "https://any.example"));
    CHECK_FALSE(api::origin_allowed(api::CorsPolicy{{}, false}, "http://localhost:3000"));
}

TEST_CASE("the token handler's paths answer FRONTEND_URL only; only it gets credentials", "[api][cors][s2]") {
    api::CorsPolicy policy;  // localhost default, as in the emulator
    policy.frontend_origin = "http://localhost:3000";
    policy.frontend_prefix = "/auth";
    CHECK(api::origin_allowed(policy, "http://localhost:3000", "/auth/token"));
    CHECK_FALSE(api::origin_allowed(policy, "http://localhost:5173", "/auth/token"));
    CHECK_FALSE(api::origin_allowed(policy, "http://localhost:5173", "/auth"));
    CHECK(api::origin_allowed(policy, "http://localhost:5173", "/authx"));  // not under the prefix
    CHECK(api::origin_allowed(policy, "http://localhost:5173", "/tokens"));
    api::Api api(policy);
    api.router().add("GET", "/tokens", [](const http::Request&) { return http::Response::json(200, {}); });
    auto call = [&](const char* origin) {
        http::Request r;
        r.method = "GET";
        r.path = "/tokens";
        r.headers.emplace("Origin", origin);
        return api.handle(r);
    };
    CHECK(call("http://localhost:3000").headers.count("Access-Control-Allow-Credentials") == 1);
    const auto other = call("http://localhost:5173");
    CHECK(other.headers.at("Access-Control-Allow-Origin") == "http://localhost:5173");
    CHECK(other.headers.count("Access-Control-Allow-Credentials") == 0);
}

TEST_CASE("responses to an allowed origin carry CORS headers; others do not", "[api][cors]") {
    ApiFixture f;
    const auto allowed = f.call("GET", "/tokens", {}, {{"Origin", "http://localhost:3000"}});
    CHECK(allowed.headers.at("Access-Control-Allow-Origin") == "http://localhost:3000");
    CHECK(allowed.headers.at("Vary") == "Origin");
    const auto refused = f.call("GET", "/tokens", {}, {{"Origin", "https://evil.example"}});
    CHECK(refused.headers.count("Access-Control-Allow-Origin") == 0);
}

TEST_CASE("OPTIONS preflight answers 204 with the allowed methods and headers", "[api][cors]") {
    ApiFixture f;
    const auto r = f.call("OPTIONS", "/token/redeem", {},
                          {{"Origin", "http://127.0.0.1:5173"}, {"Access-Control-Request-Method", "POST"}});
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    CHECK(r.headers.at("Access-Control-Allow-Origin") == "http://127.0.0.1:5173");
    CHECK(r.headers.at("Access-Control-Allow-Methods").find("POST") != std::string::npos);
    CHECK(r.headers.at("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
    CHECK(r.headers.at("Cache-Control") == "no-store");
}

TEST_CASE("unknown routes answer 404 and wrong methods 405, in the family's shape, no-store", "[api]") {
    ApiFixture f;
    const auto missing = f.call("GET", "/nope");
    CHECK(missing.status == 404);
    // No family's path: a string error every family's client can show (not S3's object).
    CHECK(ApiFixture::json(missing) == nlohmann::json{{"error", "not_found"}, {"message", "no such route"}});
    CHECK(ApiFixture::json(f.call("GET", "/_otts/nope"))["error"]["code"] == "not_found");
    CHECK(missing.headers.at("Cache-Control") == "no-store");
    const auto wrong = f.call("DELETE", "/tokens");
    CHECK(wrong.status == 405);
    CHECK(wrong.headers.at("Allow") == "GET, POST");
    CHECK(ApiFixture::json(wrong)["isValid"] == false);
    CHECK(f.call("GET", "/token").status == 405);
}

TEST_CASE("a path that is not UTF-8 still answers a JSON 404", "[api]") {
    ApiFixture f;
    const auto r = f.call("GET", "/\xff\xfe");
    CHECK(r.status == 404);
    CHECK_NOTHROW(ApiFixture::json(r));
}

TEST_CASE("transport errors render in the path's family with the given status", "[api]") {
    ApiFixture f;
    http::Request request;
    request.method = "POST";
    request.path = "/v1/auth/request-pin";
    const auto r = f.api.transport_error(request, ErrorCode::payload_too_large, 413);
    CHECK(r.status == 413);
    CHECK(ApiFixture::json(r)["error"]["code"] == "payload_too_large");
    CHECK(r.headers.at("Cache-Control") == "no-store");
}
