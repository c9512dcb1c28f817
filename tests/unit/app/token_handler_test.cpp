// S2 as `otts serve` composes it (app::token_handler_setup + TokenHandler with the dev IdP), driven
// through its routes as a browser and l42's auth.js drive them: the id token the handler hands
// out must pass the claim checks of auth.js's validateTokenClaims (lexicone42/l42-cognito-passkey,
// dist/auth.js): iss starts with https://cognito-idp.{region}.amazonaws.com/, aud (or client_id)
// is the configured client id, exp is a number at most 30 days ahead. Fake clock throughout.
#include "app/token_handler.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "adapters/sqlite_store.hpp"
#include "core/api/error_bodies.hpp"
#include "core/http/url.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"
#include "tests/support/sqlite_fixture.hpp"
#include "tests/support/test_keys.hpp"

using namespace otts;

namespace {

constexpr const char* k_self_url = "http://127.0.0.1:8080";
constexpr const char* k_frontend_url = "http://localhost:3000";
const std::string k_handler_secret = "a-token-handler-test-session-secret-0123456789";

jwt::Key handler_dev_key() { return jwt::Key::rs256(test::rsa_key(), "token-handler-test").value(); }

Result<std::optional<app::TokenHandlerSetup>> setup_from(Environment environment, bool dev_idp = true) {
    environment.emplace("FRONTEND_URL", k_frontend_url);
    return app::token_handler_setup(Settings(std::move(environment)), k_handler_secret,
                                    dev_idp ? std::optional<jwt::Key>(handler_dev_key()) : std::nullopt);
}

std::string handler_cookie(const http::Response& r, const std::string& name) {
    for (const auto& line : r.cookies) {
        if (line.starts_with(name + "=")) return line.substr(name.size() + 1, line.find(';') - name.size() - 1);
    }
    return {};
}

http::Params location_query(const std::string& location) {
    auto q = url::decode_pairs(location.substr(location.find('?') + 1));
    REQUIRE(q);
    return *q;
}

// The emulator's handler with its dev IdP, on one SQLite store and a fake clock.
struct ServedHandler {
    test::FakeClock clock;
    test::SeededRandom random;
    std::unique_ptr<SqliteStore> sqlite = test::open_memory();
    std::unique_ptr<app::TokenHandler> handler;
    http::Router router{api::render_error};

    explicit ServedHandler(Environment environment) {
        auto setup = setup_from(std::move(environment));
        REQUIRE(setup);
        REQUIRE(*setup);
        auto made = app::TokenHandler::create(std::move(**setup), sqlite->sessions(), *sqlite, clock, random);
        REQUIRE(made);
        handler = std::move(*made);
        handler->add_routes(router, k_self_url);
    }

    http::Response call(std::string method, std::string path, http::Params query = {}, std::string body = {},
                        http::Params cookies = {}) const {
        http::Request r;
        r.method = std::move(method);
        r.path = std::move(path);
        r.query = std::move(query);
        r.body = std::move(body);
        r.cookies = std::move(cookies);
        r.source_ip = "127.0.0.1";
        if (r.method == "POST") r.headers.emplace("X-L42-CSRF", "1");
        return router.handle(std::move(r));
    }

    // /auth/login, the dev IdP's sign-in form, /auth/callback: the l42_session cookie.
    std::string sign_in(const std::string& email) const {
        const auto login = call("GET", "/auth/login");
        REQUIRE(login.status == 307);
        const auto& authorize = login.headers.at("Location");
        REQUIRE(authorize.starts_with(std::string(k_self_url) + "/oauth2/authorize?"));
        auto form = location_query(authorize);
        url::Pairs fields(form.begin(), form.end());
        fields.emplace_back("email", email);
        fields.emplace_back("groups", "admin");
        const auto idp = call("POST", "/oauth2/authorize", {}, url::encode_pairs(fields));
        REQUIRE(idp.status == 302);
        const auto back = location_query(idp.headers.at("Location"));
        const auto callback = call("GET", "/auth/callback", {{"code", back.at("code")}, {"state", back.at("state")}},
                                   {}, {{"l42_login", handler_cookie(login, "l42_login")}});
        REQUIRE(callback.status == 307);
        REQUIRE(callback.headers.at("Location").starts_with(std::string(k_frontend_url) + "/auth/success"));
        const auto session = handler_cookie(callback, "l42_session");
        REQUIRE_FALSE(session.empty());
        return session;
    }
};

// auth.js's validateTokenClaims, for `region` and `client_id`, on claims at `now`.
void check_as_auth_js(const nlohmann::json& claims, const std::string& region, const std::string& client_id,
                      UnixSeconds now) {
    INFO(claims.dump());
    REQUIRE(claims["iss"].is_string());
    CHECK(claims["iss"].get<std::string>().starts_with("https://cognito-idp." + region + ".amazonaws.com/"));
    CHECK((claims.contains("aud") ? claims["aud"] : claims["client_id"]) == client_id);
    REQUIRE(claims["exp"].is_number());
    CHECK(claims["exp"].get<UnixSeconds>() > now);                    // isTokenExpired
    CHECK(claims["exp"].get<UnixSeconds>() <= now + 30 * 24 * 3600);  // "unreasonable expiry"
}

}  // namespace

