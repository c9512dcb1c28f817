#include "core/auth/dev_idp.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "adapters/sqlite_store.hpp"
#include "core/jose/jwks.hpp"
#include "core/auth/pkce.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"
#include "tests/support/sqlite_fixture.hpp"
#include "tests/support/test_keys.hpp"

using namespace otts;

namespace {

using otts::test::open_memory;

constexpr const char* k_base_url = "http://127.0.0.1:8080";
constexpr const char* k_issuer = "https://cognito-idp.us-west-2.amazonaws.com/local_otts";
constexpr const char* k_dev_client = "dev-client";
constexpr const char* k_redirect = "http://localhost:3000/auth/callback";
const std::string k_verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

const jwt::Key& idp_key() {
    static const jwt::Key key = jwt::Key::rs256(test::rsa_key(), "dev-idp-test").value();
    return key;
}

const jwt::Key& other_key() {
    static const jwt::Key key = [] {
        auto k = jwt::Key::hs256(std::string(32, 'k'), "dev-idp-test");
        REQUIRE(k);
        return *k;
    }();
    return key;
}

DevIdpConfig config() {
    DevIdpConfig c;
    c.base_url = k_base_url;
    c.issuer = k_issuer;
    c.client_id = k_dev_client;
    c.redirect_uris = {k_redirect, "https://app.example.com/auth/callback"};
    return c;
}

SignInRequest good_request() {
    SignInRequest r;
    r.client_id = k_dev_client;
    r.redirect_uri = k_redirect;
    r.code_challenge = pkce_challenge(k_verifier);
    r.code_challenge_method = "S256";
    r.scope = "openid email";
    r.email = "Dev@Example.com";
    r.groups = {"admin", "editors"};
    return r;
}

struct IdpFixture {
    test::FakeClock clock;
    test::SeededRandom random;
    std::unique_ptr<SqliteStore> sqlite = open_memory();
    DevIdp idp{config(), idp_key(), *sqlite, clock, random};

    std::string code(const SignInRequest& request = good_request()) {
        auto c = idp.sign_in(request);
        REQUIRE(c);
        return *c;
    }

    IdpTokens tokens() {
        auto t = idp.code_grant(k_dev_client, code(), k_redirect, k_verifier);
        REQUIRE(t);
        return *t;
    }

    // The claims of a token signed by the key the JWKS publishes.
    nlohmann::json verified(const std::string& token) const {
        auto keys = keys_from_jwks(idp.jwks());
        REQUIRE(keys);
        auto claims = jwt::verify(token, *keys, {.now = clock.now(), .leeway = 0});
        REQUIRE(claims);
        return *claims;
    }
};

void check_refused(const Result<IdpTokens>& r) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_token);
}

void check_bad_request(const Result<std::string>& r, const std::string& fragment) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::bad_request);
    CHECK_THAT(r.error().message(), Catch::Contains(fragment));
}

}  // namespace

TEST_CASE("dev IdP sign_in refuses an unknown client_id", "[s2][dev_idp]") {
    IdpFixture f;
    auto r = good_request();
    r.client_id = "another-client";
    check_bad_request(f.idp.sign_in(r), "client_id");
    r.client_id = "";
    check_bad_request(f.idp.sign_in(r), "client_id");
}

TEST_CASE("dev IdP sign_in allows the registered redirect_uris only, compared exactly", "[s2][dev_idp]") {
    IdpFixture f;
    for (const char* uri : {k_redirect, "https://app.example.com/auth/callback"}) {
        INFO(uri);
        auto r = good_request();
        r.redirect_uri = uri;
        CHECK(f.idp.sign_in(r));
        CHECK(f.idp.redirect_allowed(uri));
    }
    // Look-alikes of a registered URI (prefix, port, path, case, query), other loopback URLs
    // and other pages of a registered origin.
    for (const char* uri :
         {"http://localhost:3000.evil.example/", "http://localhost:3000.evil.example/auth/callback",
          "https://localhost:3000.evil.example/", "http://localhost:3000/auth/callback.evil",
          "http://localhost:3000/auth/callback/", "http://localhost:3000/auth/callback?x=1",
          "http://localhost:3000/auth/callback#x", "http://localhost:30000/auth/callback",
          "http://LOCALHOST:3000/auth/callback", "http://localhost:3000@evil.example/auth/callback",
          "http://127.0.0.1:9/cb", "http://[::1]:5173/x", "http://localhost/", "https://app.example.com/other",
          "https://app.example.com.evil.example/auth/callback", "https://evil.example/cb", "javascript:alert(1)", ""}) {
        INFO(uri);
        auto r = good_request();
        r.redirect_uri = uri;
        check_bad_request(f.idp.sign_in(r), "redirect_uri");
        CHECK_FALSE(f.idp.redirect_allowed(uri));
    }
}

