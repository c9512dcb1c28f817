#include "core/jose/jwks.hpp"

#include <catch2/catch.hpp>

#include "tests/support/test_keys.hpp"
#include "tests/support/fake_clock.hpp"

using namespace otts;
using crypto::PKey;
using nlohmann::json;

namespace {

using otts::test::k_now;

const PKey& key1() { return otts::test::rsa_key(); }
const PKey& key2() { return otts::test::other_rsa_key(); }

jwt::KeySet signers() { return {jwt::Key::rs256(key1(), "k1").value(), jwt::Key::rs256(key2(), "k2").value()}; }

std::string token_for(const PKey& key, std::string kid) {
    return jwt::encode(json{{"sub", "u"}, {"exp", k_now + 60}}, jwt::Key::rs256(key, std::move(kid)).value()).value();
}

// A Cognito-shaped entry for the openssl-made key of tests/support/test_keys.hpp.
json cognito_entry(std::string kid) {
    return {{"alg", "RS256"},         {"e", "AQAB"}, {"kid", std::move(kid)}, {"kty", "RSA"},
            {"n", test::k_rsa2048_n}, {"use", "sig"}};
}

ErrorCode code_of(const Result<jwt::KeySet>& r) { return r.ok() ? ErrorCode::internal : r.error().code; }

}  // namespace

TEST_CASE("jwks_document publishes public RS256 keys in Cognito's member order", "[jwks]") {
    const std::string text = jwks_document(signers());
    const auto doc = json::parse(text);
    REQUIRE(doc["keys"].size() == 2);
    const auto& first = doc["keys"][0];
    CHECK(first == json{{"alg", "RS256"},
                        {"e", "AQAB"},
                        {"kid", "k1"},
                        {"kty", "RSA"},
                        {"n", json::parse(key1().public_jwk())["n"]},
                        {"use", "sig"}});
    CHECK(doc["keys"][1]["kid"] == "k2");
    CHECK(text.rfind(R"({"keys":[{"alg":"RS256","e":"AQAB","kid":"k1","kty":"RSA","n":")", 0) == 0);
    CHECK(text.find("\"d\"") == std::string::npos);
    CHECK(text.find("PRIVATE") == std::string::npos);
}

TEST_CASE("jwks_document leaves out HS256 and ES256 keys and empty kids", "[jwks]") {
    const jwt::KeySet mixed{jwt::Key::hs256(std::string(32, 's'), "h").value(),
                            jwt::Key::es256(PKey::generate_p256().value(), "e").value(),
                            jwt::Key::rs256(key1()).value()};
    const auto doc = json::parse(jwks_document(mixed));
    REQUIRE(doc["keys"].size() == 1);
    CHECK_FALSE(doc["keys"][0].contains("kid"));
    CHECK(jwks_document({}) == R"({"keys":[]})");
}

TEST_CASE("keys_from_jwks reads back what jwks_document wrote", "[jwks]") {
    const auto keys = keys_from_jwks(jwks_document(signers()));
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 2);
    CHECK((*keys)[0].kid == "k1");
    CHECK((*keys)[1].kid == "k2");
    for (const auto& key : *keys) {
        CHECK(key.alg == jwt::Alg::RS256);
        REQUIRE(key.pkey.has_value());
        CHECK_FALSE(key.pkey->has_private());
    }
    CHECK((*keys)[0].pkey->public_jwk() == key1().public_jwk());
    CHECK(jwt::verify(token_for(key1(), "k1"), *keys, {k_now}).ok());
    CHECK(jwt::verify(token_for(key2(), "k2"), *keys, {k_now}).ok());
}

TEST_CASE("a Cognito JWKS verifies a token made by openssl for its kid", "[jwks]") {
    // The token of jwt_test's openssl case: kid rsa1, sub cognito-user, exp 4102444800.
    const std::string token =
        "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYTEiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6ImNvZ25pdG8tdXNlciJ9."
        "vThljUtAvapzrgEnhXCdmaBoZ1zvvoXupfAMAipQyrs2JdPR4vzuhx98d4GpJevWfr3L-wL9Vm0P77wU9N_4zizbpcBmtsX47F-mmVaUMMvi2-"
        "7F9Gj91_ZiI3s9WjLkHdOWfD2_2F1XZEUrxMBlfWJoo06-mQDGG39jqjtc2eKcBshoIXVWch3dwwXMYuiE3joYheJh8IMT5gfT9hojEhWNeZhI"
        "5y3Ry04XaccQsAExNDYzqOZmr5P7QkzyOkg-NfwXv_"
        "FhScHep3XpjUHgARMDd69nU12U2rN8REEi2IF3S4IweqsxFMB7dzY7R4xku0o3SnYT5thc"
        "s8ShOW5How";
    const json other = json::parse(jwks_document({jwt::Key::rs256(key1(), "other").value()}))["keys"][0];
    const auto keys = keys_from_jwks(json{{"keys", json::array({other, cognito_entry("rsa1")})}}.dump());
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 2);
    const auto payload = jwt::verify(token, *keys, {k_now});
    REQUIRE(payload.ok());
    CHECK((*payload)["sub"] == "cognito-user");
    const auto renamed = keys_from_jwks(json{{"keys", json::array({cognito_entry("rsa2")})}}.dump());
    CHECK(jwt::verify(token, renamed.value(), {k_now}).error().detail == "no key with kid 'rsa1'");
}

