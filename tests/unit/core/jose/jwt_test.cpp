#include "core/jose/jwt.hpp"

#include <ctime>

#include <catch2/catch.hpp>

#include "core/encoding/base64.hpp"
#include "tests/support/test_keys.hpp"
#include "tests/support/vectors.hpp"
#include "tests/support/fake_clock.hpp"

using namespace otts;
using nlohmann::json;

namespace {

using otts::test::k_now;
const std::string k_hs_secret(32, 's');
const std::string k_other_secret(48, 'o');

// A token with exactly the given header and payload text, MACed with `secret`; lets tests
// build what encode() never would (duplicates, crit, odd types).
std::string hs_token(std::string_view header, std::string_view payload, const std::string& secret = k_hs_secret) {
    const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    return input + "." + base64url_encode(crypto::hmac_sha256(secret, input));
}

jwt::KeySet hs_keys(const std::string& secret = k_hs_secret, std::string kid = {}) {
    return {jwt::Key::hs256(secret, std::move(kid)).value()};
}

Result<json> verify_at(std::string_view token, UnixSeconds now, const jwt::KeySet& keys = hs_keys()) {
    return jwt::verify(token, keys, jwt::VerifyOptions{now});
}

ErrorCode code_of(const Result<json>& r) { return r.ok() ? ErrorCode::internal : r.error().code; }

json examples() {
    const auto dir = test::vectors_dir();
    return dir ? test::read_json(*dir / "jose/rfc7515_rfc7519_examples.json") : json();
}

const json& example(const json& doc, std::string_view id) {
    for (const auto& e : doc["examples"]) {
        if (e["id"] == id) return e;
    }
    throw std::runtime_error("no example " + std::string(id));
}

const std::string k_header = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace

TEST_CASE("RFC 7515 A.1 HS256 example verifies before its exp", "[jwt][rfc]") {
    const auto doc = examples();
    if (doc.is_null()) return;
    const auto& a1 = example(doc, "rfc7515-a1-hs256");
    const auto keys = hs_keys(hex_decode(a1["derived_key_hex"].get<std::string>()).value());
    const auto payload = verify_at(a1["compact"].get<std::string>(), 1300819380 - 60, keys);
    REQUIRE(payload.ok());
    CHECK(*payload == doc["payload_claims"]);
    CHECK(code_of(verify_at(a1["compact"].get<std::string>(), 1300819380 - 60)) == ErrorCode::invalid_token);
}

TEST_CASE("RFC 7515 A.3 ES256 example verifies with the RFC's JWK", "[jwt][rfc]") {
    const auto doc = examples();
    if (doc.is_null()) return;
    const auto& a3 = example(doc, "rfc7515-a3-es256");
    const auto pkey = crypto::PKey::from_jwk(a3["public_key_jwk"].dump()).value();
    const jwt::KeySet keys{jwt::Key::es256(pkey).value()};
    const auto payload = verify_at(a3["compact"].get<std::string>(), 1300819380, keys);
    REQUIRE(payload.ok());
    CHECK((*payload)["iss"] == "joe");
    // The same token offered to an HS256 verifier is refused: the key decides the algorithm.
    CHECK(code_of(verify_at(a3["compact"].get<std::string>(), 1300819380)) == ErrorCode::invalid_token);
}

TEST_CASE("RFC 7519 3.1 example is expired by the real clock and valid before its exp", "[jwt][rfc]") {
    const auto doc = examples();
    if (doc.is_null()) return;
    const auto& ex = example(doc, "rfc7519-3.1-jwt-hs256");
    const std::string token = ex["compact"];
    const auto keys = hs_keys(base64url_decode(ex["key_jwk"]["k"].get<std::string>()).value());
    const auto now = verify_at(token, std::time(nullptr), keys);
    REQUIRE_FALSE(now.ok());
    CHECK(now.error().code == ErrorCode::token_expired);
    CHECK(verify_at(token, 1300819380 - 3600, keys).ok());
}

TEST_CASE("RFC 7519 6.1 unsecured alg none token is rejected", "[jwt][rfc]") {
    const auto doc = examples();
    if (doc.is_null()) return;
    const std::string token = example(doc, "rfc7519-6.1-unsecured-jwt")["compact"];
    const auto es = jwt::Key::es256(crypto::PKey::generate_p256().value()).value();
    for (const auto& keys : {hs_keys(), jwt::KeySet{es}}) {
        const auto r = verify_at(token, 1300819380 - 60, keys);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::invalid_token);
        CHECK_THAT(r.error().detail, Catch::Contains("none"));
    }
    // Even with a signature appended, "none" is no algorithm otts knows.
    CHECK(code_of(verify_at(hs_token(R"({"alg":"none"})", R"({"exp":1700000100})"), k_now)) ==
          ErrorCode::invalid_token);
}