TEST_CASE("token handler: the dev IdP's issuer is Cognito's shape, from COGNITO_REGION or COGNITO_ISSUER",
          "[s2][token_handler]") {
    auto issuer = [](Environment environment) {
        auto setup = setup_from(std::move(environment));
        REQUIRE(setup);
        REQUIRE(*setup);
        return (*setup)->routes.issuer;
    };
    CHECK(issuer({}) == "https://cognito-idp.us-west-2.amazonaws.com/local_otts");
    CHECK(issuer({{"COGNITO_REGION", "eu-central-1"}}) == "https://cognito-idp.eu-central-1.amazonaws.com/local_otts");
    CHECK(issuer({{"COGNITO_ISSUER", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Prod"}}) ==
          "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Prod");
    // With a pool, the original's issuer as before.
    auto cognito = setup_from({{"COGNITO_USER_POOL_ID", "us-west-2_AbC"},
                               {"COGNITO_CLIENT_ID", "client"},
                               {"COGNITO_DOMAIN", "app.auth.us-west-2.amazoncognito.com"}},
                              false);
    REQUIRE(cognito);
    REQUIRE(*cognito);
    CHECK((*cognito)->routes.issuer == "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbC");
    CHECK((*cognito)->cognito->jwks ==
          "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbC/.well-known/jwks.json");
}

TEST_CASE("token handler: a dev IdP sign-in hands out an id token auth.js counts as signed in", "[s2][token_handler]") {
    const std::string region = GENERATE(std::string("us-west-2"), std::string("ap-southeast-2"));
    Environment environment{{"COGNITO_CLIENT_ID", "my-app-client"},
                            {"OTTS_AUTHZ_POLICY", R"({"rules":[{"group":"admin","actions":["*"]}]})"}};
    if (region != "us-west-2") environment.emplace("COGNITO_REGION", region);
    ServedHandler s(environment);
    const auto issuer = "https://cognito-idp." + region + ".amazonaws.com/local_otts";

    // The discovery document names Cognito's issuer and this server's endpoints.
    const auto discovery = s.call("GET", "/.well-known/openid-configuration");
    REQUIRE(discovery.status == 200);
    const auto doc = nlohmann::json::parse(discovery.body);
    CHECK(doc["issuer"] == issuer);
    CHECK(doc["jwks_uri"] == std::string(k_self_url) + "/.well-known/jwks.json");
    CHECK(doc["authorization_endpoint"] == std::string(k_self_url) + "/oauth2/authorize");

    const auto session = s.sign_in("dev@example.com");
    const auto token = s.call("GET", "/auth/token", {}, {}, {{"l42_session", session}});
    REQUIRE(token.status == 200);
    const auto body = nlohmann::json::parse(token.body);
    const auto id = jwt::decode(body["id_token"].get<std::string>());
    const auto access = jwt::decode(body["access_token"].get<std::string>());
    REQUIRE(id);
    REQUIRE(access);
    CHECK(id->payload["iss"] == issuer);
    CHECK(id->payload["token_use"] == "id");
    check_as_auth_js(id->payload, region, "my-app-client", s.clock.now());
    check_as_auth_js(access->payload, region, "my-app-client", s.clock.now());

    // requireServerAuthorization: a refresh ahead of expiry, then POST /auth/authorize.
    const auto refreshed = s.call("POST", "/auth/refresh", {}, {}, {{"l42_session", session}});
    REQUIRE(refreshed.status == 200);
    const auto fresh = jwt::decode(nlohmann::json::parse(refreshed.body)["id_token"].get<std::string>());
    REQUIRE(fresh);
    check_as_auth_js(fresh->payload, region, "my-app-client", s.clock.now());
    const auto decision = s.call("POST", "/auth/authorize", {}, R"({"action":"read:doc"})", {{"l42_session", session}});
    CHECK(decision.status == 200);
    CHECK(nlohmann::json::parse(decision.body)["authorized"] == true);

    // A session started with POST /auth/session (auth.js's _persistHandlerSession) from the
    // dev IdP's tokens verifies against the same issuer.
    const auto persisted =
        s.call("POST", "/auth/session", {},
               nlohmann::json{{"access_token", body["access_token"]}, {"id_token", body["id_token"]}}.dump());
    CHECK(persisted.status == 200);
}