TEST_CASE("dev IdP sign_in wants an email-shaped address", "[s2][dev_idp]") {
    IdpFixture f;
    const std::string long_local(250, 'a');
    const std::vector<std::string> bad{
        "", "nope", "@example.com", "user@", "a b@example.com", "a@exam\nple.com", "a@b\x7f", long_local + "@b.co"};
    for (const auto& email : bad) {
        INFO(email);
        auto r = good_request();
        r.email = email;
        check_bad_request(f.idp.sign_in(r), "email");
    }
    const std::vector<std::string> good{"a@b", "first.last+tag@sub.example.org", long_local + "@b.c"};
    for (const auto& email : good) {
        INFO(email);
        auto r = good_request();
        r.email = email;
        CHECK(f.idp.sign_in(r));
    }
}

TEST_CASE("dev IdP sign_in accepts only S256 PKCE, or none", "[s2][dev_idp]") {
    IdpFixture f;
    auto r = good_request();
    for (const char* method : {"plain", "", "s256"}) {
        INFO(method);
        r.code_challenge_method = method;
        check_bad_request(f.idp.sign_in(r), "S256");
    }
    r.code_challenge.clear();
    r.code_challenge_method = "plain";  // no challenge: the method is not looked at
    CHECK(f.idp.sign_in(r));
}

TEST_CASE("dev IdP sign_in refuses empty, over-long or unprintable group names", "[s2][dev_idp]") {
    IdpFixture f;
    for (const auto& group : {std::string(), std::string(129, 'g'), std::string("a\tb"), std::string("x\x7f")}) {
        auto r = good_request();
        r.groups = {"ok", group};
        check_bad_request(f.idp.sign_in(r), "group");
    }
    auto r = good_request();
    r.groups = {std::string(128, 'g')};
    CHECK(f.idp.sign_in(r));
    r.groups = {};
    CHECK(f.idp.sign_in(r));
}

TEST_CASE("dev IdP code_grant with the right verifier gives Cognito-shaped tokens", "[s2][dev_idp]") {
    IdpFixture f;
    const auto tokens = f.tokens();
    const auto sub = dev_idp_sub("dev@example.com");

    const auto id = f.verified(tokens.id_token);
    CHECK(id["iss"] == k_issuer);
    CHECK(id["aud"] == k_dev_client);
    CHECK(id["token_use"] == "id");
    CHECK(id["email"] == "Dev@Example.com");
    CHECK(id["cognito:groups"] == nlohmann::json{"admin", "editors"});
    CHECK(id["cognito:username"] == sub);
    CHECK(id["sub"] == sub);
    CHECK(id["exp"] == f.clock.now() + DevIdp::k_token_ttl);

    const auto access = f.verified(tokens.access_token);
    CHECK(access["token_use"] == "access");
    CHECK(access["client_id"] == k_dev_client);
    CHECK(access["sub"] == sub);
    CHECK_FALSE(access.contains("aud"));

    REQUIRE(tokens.refresh_token);
    auto decoded = jwt::decode(tokens.id_token);
    REQUIRE(decoded);
    CHECK(decoded->header["kid"] == "dev-idp-test");
    CHECK(decoded->header["alg"] == "RS256");
}

TEST_CASE("dev IdP code_grant without groups leaves cognito:groups out", "[s2][dev_idp]") {
    IdpFixture f;
    auto r = good_request();
    r.groups = {};
    auto tokens = f.idp.code_grant(k_dev_client, f.code(r), k_redirect, k_verifier);
    REQUIRE(tokens);
    CHECK_FALSE(f.verified(tokens->id_token).contains("cognito:groups"));
}