TEST_CASE("encode and verify round-trip HS256 with a kid", "[jwt]") {
    const auto key = jwt::Key::hs256(k_hs_secret, "k1").value();
    const json claims = {{"uuid", "123e4567-e89b-42d3-a456-426614174000"}, {"exp", k_now + 60}};
    const auto token = jwt::encode(claims, key);
    REQUIRE(token.ok());
    const auto decoded = jwt::decode(*token);
    REQUIRE(decoded.ok());
    CHECK(decoded->header == json{{"alg", "HS256"}, {"kid", "k1"}, {"typ", "JWT"}});
    CHECK(decoded->payload == claims);
    CHECK(decoded->signature == crypto::hmac_sha256(k_hs_secret, decoded->signing_input));
    const auto verified = jwt::verify(*token, {key}, {k_now});
    REQUIRE(verified.ok());
    CHECK(*verified == claims);
}

TEST_CASE("encode writes exactly what json::dump() writes, for every kind of value", "[jwt]") {
    const auto key = jwt::Key::hs256(k_hs_secret).value();
    const json claims = json::parse(R"({"exp":1700000060,"neg":-5,"big":18446744073709551615,"f":1.5,
        "s":"quote \" backslash \\ tab \t nul \u0000 del \u007f","u":"h\u00e9llo \ud83d\ude00","t":true,"n":null,
        "a":[1,[2,{}],[]],"o":{"z":{},"a":"b"}})");
    const auto token = jwt::encode(claims, key).value();
    const auto decoded = jwt::decode(token).value();
    CHECK(decoded.payload == claims);
    const auto first_dot = token.find('.');
    const auto payload_b64 = token.substr(first_dot + 1, token.rfind('.') - first_dot - 1);
    CHECK(base64url_decode(payload_b64) == claims.dump());
    CHECK(jwt::verify(token, {key}, {k_now}).value() == claims);
}

TEST_CASE("encode refuses invalid UTF-8, non-objects and unusable keys", "[jwt]") {
    const auto key = jwt::Key::hs256(k_hs_secret).value();
    CHECK_FALSE(jwt::encode(json{{"s", "\xff"}, {"exp", 1}}, key).ok());
    CHECK_FALSE(jwt::encode(json::array(), key).ok());
    CHECK_FALSE(jwt::Key::hs256(std::string(31, 's')).ok());
    const auto rsa_like = jwt::Key{jwt::Alg::RS256, {}, {}, std::nullopt};
    CHECK(jwt::encode(json{{"exp", 1}}, rsa_like).error().code == ErrorCode::key_error);
    const auto public_only = crypto::PKey::from_jwk(crypto::PKey::generate_p256()->public_jwk()).value();
    CHECK(jwt::encode(json{{"exp", 1}}, jwt::Key::es256(public_only).value()).error().code == ErrorCode::key_error);
}

TEST_CASE("parsed claims have the types nlohmann would give them", "[jwt]") {
    const std::string text =
        R"( { "exp" : 1700000060 , "u":1, "i":-1, "z":0, "big":123456789012345678901, "f":2.5e0, "e":"\u0041",
        "arr":[ true , false , null ], "deep":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]] } )";
    const auto payload = verify_at(hs_token(k_header, text), k_now);
    REQUIRE(payload.ok());
    CHECK(*payload == json::parse(text));
    CHECK((*payload)["u"].is_number_unsigned());
    CHECK((*payload)["i"].is_number_integer());
    CHECK_FALSE((*payload)["i"].is_number_unsigned());
    CHECK((*payload)["big"].is_number_float());
    CHECK((*payload)["e"] == "A");
}

