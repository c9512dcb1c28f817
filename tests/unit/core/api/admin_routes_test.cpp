#include "core/api/admin_routes.hpp"

#include <catch2/catch.hpp>

#include "core/api/openapi.hpp"
#include "tests/support/api_fixture.hpp"

using namespace otts;
using otts::test::ApiFixture;

TEST_CASE("GET /_otts/health reports status, version, store, the current difficulty and the WebSocket URL",
          "[api][otts]") {
    ApiFixture f;
    const auto r = f.call("GET", "/_otts/health");
    REQUIRE(r.status == 200);
    CHECK(ApiFixture::json(r) == nlohmann::json{{"status", "ok"},
                                                {"version", "0.0.0-test"},
                                                {"store", "sqlite::memory:"},
                                                {"pow_difficulty", 4},
                                                {"ws_url", "ws://127.0.0.1:8081"}});
}

TEST_CASE("POST /_otts/sweep deletes expired rows and says how many", "[api][otts]") {
    ApiFixture f;
    (void)f.call("GET", "/tokens");
    (void)f.call("GET", "/tokens");
    CHECK(ApiFixture::json(f.call("POST", "/_otts/sweep")) == nlohmann::json{{"deleted", 0}});
    // A row outlives its token by the largest leeway (DESIGN §5), then the sweep takes it.
    f.clock.advance(8 * 3600 + jwt::k_max_leeway - 1);
    CHECK(ApiFixture::json(f.call("POST", "/_otts/sweep")) == nlohmann::json{{"deleted", 0}});
    f.clock.advance(1);
    CHECK(ApiFixture::json(f.call("POST", "/_otts/sweep")) == nlohmann::json{{"deleted", 2}});
}

TEST_CASE("POST /_otts/reset clears live tokens too", "[api][otts]") {
    ApiFixture f;
    const auto token = ApiFixture::json(f.call("GET", "/tokens"))["token"].get<std::string>();
    CHECK(ApiFixture::json(f.call("POST", "/_otts/reset")) == nlohmann::json{{"reset", true}});
    const auto r = f.call("POST", "/tokens", nlohmann::json{{"token", token}}.dump());
    CHECK(ApiFixture::json(r)["message"] == "Token not found");
}

TEST_CASE("a store failure under /_otts answers 503 in the S3 shape", "[api][otts]") {
    ApiFixture f;
    f.store.failing = true;
    const auto r = f.call("POST", "/_otts/sweep");
    CHECK(r.status == 503);
    CHECK(ApiFixture::json(r)["error"]["code"] == "store_error");
}

TEST_CASE("the OpenAPI document lists every route the router serves, each with a summary", "[api][otts]") {
    ApiFixture f;
    const auto r = f.call("GET", "/_otts/openapi.json");
    REQUIRE(r.status == 200);
    const auto doc = ApiFixture::json(r);
    CHECK(doc["openapi"] == "3.0.3");
    const auto routes = f.api.router().routes();
    REQUIRE(routes.size() >= 8);
    std::size_t operations = 0;
    for (const auto& [path, item] : doc["paths"].items()) operations += item.size();
    CHECK(operations == routes.size());
    for (const auto& route : routes) {
        INFO(route.method << " " << route.pattern);
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(doc["paths"][route.pattern].contains(method));
        CHECK(api::route_summary(route.method, route.pattern).has_value());
    }
}

TEST_CASE("the OpenAPI document declares path parameters", "[api][otts]") {
    const auto doc = api::openapi_document({{"GET", "/@connections/{id}"}}, "1");
    const auto& params = doc["paths"]["/@connections/{id}"]["get"]["parameters"];
    REQUIRE(params.size() == 1);
    CHECK(params[0]["name"] == "id");
    CHECK(params[0]["in"] == "path");
    CHECK(params[0]["required"] == true);
}