TEST_CASE("dev IdP code_grant refuses a wrong or missing verifier, redirect_uri or client", "[s2][dev_idp]") {
    IdpFixture f;
    const auto code = f.code();
    check_refused(f.idp.code_grant(k_dev_client, code, k_redirect, std::string("wrong-verifier")));
    check_refused(f.idp.code_grant(k_dev_client, code, k_redirect, std::nullopt));
    check_refused(f.idp.code_grant(k_dev_client, code, k_redirect, pkce_challenge(k_verifier)));  // "plain" use
    check_refused(f.idp.code_grant(k_dev_client, code, "http://localhost:3000/auth/callback/", k_verifier));
    check_refused(f.idp.code_grant(k_dev_client, code, "http://127.0.0.1:3000/auth/callback", k_verifier));
    check_refused(f.idp.code_grant("another-client", code, k_redirect, k_verifier));
    // None of the refusals above burnt the code.
    CHECK(f.idp.code_grant(k_dev_client, code, k_redirect, k_verifier));
}

TEST_CASE("dev IdP code_grant refuses a redirect_uri that is not registered, even the code's own", "[s2][dev_idp]") {
    IdpFixture f;
    // Another IdP with the same key and issuer but a look-alike URI registered (a registration
    // since removed): its code names that URI, and this IdP does not redeem it.
    auto loose = config();
    loose.redirect_uris.push_back("http://localhost:3000.evil.example/");
    DevIdp other{loose, idp_key(), *f.sqlite, f.clock, f.random};
    auto r = good_request();
    r.redirect_uri = "http://localhost:3000.evil.example/";
    const auto code = other.sign_in(r);
    REQUIRE(code);
    const auto refused = f.idp.code_grant(k_dev_client, *code, r.redirect_uri, k_verifier);
    check_refused(refused);
    CHECK_THAT(refused.error().message(), Catch::Contains("registered"));
    CHECK(other.code_grant(k_dev_client, *code, r.redirect_uri, k_verifier));
}

TEST_CASE("dev IdP codes are single use", "[s2][dev_idp]") {
    IdpFixture f;
    const auto code = f.code();
    REQUIRE(f.idp.code_grant(k_dev_client, code, k_redirect, k_verifier));
    auto second = f.idp.code_grant(k_dev_client, code, k_redirect, k_verifier);
    check_refused(second);
    CHECK_THAT(second.error().message(), Catch::Contains("already used"));
    // The same goes through the IdentityProvider interface.
    const auto other = f.code();
    IdentityProvider& port = f.idp;
    REQUIRE(port.exchange_code(other, k_redirect, k_verifier));
    check_refused(port.exchange_code(other, k_redirect, k_verifier));
}

TEST_CASE("dev IdP codes expire after 300 s", "[s2][dev_idp]") {
    IdpFixture f;
    const auto fresh = f.code();
    const auto stale = f.code();
    f.clock.advance(299);
    CHECK(f.idp.code_grant(k_dev_client, fresh, k_redirect, k_verifier));
    // The replay in the code's last second, and the stale code at exp, are both refused.
    check_refused(f.idp.code_grant(k_dev_client, fresh, k_redirect, k_verifier));
    f.clock.advance(1);
    check_refused(f.idp.code_grant(k_dev_client, stale, k_redirect, k_verifier));
    check_refused(f.idp.code_grant(k_dev_client, fresh, k_redirect, k_verifier));
}

TEST_CASE("dev IdP code without PKCE is redeemed without a verifier", "[s2][dev_idp]") {
    IdpFixture f;
    auto r = good_request();
    r.code_challenge.clear();
    r.code_challenge_method.clear();
    CHECK(f.idp.code_grant(k_dev_client, f.code(r), k_redirect, std::nullopt));
}