TEST_CASE("verify rejects duplicate member names in header and payload", "[jwt]") {
    const std::string good = R"({"exp":1700000060,"sub":"a"})";
    REQUIRE(verify_at(hs_token(k_header, good), k_now).ok());
    const std::string payloads[] = {
        R"({"exp":1700000060,"sub":"a","sub":"b"})",         R"({"exp":1700000060,"exp":1800000000})",
        R"({"exp":1700000060,"\u0065xp":1800000000})",       R"({"exp":1700000060,"o":{"a":1,"a":2}})",
        R"({"exp":1700000060,"l":[{"a":1},{"b":1,"b":1}]})",
    };
    for (const auto& payload : payloads) {
        INFO(payload);
        const auto r = verify_at(hs_token(k_header, payload), k_now);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::invalid_token);
        CHECK_THAT(r.error().detail, Catch::Contains("duplicate"));
        CHECK_FALSE(jwt::decode(hs_token(k_header, payload)).ok());
    }
    CHECK(verify_at(hs_token(R"({"alg":"HS256","typ":"JWT","alg":"HS256"})", good), k_now).error().code ==
          ErrorCode::invalid_token);
    // The same name in different objects is fine.
    CHECK(verify_at(hs_token(k_header, R"({"exp":1700000060,"a":{"a":{"a":1}},"l":[{"a":1},{"a":2}]})"), k_now).ok());
}

