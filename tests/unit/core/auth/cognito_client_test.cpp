#include "core/auth/cognito_client.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"
#include "core/jose/jwks.hpp"
#include "core/http/url.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/test_keys.hpp"

using namespace otts;

namespace {

using otts::test::rsa_key;

constexpr const char* k_jwks_path = "/us-east-1_Pool/.well-known/jwks.json";
constexpr const char* k_cognito_client = "client-123";

// An HttpClient that records what it is sent and answers from a queue (an error when empty).
class ScriptedHttp final : public HttpClient {
public:
    std::vector<http::Request> requests;

    Result<http::Response> send(const http::Request& request) override {
        requests.push_back(request);
        if (m_replies.empty()) return make_error(ErrorCode::internal, "no scripted reply");
        auto reply = std::move(m_replies.front());
        m_replies.pop_front();
        return reply;
    }

    void reply(int status, std::string body) {
        http::Response r;
        r.status = status;
        r.body = std::move(body);
        m_replies.emplace_back(std::move(r));
    }
    void fail(ErrorCode code) { m_replies.emplace_back(make_error(code, "connection refused")); }

private:
    std::deque<Result<http::Response>> m_replies;
};

std::string jwks_with(std::initializer_list<const char*> kids) {
    jwt::KeySet keys;
    for (const char* kid : kids) keys.push_back(jwt::Key::rs256(rsa_key(), kid).value());
    return jwks_document(keys);
}

bool has_kid(const jwt::KeySet& keys, const std::string& kid) {
    return std::any_of(keys.begin(), keys.end(), [&](const jwt::Key& k) { return k.kid == kid; });
}

struct CognitoFixture {
    test::FakeClock clock;
    ScriptedHttp domain;
    ScriptedHttp api;
    ScriptedHttp jwks;
    CognitoClient client;

    explicit CognitoFixture(std::string secret = "")
        : client(CognitoEndpoints{&domain, &api, &jwks, k_jwks_path, k_cognito_client, std::move(secret)}, clock) {}

    jwt::KeySet keys(const char* kid) {
        auto k = client.signing_keys(kid);
        REQUIRE(k);
        return *k;
    }
};

http::Params form_of(const http::Request& request) {
    auto form = url::decode_pairs(request.body);
    REQUIRE(form);
    return *form;
}

const char* k_token_answer = R"({"access_token":"AT","id_token":"IT","refresh_token":"RT","token_type":"Bearer"})";
const char* k_initiate_answer = R"({"AuthenticationResult":{"AccessToken":"AT2","IdToken":"IT2","ExpiresIn":3600}})";

}  // namespace

TEST_CASE("cognito client fetches the JWKS once an hour", "[s2][cognito]") {
    CognitoFixture f;
    f.jwks.reply(200, jwks_with({"kid-a"}));
    CHECK(has_kid(f.keys("kid-a"), "kid-a"));
    REQUIRE(f.jwks.requests.size() == 1);
    CHECK(f.jwks.requests[0].method == "GET");
    CHECK(f.jwks.requests[0].path == k_jwks_path);
    f.clock.advance(3599);
    CHECK(has_kid(f.keys("kid-a"), "kid-a"));
    CHECK(f.jwks.requests.size() == 1);
    f.clock.advance(1);
    f.jwks.reply(200, jwks_with({"kid-c"}));
    CHECK(has_kid(f.keys("kid-a"), "kid-c"));  // the new document replaces the old
    CHECK(f.jwks.requests.size() == 2);
    CHECK(f.domain.requests.empty());
    CHECK(f.api.requests.empty());
}

