#include "core/api/dev_idp_routes.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "core/api/error_bodies.hpp"
#include "core/auth/pkce.hpp"
#include "core/http/url.hpp"
#include "tests/support/failing_store.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"
#include "tests/support/sqlite_fixture.hpp"
#include "tests/support/test_keys.hpp"

using namespace otts;

namespace {

constexpr const char* k_routes_base_url = "http://127.0.0.1:8080";
constexpr const char* k_routes_client = "dev-client";
constexpr const char* k_routes_redirect = "http://localhost:3000/auth/callback";
constexpr const char* k_routes_page_csp = "default-src 'none'; style-src 'unsafe-inline'";
constexpr const char* k_routes_cognito_type = "application/x-amz-json-1.1";

const jwt::Key& routes_idp_key() {
    static const jwt::Key key = jwt::Key::rs256(test::rsa_key(), "dev-idp-routes-test").value();
    return key;
}

DevIdpConfig routes_idp_config() {
    DevIdpConfig c;
    c.base_url = k_routes_base_url;
    c.issuer = cognito_issuer("us-west-2", k_dev_idp_pool_id);
    c.client_id = k_routes_client;
    c.redirect_uris = {k_routes_redirect};
    return c;
}

struct DevIdpRoutesFixture {
    test::FakeClock clock;
    test::SeededRandom random;
    std::unique_ptr<SqliteStore> sqlite = test::open_memory();
    test::FailingStore store{*sqlite};
    DevIdp idp{routes_idp_config(), routes_idp_key(), store, clock, random};
    http::Router router{api::render_error};

    DevIdpRoutesFixture() { api::add_dev_idp_routes(router, idp); }

    http::Response get(const std::string& path, http::Params query) const {
        http::Request r;
        r.method = "GET";
        r.path = path;
        r.query = std::move(query);
        return router.handle(std::move(r));
    }

    http::Response post(const std::string& path, std::string body, http::Headers headers = {}) const {
        http::Request r;
        r.method = "POST";
        r.path = path;
        r.headers = std::move(headers);
        r.body = std::move(body);
        return router.handle(std::move(r));
    }

    std::string code() {
        SignInRequest s;
        s.client_id = k_routes_client;
        s.redirect_uri = k_routes_redirect;
        s.email = "dev@example.com";
        auto c = idp.sign_in(s);
        REQUIRE(c);
        return *c;
    }

    http::Response initiate_auth(const std::string& body, const std::string& target) const {
        return post("/", body, {{"X-Amz-Target", target}});
    }
};

void check_idp_page(const http::Response& r, int status, const std::string& body) {
    CHECK(r.status == status);
    CHECK(r.body == body);
    CHECK(r.headers.at("Content-Type") == "text/html; charset=utf-8");
    CHECK(r.headers.at("Content-Security-Policy") == k_routes_page_csp);
    CHECK(r.headers.at("X-Frame-Options") == "DENY");
}

void check_idp_json(const http::Response& r, int status, const nlohmann::json& body) {
    CHECK(r.status == status);
    CHECK(nlohmann::json::parse(r.body) == body);
}

void check_cognito_error(const http::Response& r, const std::string& type, const std::string& message) {
    check_idp_json(r, 400, {{"__type", type}, {"message", message}});
    CHECK(r.headers.at("Content-Type") == k_routes_cognito_type);
}

const std::string k_initiate_auth = "AWSCognitoIdentityProviderService.InitiateAuth";

}  // namespace

TEST_CASE("dev IdP sign-in page: an unknown client or a foreign redirect_uri is shown, not followed",
          "[s2][dev_idp_routes]") {
    DevIdpRoutesFixture f;
    check_idp_page(f.get("/oauth2/authorize", {{"client_id", "other"}, {"redirect_uri", k_routes_redirect}}), 400,
                   "<!doctype html><p>Unknown client_id.</p>\n");
    check_idp_page(
        f.get("/oauth2/authorize", {{"client_id", k_routes_client}, {"redirect_uri", "https://evil.example/cb"}}), 400,
        "<!doctype html><p>redirect_uri is not a registered callback URL.</p>\n");
    const auto page = f.get("/oauth2/authorize", {{"client_id", k_routes_client}, {"redirect_uri", k_routes_redirect}});
    CHECK(page.status == 200);
    CHECK_THAT(page.body, Catch::Contains("<form method=\"post\" action=\"/oauth2/authorize\">"));
    CHECK_THAT(page.body, !Catch::Contains("id=\"problem\""));
}