TEST_CASE("a token with kid k2 verifies only against the key named k2", "[jwks]") {
    const auto keys = keys_from_jwks(jwks_document(signers())).value();
    CHECK(jwt::verify(token_for(key2(), "k2"), keys, {k_now}).ok());
    // Signed by k2's key but claiming k1: checked against k1 only, so it fails.
    CHECK(jwt::verify(token_for(key2(), "k1"), keys, {k_now}).error().detail == "signature does not verify");
    CHECK(jwt::verify(token_for(key2(), "k3"), keys, {k_now}).error().detail == "no key with kid 'k3'");
    // The set with the kids swapped rejects the genuine token.
    const auto swapped =
        keys_from_jwks(jwks_document({jwt::Key::rs256(key1(), "k2").value(), jwt::Key::rs256(key2(), "k1").value()}))
            .value();
    CHECK_FALSE(jwt::verify(token_for(key2(), "k2"), swapped, {k_now}).ok());
    // A token without a kid is tried against every RS256 key.
    CHECK(jwt::verify(token_for(key2(), ""), keys, {k_now}).ok());
}

TEST_CASE("keys_from_jwks skips keys that are not RS256 signing keys", "[jwks]") {
    const json good = cognito_entry("good");
    auto with = [](const char* member, json value) {
        json entry = cognito_entry("skipped");
        entry[member] = std::move(value);
        return entry;
    };
    json no_alg_no_use = cognito_entry("bare");
    no_alg_no_use.erase("alg");
    no_alg_no_use.erase("use");
    json no_kid = cognito_entry("");
    no_kid.erase("kid");
    const json entries = {
        42,
        "text",
        json::array(),
        json{{"kty", "EC"},
             {"crv", "P-256"},
             {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
             {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
             {"kid", "ec"}},
        json{{"kty", "oct"}, {"k", "c2VjcmV0"}, {"kid", "oct"}},
        with("kty", "rsa"),
        with("use", "enc"),
        with("use", 1),
        with("alg", "RS512"),
        with("alg", "PS256"),
        with("alg", "none"),
        with("key_ops", json::array({"encrypt"})),
        with("key_ops", "verify"),
        with("kid", 7),
        with("n", "AQAB"),            // far too short
        with("n", 12),                // not a string
        with("n", "not base64url!"),  // not base64url
        with("e", "AQ"),              // e = 1
        json{{"kty", "RSA"}, {"n", test::k_rsa2048_n}, {"kid", "no-e"}},
        good,
        with("key_ops", json::array({"sign", "verify"})),
        no_alg_no_use,
        no_kid,
    };
    const auto keys = keys_from_jwks(json{{"keys", entries}}.dump());
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 4);
    CHECK((*keys)[0].kid == "good");
    CHECK((*keys)[1].kid == "skipped");  // the one with key_ops [sign, verify]
    CHECK((*keys)[2].kid == "bare");
    CHECK((*keys)[3].kid.empty());
}

TEST_CASE("a private member in a JWKS entry is ignored: the key only verifies", "[jwks]") {
    json entry = cognito_entry("k");
    entry["d"] = "AQAB";
    const auto keys = keys_from_jwks(json{{"keys", json::array({entry})}}.dump());
    REQUIRE(keys.ok());
    CHECK_FALSE(keys->front().pkey->has_private());
    CHECK(jwt::encode(json{{"exp", 1}}, keys->front()).error().code == ErrorCode::key_error);
}

TEST_CASE("keys_from_jwks rejects malformed documents and sets with no usable key", "[jwks]") {
    for (const char* text : {"", "{", "not json", "null", "[]", "[{\"keys\":[]}]", "{\"keys\":{}}", "{\"keys\":\"x\"}",
                             "{\"key\":[]}", "{\"keys\":[]}", "{\"keys\":[1,2]}", "{\"keys\":[{\"kty\":\"EC\"}]}"}) {
        INFO("document " << text);
        CHECK(code_of(keys_from_jwks(text)) == ErrorCode::key_error);
    }
    const auto none = keys_from_jwks(R"({"keys":[{"kty":"RSA","use":"enc"}]})");
    CHECK(none.error().detail == "JWKS has no usable RS256 signing key");
    CHECK(keys_from_jwks("{").error().detail == "JWKS is not valid JSON");
}