TEST_CASE("dev IdP refresh_grant gives new tokens and no new refresh token", "[s2][dev_idp]") {
    IdpFixture f;
    const auto first = f.tokens();
    f.clock.advance(3601);  // the id token has expired; the refresh token has not
    auto again = f.idp.refresh_grant(k_dev_client, *first.refresh_token);
    REQUIRE(again);
    CHECK_FALSE(again->refresh_token.has_value());
    CHECK(again->id_token != first.id_token);
    const auto id = f.verified(again->id_token);
    CHECK(id["sub"] == dev_idp_sub("dev@example.com"));
    CHECK(id["cognito:groups"] == nlohmann::json{"admin", "editors"});
    CHECK(id["exp"] == f.clock.now() + DevIdp::k_token_ttl);
    CHECK(f.verified(again->access_token)["token_use"] == "access");
    // Refresh tokens are not single use.
    CHECK(f.idp.refresh_grant(k_dev_client, *first.refresh_token));
    IdentityProvider& port = f.idp;
    CHECK(port.refresh(*first.refresh_token, "ignored"));
    check_refused(f.idp.refresh_grant("another-client", *first.refresh_token));
}

TEST_CASE("dev IdP refresh tokens expire after 30 days", "[s2][dev_idp]") {
    IdpFixture f;
    const auto first = f.tokens();
    f.clock.advance(DevIdp::k_refresh_ttl + 1);
    check_refused(f.idp.refresh_grant(k_dev_client, *first.refresh_token));
}

TEST_CASE("dev IdP takes no id, access or foreign token for a refresh token or a code", "[s2][dev_idp]") {
    IdpFixture f;
    const auto tokens = f.tokens();
    const auto code = f.code();
    nlohmann::json forged{{"iss", k_issuer},        {"aud", std::string(k_issuer) + "/oauth2/token"},
                          {"token_use", "refresh"}, {"client_id", k_dev_client},
                          {"email", "x@y"},         {"exp", f.clock.now() + 100}};
    const auto foreign = jwt::encode(forged, other_key()).value();
    for (const auto& token : {tokens.id_token, tokens.access_token, code, foreign, std::string("a.b.c")}) {
        check_refused(f.idp.refresh_grant(k_dev_client, token));
    }
    forged["token_use"] = "code";
    const auto foreign_code = jwt::encode(forged, other_key()).value();
    for (const auto& token : {tokens.id_token, tokens.access_token, *tokens.refresh_token, foreign_code}) {
        check_refused(f.idp.code_grant(k_dev_client, token, k_redirect, k_verifier));
    }
    // The real code is still good: none of the above touched it.
    CHECK(f.idp.code_grant(k_dev_client, code, k_redirect, k_verifier));
}

TEST_CASE("dev_idp_sub is a stable, UUID-shaped function of the email, case-insensitive", "[s2][dev_idp]") {
    const auto sub = dev_idp_sub("dev@example.com");
    CHECK(std::regex_match(sub, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
    CHECK(dev_idp_sub("dev@example.com") == sub);
    CHECK(dev_idp_sub("DEV@Example.COM") == sub);
    CHECK(dev_idp_sub("dev2@example.com") != sub);
    CHECK(dev_idp_sub("") != sub);
}

TEST_CASE("dev IdP signing_keys and the JWKS publish the one signing key", "[s2][dev_idp]") {
    IdpFixture f;
    auto keys = keys_from_jwks(f.idp.jwks());
    REQUIRE(keys);
    REQUIRE(keys->size() == 1);
    CHECK((*keys)[0].kid == "dev-idp-test");
    CHECK(f.idp.jwks().find("\"d\"") == std::string::npos);  // no private member
    auto own = f.idp.signing_keys("dev-idp-test");
    REQUIRE(own);
    CHECK(own->size() == 1);
    const auto doc = f.idp.openid_configuration();
    // Cognito's issuer, this server's endpoints.
    CHECK(doc["issuer"] == k_issuer);
    CHECK(doc["authorization_endpoint"] == std::string(k_base_url) + "/oauth2/authorize");
    CHECK(doc["token_endpoint"] == std::string(k_base_url) + "/oauth2/token");
    CHECK(doc["jwks_uri"] == std::string(k_base_url) + "/.well-known/jwks.json");
    CHECK(doc["code_challenge_methods_supported"] == nlohmann::json{"S256"});
}

TEST_CASE("cognito_issuer is a user pool's issuer URL, the prefix l42's auth.js requires", "[s2][dev_idp]") {
    CHECK(cognito_issuer("us-west-2", k_dev_idp_pool_id) == k_issuer);
    CHECK(cognito_issuer("eu-central-1", "eu-central-1_AbC") ==
          "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC");
}