TEST_CASE("dev IdP /oauth2/authorize and /oauth2/token take a redirect_uri only if it is registered exactly",
          "[s2][dev_idp_routes]") {
    DevIdpRoutesFixture f;
    const std::string look_alike = "http://localhost:3000.evil.example/";
    const std::string refused = "<!doctype html><p>redirect_uri is not a registered callback URL.</p>\n";
    for (const auto& uri :
         {look_alike, std::string(k_routes_redirect) + ".evil.example/", std::string("http://localhost/")}) {
        INFO(uri);
        check_idp_page(f.get("/oauth2/authorize", {{"client_id", k_routes_client}, {"redirect_uri", uri}}), 400,
                       refused);
        const auto submit = f.post(
            "/oauth2/authorize",
            url::encode_pairs({{"client_id", k_routes_client}, {"redirect_uri", uri}, {"email", "dev@example.com"}}));
        CHECK(submit.status == 400);
        CHECK(submit.headers.count("Location") == 0);
    }
    // A code an IdP with the look-alike registered issued, with this IdP's key and issuer.
    auto loose = routes_idp_config();
    loose.redirect_uris.push_back(look_alike);
    DevIdp other{loose, routes_idp_key(), f.store, f.clock, f.random};
    SignInRequest s;
    s.client_id = k_routes_client;
    s.redirect_uri = look_alike;
    s.email = "dev@example.com";
    const auto code = other.sign_in(s);
    REQUIRE(code);
    const auto token = f.post("/oauth2/token", url::encode_pairs({{"grant_type", "authorization_code"},
                                                                  {"client_id", k_routes_client},
                                                                  {"code", *code},
                                                                  {"redirect_uri", look_alike}}));
    CHECK(token.status == 400);
    CHECK(nlohmann::json::parse(token.body)["error"] == "invalid_grant");
}

TEST_CASE("dev IdP sign-in form: a malformed form or a refused sign-in answers 400 with the problem",
          "[s2][dev_idp_routes]") {
    DevIdpRoutesFixture f;
    check_idp_page(f.post("/oauth2/authorize", "email=%zz"), 400, "<!doctype html><p>Malformed form.</p>\n");
    const auto form =
        url::encode_pairs({{"client_id", k_routes_client}, {"redirect_uri", k_routes_redirect}, {"email", "<nope>"}});
    const auto refused = f.post("/oauth2/authorize", form);
    CHECK(refused.status == 400);
    CHECK(refused.headers.at("Content-Security-Policy") == k_routes_page_csp);
    CHECK_THAT(refused.body, Catch::Contains("<p class=\"problem\" id=\"problem\">enter an email address</p>"));
    CHECK_THAT(refused.body, Catch::Contains("value=\"&lt;nope&gt;\""));
}

TEST_CASE("dev IdP /oauth2/token answers OAuth errors (RFC 6749 5.2)", "[s2][dev_idp_routes]") {
    DevIdpRoutesFixture f;
    check_idp_json(f.post("/oauth2/token", "grant_type=%zz"), 400,
                   {{"error", "invalid_request"}, {"error_description", "malformed form body"}});
    check_idp_json(f.post("/oauth2/token", "grant_type=password"), 400,
                   {{"error", "unsupported_grant_type"},
                    {"error_description", "grant_type must be authorization_code or refresh_token"}});
    const auto refused = f.post("/oauth2/token", url::encode_pairs({{"grant_type", "refresh_token"},
                                                                    {"client_id", k_routes_client},
                                                                    {"refresh_token", "not-a-token"}}));
    CHECK(refused.status == 400);
    const auto body = nlohmann::json::parse(refused.body);
    CHECK(body["error"] == "invalid_grant");
    CHECK(body["error_description"].is_string());
    CHECK(body.size() == 2);
}

TEST_CASE("dev IdP /oauth2/token answers a bare server_error when its store fails", "[s2][dev_idp_routes]") {
    DevIdpRoutesFixture f;
    const auto form = url::encode_pairs({{"grant_type", "authorization_code"},
                                         {"client_id", k_routes_client},
                                         {"code", f.code()},
                                         {"redirect_uri", k_routes_redirect}});
    f.store.failing = true;
    check_idp_json(f.post("/oauth2/token", form), 500, {{"error", "server_error"}});
    f.store.failing = false;
    CHECK(f.post("/oauth2/token", form).status == 200);
}

TEST_CASE("dev IdP InitiateAuth answers Cognito's error types", "[s2][dev_idp_routes]") {
    DevIdpRoutesFixture f;
    check_cognito_error(f.initiate_auth("{}", "AWSCognitoIdentityProviderService.SignUp"), "InvalidAction",
                        "only InitiateAuth is supported");
    check_cognito_error(f.initiate_auth("[1]", k_initiate_auth), "SerializationException", "body is not a JSON object");
    check_cognito_error(f.initiate_auth(R"({"AuthFlow":"USER_PASSWORD_AUTH"})", k_initiate_auth),
                        "InvalidParameterException", "only REFRESH_TOKEN_AUTH is supported");
    const nlohmann::json refresh{{"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                 {"ClientId", k_routes_client},
                                 {"AuthParameters", {{"REFRESH_TOKEN", "nope"}}}};
    check_cognito_error(f.initiate_auth(refresh.dump(), k_initiate_auth), "NotAuthorizedException",
                        "Invalid Refresh Token");
}