TEST_CASE("verify rejects a token whose alg differs from the key's", "[jwt]") {
    const auto es_pkey = crypto::PKey::generate_p256().value();
    const jwt::KeySet es_keys{jwt::Key::es256(es_pkey).value()};
    const json claims = {{"exp", k_now + 60}};
    const auto hs_signed = jwt::encode(claims, hs_keys().front()).value();
    CHECK(code_of(verify_at(hs_signed, k_now, es_keys)) == ErrorCode::invalid_token);
    // The classic confusion: an HS256 token MACed with the ES256 public key's text.
    const auto forged = hs_token(k_header, claims.dump(), es_pkey.public_pem());
    const auto r = verify_at(forged, k_now, es_keys);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().detail, Catch::Contains("does not match"));
    // An ES256 token presented to HS256 keys.
    const auto es_signed = jwt::encode(claims, es_keys.front()).value();
    CHECK(code_of(verify_at(es_signed, k_now)) == ErrorCode::invalid_token);
    CHECK(verify_at(es_signed, k_now, es_keys).ok());
    // An alg otts does not know at all.
    CHECK(code_of(verify_at(hs_token(R"({"alg":"HS512"})", claims.dump()), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(hs_token(R"({"typ":"JWT"})", claims.dump()), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(hs_token(R"({"alg":["HS256"]})", claims.dump()), k_now)) == ErrorCode::invalid_token);
}

TEST_CASE("a kid selects its key; a token without kid tries every key of its alg", "[jwt]") {
    const auto a = jwt::Key::hs256(k_hs_secret, "a").value();
    const auto b = jwt::Key::hs256(k_other_secret, "b").value();
    const jwt::KeySet keys{a, b};
    const json claims = {{"exp", k_now + 60}};
    CHECK(verify_at(jwt::encode(claims, b).value(), k_now, keys).ok());
    CHECK(verify_at(jwt::encode(claims, a).value(), k_now, keys).ok());
    const auto unknown_kid = verify_at(hs_token(R"({"alg":"HS256","kid":"c"})", claims.dump()), k_now, keys);
    REQUIRE_FALSE(unknown_kid.ok());
    CHECK_THAT(unknown_kid.error().detail, Catch::Contains("kid"));
    // Signed by b but labelled a: only a is tried, so it fails.
    CHECK(code_of(verify_at(hs_token(R"({"alg":"HS256","kid":"a"})", claims.dump(), k_other_secret), k_now, keys)) ==
          ErrorCode::invalid_token);
    CHECK(verify_at(hs_token(k_header, claims.dump(), k_other_secret), k_now, keys).ok());
    CHECK(code_of(verify_at(hs_token(R"({"alg":"HS256","kid":7})", claims.dump()), k_now, keys)) ==
          ErrorCode::invalid_token);
    // A key without kid does not match a token that names one.
    CHECK(code_of(verify_at(hs_token(R"({"alg":"HS256","kid":"a"})", claims.dump()), k_now, hs_keys())) ==
          ErrorCode::invalid_token);
}

TEST_CASE("a previous key keeps verifying after rotation; a stranger's does not", "[jwt]") {
    const auto current = jwt::Key::hs256(k_hs_secret).value();
    const auto previous = jwt::Key::hs256(k_other_secret).value();
    const json claims = {{"exp", k_now + 60}};
    const auto old_token = jwt::encode(claims, previous).value();
    CHECK(code_of(verify_at(old_token, k_now, {current})) == ErrorCode::invalid_token);
    CHECK(verify_at(old_token, k_now, {current, previous}).ok());
    const auto stranger = jwt::encode(claims, jwt::Key::hs256(std::string(32, 'x')).value()).value();
    CHECK(verify_at(stranger, k_now, {current, previous}).error().detail == "signature does not verify");
}

TEST_CASE("tokens over 8 KiB are rejected before parsing; 8 KiB exactly is fine", "[jwt]") {
    const auto key = hs_keys().front();
    std::string at_limit, over_limit;
    for (std::size_t fill = 5900; fill < 6200 && (at_limit.empty() || over_limit.empty()); ++fill) {
        const auto token = jwt::encode(json{{"exp", k_now + 60}, {"fill", std::string(fill, 'f')}}, key).value();
        if (token.size() == jwt::k_max_token_bytes) at_limit = token;
        if (token.size() == jwt::k_max_token_bytes + 1) over_limit = token;
    }
    REQUIRE(at_limit.size() == 8192);
    REQUIRE(over_limit.size() == 8193);
    CHECK(verify_at(at_limit, k_now).ok());
    const auto r = verify_at(over_limit, k_now);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_token);
    CHECK_THAT(r.error().detail, Catch::Contains("8 KiB"));
    CHECK_FALSE(jwt::decode(over_limit).ok());
    // Garbage beyond the limit is refused by size, not by a parse error.
    CHECK_THAT(verify_at(std::string(100'000, '{'), k_now).error().detail, Catch::Contains("8 KiB"));
}

TEST_CASE("exp is honoured before exp + leeway and refused from that second on", "[jwt]") {
    // RFC 7519 §4.1.4 and jsonwebtoken: "the current time MUST be before" exp (+ leeway).
    const auto token = hs_token(k_header, R"({"exp":1700000000})");
    CHECK(verify_at(token, k_now + jwt::k_default_leeway - 1).ok());
    CHECK(code_of(verify_at(token, k_now + jwt::k_default_leeway)) == ErrorCode::token_expired);
    const jwt::KeySet keys = hs_keys();
    CHECK(jwt::verify(token, keys, {k_now - 1, 0}).ok());
    CHECK(jwt::verify(token, keys, {k_now, 0}).error().code == ErrorCode::token_expired);
    CHECK(jwt::verify(token, keys, {k_now + 99, 100}).ok());
    CHECK(jwt::verify(token, keys, {k_now + 100, 100}).error().code == ErrorCode::token_expired);
    // A leeway beyond the largest allowed is clamped to it, so no record can be outlived.
    CHECK(jwt::verify(token, keys, {k_now + jwt::k_max_leeway, 100'000}).error().code == ErrorCode::token_expired);
}

TEST_CASE("a fractional exp counts up to its whole second, as its single-use record does", "[jwt]") {
    const auto token = hs_token(k_header, R"({"exp":1700000000.25})");
    CHECK(jwt::expiry_of(jwt::decode(token)->payload) == k_now + 1);
    CHECK(jwt::verify(token, hs_keys(), {k_now, 0}).ok());
    CHECK(jwt::verify(token, hs_keys(), {k_now + 1, 0}).error().code == ErrorCode::token_expired);
    // Acceptance ends no later than the record: now < exp + leeway <= record_expiry(exp).
    CHECK(jwt::record_expiry(jwt::expiry_of(jwt::decode(token)->payload)) == k_now + 1 + jwt::k_max_leeway);
}

TEST_CASE("exp, nbf and iat outside 0..year 9999 are invalid, before any conversion", "[jwt]") {
    for (const char* value : {"1e300", "1e19", "9.3e18", "18446744073709551615", "253402300800", "-1", "-1e300"}) {
        for (const char* name : {"exp", "nbf", "iat"}) {
            INFO(name << " = " << value);
            const std::string payload = std::string(R"({"exp":1700000000,")") + name + "\":" + value + "}";
            const auto fixed = name == std::string("exp") ? std::string("{\"exp\":") + value + "}" : payload;
            const auto result = verify_at(hs_token(k_header, fixed), k_now - 10);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code == ErrorCode::invalid_token);
            CHECK_THAT(result.error().detail, Catch::Contains("out of range"));
        }
    }
    CHECK(verify_at(hs_token(k_header, R"({"exp":253402300799})"), k_now).ok());
}

TEST_CASE("nbf and iat in the future beyond the leeway are not yet valid", "[jwt]") {
    for (const char* claim : {"nbf", "iat"}) {
        INFO(claim);
        const auto token = hs_token(k_header, json{{"exp", k_now + 3600}, {claim, k_now}}.dump());
        CHECK(verify_at(token, k_now - jwt::k_default_leeway).ok());
        CHECK(code_of(verify_at(token, k_now - jwt::k_default_leeway - 1)) == ErrorCode::token_not_yet_valid);
        CHECK(jwt::verify(token, hs_keys(), {k_now, 0}).ok());
        CHECK(jwt::verify(token, hs_keys(), {k_now - 1, 0}).error().code == ErrorCode::token_not_yet_valid);
        const auto bad_type = hs_token(k_header, json{{"exp", k_now + 3600}, {claim, "soon"}}.dump());
        CHECK(code_of(verify_at(bad_type, k_now)) == ErrorCode::invalid_token);
    }
}

TEST_CASE("exp is required and must be a number", "[jwt]") {
    CHECK(code_of(verify_at(hs_token(k_header, R"({"sub":"a"})"), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(hs_token(k_header, R"({"exp":"1700000060"})"), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(hs_token(k_header, R"({"exp":true})"), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(hs_token(k_header, R"({"exp":null})"), k_now)) == ErrorCode::invalid_token);
    CHECK(verify_at(hs_token(k_header, R"({"exp":1700000000.5})"), k_now).ok());
    CHECK(code_of(verify_at(hs_token(k_header, R"({"exp":1e999})"), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(hs_token(k_header, R"({"exp":1700000060,"nbf":-1e999})"), k_now)) ==
          ErrorCode::invalid_token);
    CHECK(verify_at(hs_token(k_header, R"({"exp":1700000060})"), k_now, {}).error().detail == "no verification key");
    jwt::VerifyOptions lax{k_now};
    lax.require_exp = false;
    CHECK(jwt::verify(hs_token(k_header, R"({"sub":"a"})"), hs_keys(), lax).ok());
}

TEST_CASE("verify rejects a crit header", "[jwt]") {
    const auto r = verify_at(hs_token(R"({"alg":"HS256","crit":["exp"]})", R"({"exp":1700000060})"), k_now);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_token);
    CHECK_THAT(r.error().detail, Catch::Contains("crit"));
}

TEST_CASE("verify rejects malformed structure", "[jwt]") {
    const auto good = hs_token(k_header, R"({"exp":1700000060})");
    REQUIRE(verify_at(good, k_now).ok());
    const auto sig_at = good.rfind('.');
    const std::string bad[] = {
        "",
        "..",
        "a.b",
        good + ".",
        good + ".x",
        good.substr(0, sig_at),
        good.substr(0, sig_at + 1),
        good + "=",
        good + " ",
        " " + good,
        good.substr(0, sig_at) + ".+" + good.substr(sig_at + 2),
        hs_token(k_header, "[1]"),
        hs_token(k_header, "null"),
        hs_token(k_header, R"({"exp":1700000060} x)"),
        hs_token(k_header, R"({"exp":1700000060,})"),
        hs_token(k_header, R"({"exp":01700000060})"),
        hs_token(k_header, "{\"exp\":1700000060,\"s\":\"\xc3\x28\"}"),
        hs_token("[]", R"({"exp":1700000060})"),
        hs_token("{", R"({"exp":1700000060})"),
    };
    for (const auto& token : bad) {
        INFO(token);
        CHECK(code_of(verify_at(token, k_now)) == ErrorCode::invalid_token);
    }
}

TEST_CASE("verify rejects tampering and truncated or empty signatures", "[jwt]") {
    const auto good = hs_token(k_header, R"({"exp":1700000060,"sub":"alice"})");
    const auto sig_at = good.rfind('.');
    const auto sig = base64url_decode(good.substr(sig_at + 1)).value();
    const auto input = good.substr(0, sig_at);
    const auto tampered = hs_token(k_header, R"({"exp":1700000060,"sub":"mallory"})");
    CHECK(code_of(verify_at(tampered.substr(0, tampered.rfind('.')) + good.substr(sig_at), k_now)) ==
          ErrorCode::invalid_token);
    CHECK(code_of(verify_at(input + "." + base64url_encode(sig.substr(0, 16)), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(input + "." + base64url_encode(sig.substr(0, 31)), k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(input + ".", k_now)) == ErrorCode::invalid_token);
    CHECK(code_of(verify_at(input + "." + base64url_encode(sig + '\0'), k_now)) == ErrorCode::invalid_token);
}

TEST_CASE("error details never echo the token or the secret", "[jwt]") {
    const auto token = hs_token(R"({"alg":"HS256","kid":"a-very-long-key-identifier-that-goes-on"})",
                                R"({"exp":1700000060})", k_other_secret);
    const auto r = verify_at(token, k_now);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().detail.find(token.substr(token.rfind('.') + 1)) == std::string::npos);
    CHECK(r.error().detail.find(k_hs_secret) == std::string::npos);
    CHECK(r.error().detail.size() < 80);
    const auto wrong = verify_at(hs_token(k_header, R"({"exp":1700000060})", k_other_secret), k_now);
    CHECK(wrong.error().detail == "signature does not verify");
}

TEST_CASE("ES256 and RS256 keys verify their own tokens", "[jwt]") {
    const auto es = jwt::Key::es256(crypto::PKey::generate_p256().value(), "es").value();
    const json claims = {{"exp", k_now + 60}, {"email", "a@example.com"}};
    const auto token = jwt::encode(claims, es).value();
    const auto sig = base64url_decode(token.substr(token.rfind('.') + 1)).value();
    CHECK(sig.size() == 64);
    CHECK(verify_at(token, k_now, {es}).value() == claims);
    CHECK_FALSE(jwt::Key::es256(crypto::PKey::from_pem(test::k_rsa2048_spki).value()).ok());
}

TEST_CASE("an RS256 token made by openssl verifies against the RSA key", "[jwt]") {
    const auto rsa =
        crypto::PKey::from_jwk(std::string(R"({"kty":"RSA","e":"AQAB","n":")") + test::k_rsa2048_n + "\"}").value();
    const jwt::KeySet keys{jwt::Key::rs256(rsa, "rsa1").value()};
    const std::string token =
        "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYTEiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6ImNvZ25pdG8tdXNlciJ9."
        "vThljUtAvapzrgEnhXCdmaBoZ1zvvoXupfAMAipQyrs2JdPR4vzuhx98d4GpJevWfr3L-wL9Vm0P77wU9N_4zizbpcBmtsX47F-mmVaUMMvi2-"
        "7F9Gj91_ZiI3s9WjLkHdOWfD2_2F1XZEUrxMBlfWJoo06-mQDGG39jqjtc2eKcBshoIXVWch3dwwXMYuiE3joYheJh8IMT5gfT9hojEhWNeZhI"
        "5y3Ry04XaccQsAExNDYzqOZmr5P7QkzyOkg-NfwXv_"
        "FhScHep3XpjUHgARMDd69nU12U2rN8REEi2IF3S4IweqsxFMB7dzY7R4xku0o3SnYT5thc"
        "s8ShOW5How";
    const auto payload = verify_at(token, k_now, keys);
    REQUIRE(payload.ok());
    CHECK((*payload)["sub"] == "cognito-user");
    CHECK(code_of(verify_at(token, 4102444800 + 31, keys)) == ErrorCode::token_expired);
    CHECK(code_of(verify_at(token, k_now)) == ErrorCode::invalid_token);
    CHECK_FALSE(jwt::encode(json{{"exp", 1}}, keys.front()).ok());
}