TEST_CASE("cognito client refetches the JWKS for an unknown kid, at most once a minute", "[s2][cognito]") {
    CognitoFixture f;
    f.jwks.reply(200, jwks_with({"kid-a"}));
    f.keys("kid-a");
    // Within the first minute an unknown kid gets the cached keys without a fetch.
    f.clock.advance(59);
    CHECK_FALSE(has_kid(f.keys("kid-b"), "kid-b"));
    CHECK(f.jwks.requests.size() == 1);
    // After it, the rotation is picked up.
    f.clock.advance(1);
    f.jwks.reply(200, jwks_with({"kid-a", "kid-b"}));
    CHECK(has_kid(f.keys("kid-b"), "kid-b"));
    CHECK(f.jwks.requests.size() == 2);
    // A stream of bogus kids: one fetch, then none for 60 s.
    f.clock.advance(60);
    f.jwks.reply(200, jwks_with({"kid-a", "kid-b"}));
    CHECK_FALSE(has_kid(f.keys("bogus-1"), "bogus-1"));
    CHECK(f.jwks.requests.size() == 3);
    f.clock.advance(30);
    CHECK_FALSE(has_kid(f.keys("bogus-2"), "bogus-2"));
    f.clock.advance(29);
    CHECK_FALSE(has_kid(f.keys("bogus-3"), "bogus-3"));
    CHECK(f.jwks.requests.size() == 3);
    f.clock.advance(1);
    f.jwks.reply(200, jwks_with({"kid-a", "kid-b"}));
    f.keys("bogus-4");
    CHECK(f.jwks.requests.size() == 4);
}

TEST_CASE("cognito client keeps serving fresh cached keys when a JWKS refetch fails", "[s2][cognito]") {
    CognitoFixture f;
    f.jwks.reply(200, jwks_with({"kid-a"}));
    f.keys("kid-a");
    f.clock.advance(61);
    f.jwks.reply(503, "unavailable");
    CHECK(has_kid(f.keys("kid-b"), "kid-a"));
    f.clock.advance(61);
    f.jwks.fail(ErrorCode::endpoint_unreachable);
    CHECK(has_kid(f.keys("kid-b"), "kid-a"));
    CHECK(f.jwks.requests.size() == 3);
    // Past the hour the cache is no longer served.
    f.clock.advance(3600);
    f.jwks.reply(500, R"({"message":"boom"})");
    auto stale = f.client.signing_keys("kid-a");
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == ErrorCode::server_error);
}

// BUG: a failed refetch does not update the fetch time, so while the IdP is failing every
// request naming an unknown kid fetches the JWKS again (each with the lock held), which the
// "at most once a minute" contract is there to prevent.
TEST_CASE("cognito client counts a failed JWKS refetch against the once-a-minute limit", "[s2][cognito]") {
    CognitoFixture f;
    f.jwks.reply(200, jwks_with({"kid-a"}));
    f.keys("kid-a");
    f.clock.advance(61);
    f.jwks.fail(ErrorCode::endpoint_unreachable);
    f.keys("bogus-1");
    REQUIRE(f.jwks.requests.size() == 2);
    f.clock.advance(1);
    f.jwks.fail(ErrorCode::endpoint_unreachable);
    f.keys("bogus-2");
    f.keys("bogus-3");
    CHECK(f.jwks.requests.size() == 2);
}

TEST_CASE("cognito client passes JWKS errors through when it has no keys", "[s2][cognito]") {
    CognitoFixture f;
    f.jwks.fail(ErrorCode::endpoint_unreachable);
    auto unreachable = f.client.signing_keys("kid-a");
    REQUIRE_FALSE(unreachable);
    CHECK(unreachable.error().code == ErrorCode::endpoint_unreachable);
    f.jwks.reply(502, "bad gateway");
    auto down = f.client.signing_keys("kid-a");
    REQUIRE_FALSE(down);
    CHECK(down.error().code == ErrorCode::server_error);
    f.jwks.reply(200, "not json");
    CHECK_FALSE(f.client.signing_keys("kid-a"));
    // A later success fills the cache.
    f.jwks.reply(200, jwks_with({"kid-a"}));
    CHECK(has_kid(f.keys("kid-a"), "kid-a"));
    CHECK(f.jwks.requests.size() == 4);
}

TEST_CASE("cognito client exchange_code posts the form to /oauth2/token", "[s2][cognito]") {
    CognitoFixture f;
    f.domain.reply(200, k_token_answer);
    auto tokens = f.client.exchange_code("the/code+1", "http://localhost:3000/auth/callback", "verifier-xyz");
    REQUIRE(tokens);
    CHECK(tokens->access_token == "AT");
    CHECK(tokens->id_token == "IT");
    CHECK(tokens->refresh_token == "RT");
    REQUIRE(f.domain.requests.size() == 1);
    const auto& request = f.domain.requests[0];
    CHECK(request.method == "POST");
    CHECK(request.path == "/oauth2/token");
    CHECK(request.header("Content-Type") == "application/x-www-form-urlencoded");
    CHECK(form_of(request) == http::Params{{"grant_type", "authorization_code"},
                                           {"client_id", k_cognito_client},
                                           {"code", "the/code+1"},
                                           {"redirect_uri", "http://localhost:3000/auth/callback"},
                                           {"code_verifier", "verifier-xyz"}});
    CHECK(request.body.find("client_secret") == std::string::npos);
    CHECK(f.api.requests.empty());
    CHECK(f.jwks.requests.empty());
}

TEST_CASE("cognito client exchange_code sends client_secret only when configured, code_verifier only when given",
          "[s2][cognito]") {
    CognitoFixture f("s3cr3t&=");
    f.domain.reply(200, R"({"access_token":"AT","id_token":"IT"})");
    auto tokens = f.client.exchange_code("c", "https://app.example.com/auth/callback", std::nullopt);
    REQUIRE(tokens);
    CHECK_FALSE(tokens->refresh_token.has_value());
    REQUIRE(f.domain.requests.size() == 1);
    CHECK(form_of(f.domain.requests[0]) == http::Params{{"grant_type", "authorization_code"},
                                                        {"client_id", k_cognito_client},
                                                        {"code", "c"},
                                                        {"redirect_uri", "https://app.example.com/auth/callback"},
                                                        {"client_secret", "s3cr3t&="}});
}

TEST_CASE("cognito client exchange_code maps the IdP's refusals and faults", "[s2][cognito]") {
    CognitoFixture f;
    f.domain.reply(400, R"({"error":"invalid_grant"})");
    auto refused = f.client.exchange_code("c", "http://localhost/cb", std::nullopt);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::invalid_token);
    CHECK(refused.error().message() == "invalid_grant");

    f.domain.reply(400, R"({"error":"invalid_grant","error_description":"code expired"})");
    auto described = f.client.exchange_code("c", "http://localhost/cb", std::nullopt);
    REQUIRE_FALSE(described);
    CHECK(described.error().message() == "code expired");

    f.domain.reply(503, "<html>down</html>");
    auto down = f.client.exchange_code("c", "http://localhost/cb", std::nullopt);
    REQUIRE_FALSE(down);
    CHECK(down.error().code == ErrorCode::server_error);

    f.domain.fail(ErrorCode::endpoint_unreachable);
    auto unreachable = f.client.exchange_code("c", "http://localhost/cb", std::nullopt);
    REQUIRE_FALSE(unreachable);
    CHECK(unreachable.error().code == ErrorCode::endpoint_unreachable);

    for (const char* body :
         {R"({"access_token":"AT"})", R"({"id_token":"IT"})", R"({"access_token":"","id_token":"IT"})",
          R"({"access_token":1,"id_token":"IT"})", "[]", "not json"}) {
        INFO(body);
        f.domain.reply(200, body);
        auto missing = f.client.exchange_code("c", "http://localhost/cb", std::nullopt);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == ErrorCode::server_error);
    }
}

TEST_CASE("cognito client refresh calls InitiateAuth REFRESH_TOKEN_AUTH without SECRET_HASH for a public client",
          "[s2][cognito]") {
    CognitoFixture f;
    f.api.reply(200, k_initiate_answer);
    auto tokens = f.client.refresh("refresh-tok", "user-1");
    REQUIRE(tokens);
    CHECK(tokens->access_token == "AT2");
    CHECK(tokens->id_token == "IT2");
    CHECK_FALSE(tokens->refresh_token.has_value());
    REQUIRE(f.api.requests.size() == 1);
    const auto& request = f.api.requests[0];
    CHECK(request.method == "POST");
    CHECK(request.path == "/");
    CHECK(request.header("X-Amz-Target") == "AWSCognitoIdentityProviderService.InitiateAuth");
    CHECK(request.header("Content-Type") == "application/x-amz-json-1.1");
    CHECK(nlohmann::json::parse(request.body) ==
          nlohmann::json{{"AuthFlow", "REFRESH_TOKEN_AUTH"},
                         {"ClientId", k_cognito_client},
                         {"AuthParameters", {{"REFRESH_TOKEN", "refresh-tok"}}}});
    CHECK(f.domain.requests.empty());
}

TEST_CASE("cognito client refresh sends SECRET_HASH = base64(HMAC(secret, username + client_id))", "[s2][cognito]") {
    CognitoFixture f("client-secret");
    f.api.reply(200, R"({"AuthenticationResult":{"AccessToken":"A","IdToken":"I","RefreshToken":"R"}})");
    auto tokens = f.client.refresh("refresh-tok", "user-1");
    REQUIRE(tokens);
    CHECK(tokens->refresh_token == "R");
    REQUIRE(f.api.requests.size() == 1);
    const auto params = nlohmann::json::parse(f.api.requests[0].body)["AuthParameters"];
    const auto expected = base64_encode(crypto::hmac_sha256("client-secret", std::string("user-1") + k_cognito_client));
    CHECK(params == nlohmann::json{{"REFRESH_TOKEN", "refresh-tok"}, {"SECRET_HASH", expected}});
    // Standard base64 with padding, as Cognito wants: 32 bytes are 44 characters ending in '='.
    CHECK(expected.size() == 44);
    CHECK(expected.back() == '=');
}

TEST_CASE("cognito client refresh maps NotAuthorizedException to invalid_token with its message", "[s2][cognito]") {
    CognitoFixture f;
    f.api.reply(400, R"({"__type":"NotAuthorizedException","message":"Refresh Token has been revoked"})");
    auto revoked = f.client.refresh("r", "u");
    REQUIRE_FALSE(revoked);
    CHECK(revoked.error().code == ErrorCode::invalid_token);
    CHECK(revoked.error().message() == "Refresh Token has been revoked");

    f.api.reply(400, R"({"__type":"NotAuthorizedException"})");
    auto typed = f.client.refresh("r", "u");
    REQUIRE_FALSE(typed);
    CHECK(typed.error().message() == "NotAuthorizedException");

    f.api.reply(403, "");
    auto bare = f.client.refresh("r", "u");
    REQUIRE_FALSE(bare);
    CHECK(bare.error().code == ErrorCode::invalid_token);
    CHECK(bare.error().message() == "HTTP 403");
}

TEST_CASE("cognito client refresh maps 5xx to server_error and passes transport errors through", "[s2][cognito]") {
    CognitoFixture f;
    f.api.reply(500, R"({"__type":"InternalErrorException","message":"oops"})");
    auto down = f.client.refresh("r", "u");
    REQUIRE_FALSE(down);
    CHECK(down.error().code == ErrorCode::server_error);
    CHECK_THAT(down.error().message(), Catch::Contains("oops"));

    f.api.fail(ErrorCode::endpoint_unreachable);
    auto unreachable = f.client.refresh("r", "u");
    REQUIRE_FALSE(unreachable);
    CHECK(unreachable.error().code == ErrorCode::endpoint_unreachable);
}

TEST_CASE("cognito client refresh answers server_error for a 200 without tokens", "[s2][cognito]") {
    CognitoFixture f;
    for (const char* body :
         {R"({"AuthenticationResult":{"AccessToken":"A"}})", R"({"AuthenticationResult":{"IdToken":"I"}})",
          R"({"AuthenticationResult":{"AccessToken":"","IdToken":"I"}})", "not json", "[1]"}) {
        INFO(body);
        f.api.reply(200, body);
        auto r = f.client.refresh("r", "u");
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::server_error);
    }
    // A challenge instead of a result is a refusal of this flow, not a fault.
    f.api.reply(200, R"({"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s"})");
    auto challenged = f.client.refresh("r", "u");
    REQUIRE_FALSE(challenged);
    CHECK(challenged.error().code == ErrorCode::invalid_token);
}
