// RS256 signing: key generation, PKCS#1 v1.5 signatures, PEM/JWK forms, and JWTs signed with
// RSA keys (core/jose/crypto.cpp, core/jose/jwt.cpp). RFC 7515 A.2 is not among the shared vectors, so
// interop is covered by the openssl-made signature and token in crypto_test and jwt_test.
#include <catch2/catch.hpp>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"
#include "core/jose/jwt.hpp"
#include "tests/support/test_keys.hpp"
#include "tests/support/fake_clock.hpp"

using namespace otts;
using crypto::PKey;
using nlohmann::json;

namespace {

using otts::test::k_now;
using otts::test::other_rsa_key;
using otts::test::rsa_key;

PKey public_half(const PKey& key) { return PKey::from_jwk(key.public_jwk()).value(); }

std::string jwk_with(std::string_view n, std::string_view e) { return json{{"kty", "RSA"}, {"n", n}, {"e", e}}.dump(); }

}  // namespace

TEST_CASE("generate_rsa makes a 2048-bit private key that signs and verifies RS256", "[rsa]") {
    const PKey& key = rsa_key();
    CHECK(key.type() == crypto::KeyType::rsa);
    CHECK(key.has_private());
    const auto sig = key.sign_rs256("data");
    REQUIRE(sig.ok());
    CHECK(sig->size() == 256);
    CHECK(key.verify_rs256("data", *sig));
    CHECK(public_half(key).verify_rs256("data", *sig));
    CHECK_FALSE(key.verify_rs256("datA", *sig));
    CHECK_FALSE(other_rsa_key().verify_rs256("data", *sig));
}

TEST_CASE("RS256 signatures are deterministic and break on any change", "[rsa]") {
    const PKey& key = rsa_key();
    const auto sig = key.sign_rs256("message").value();
    CHECK(key.sign_rs256("message").value() == sig);
    CHECK(key.sign_rs256("").value().size() == 256);
    std::string flipped = sig;
    flipped[100] ^= 1;
    CHECK_FALSE(key.verify_rs256("message", flipped));
    CHECK_FALSE(key.verify_rs256("message", sig.substr(1)));
    CHECK_FALSE(key.verify_rs256("message", sig + '\0'));
    CHECK_FALSE(key.verify_rs256("message", '\0' + sig));
    CHECK_FALSE(key.verify_rs256("message", ""));
}

TEST_CASE("sign_rs256 needs an RSA private key", "[rsa]") {
    const auto pub = public_half(rsa_key()).sign_rs256("x");
    REQUIRE_FALSE(pub.ok());
    CHECK(pub.error().code == ErrorCode::key_error);
    const auto spki = PKey::from_pem(test::k_rsa2048_spki).value().sign_rs256("x");
    CHECK(spki.error().code == ErrorCode::key_error);
    const auto ec = PKey::generate_p256().value();
    CHECK(ec.sign_rs256("x").error().code == ErrorCode::key_error);
    CHECK_FALSE(ec.verify_rs256("x", rsa_key().sign_rs256("x").value()));
    CHECK_FALSE(rsa_key().sign_es256("x").ok());
}

TEST_CASE("generate_rsa refuses sizes under 2048 bits or absurdly large", "[rsa]") {
    for (const int bits : {0, -1, 512, 1024, 2047, 16385}) {
        INFO("bits " << bits);
        const auto key = PKey::generate_rsa(bits);
        REQUIRE_FALSE(key.ok());
        CHECK(key.error().code == ErrorCode::key_error);
    }
}

TEST_CASE("RSA keys round-trip through PKCS#8 and SPKI PEM", "[rsa]") {
    const PKey& key = rsa_key();
    const std::string pem = key.private_pem();
    CHECK(pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
    const auto priv = PKey::from_pem(pem);
    REQUIRE(priv.ok());
    CHECK(priv->type() == crypto::KeyType::rsa);
    CHECK(priv->has_private());
    CHECK(priv->private_pem() == pem);
    CHECK(priv->public_jwk() == key.public_jwk());
    // PKCS#1 v1.5 is deterministic: the reloaded key gives the very same signature.
    CHECK(priv->sign_rs256("m").value() == key.sign_rs256("m").value());
    const auto pub = PKey::from_pem(key.public_pem());
    REQUIRE(pub.ok());
    CHECK_FALSE(pub->has_private());
    CHECK(pub->private_pem().empty());
    CHECK(pub->public_pem() == key.public_pem());
    CHECK(pub->verify_rs256("m", priv->sign_rs256("m").value()));
}

TEST_CASE("an RSA public_jwk is kty, n, e in unpadded base64url", "[rsa]") {
    const std::string text = rsa_key().public_jwk();
    const auto jwk = json::parse(text);
    CHECK(jwk.size() == 3);
    CHECK(jwk["kty"] == "RSA");
    CHECK(jwk["e"] == "AQAB");
    const std::string n = jwk["n"];
    CHECK(n.find_first_of("=+/") == std::string::npos);
    const auto n_bytes = base64url_decode(n);
    REQUIRE(n_bytes.has_value());
    CHECK(n_bytes->size() == 256);
    CHECK(static_cast<unsigned char>((*n_bytes)[0]) >= 0x80);  // a 2048-bit modulus fills its top byte
    CHECK(text.rfind(R"({"kty":"RSA","n":")", 0) == 0);
    CHECK(public_half(rsa_key()).public_jwk() == text);
}

TEST_CASE("RSA keys with an even or unit public exponent are refused", "[rsa]") {
    CHECK(PKey::from_jwk(jwk_with(test::k_rsa2048_n, "AQAB")).ok());
    CHECK(PKey::from_jwk(jwk_with(test::k_rsa2048_n, "Aw")).ok());  // e = 3
    for (const char* e : {"AQ", "Ag", "AAE", "AQAA"}) {             // 1, 2, 1 with a zero byte, 65536
        INFO("e " << e);
        const auto key = PKey::from_jwk(jwk_with(test::k_rsa2048_n, e));
        REQUIRE_FALSE(key.ok());
        CHECK(key.error().code == ErrorCode::key_error);
    }
}

TEST_CASE("jwt::encode signs RS256 tokens that verify with the public key only", "[rsa][jwt]") {
    const auto signer = jwt::Key::rs256(rsa_key(), "k1").value();
    const json claims = {{"sub", "u-1"}, {"exp", k_now + 60}, {"cognito:groups", {"admin"}}};
    const auto token = jwt::encode(claims, signer);
    REQUIRE(token.ok());
    const auto decoded = jwt::decode(*token).value();
    CHECK(decoded.header == json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "k1"}});
    CHECK(decoded.signature.size() == 256);
    const jwt::KeySet verifiers{jwt::Key::rs256(public_half(rsa_key()), "k1").value()};
    const auto payload = jwt::verify(*token, verifiers, {k_now});
    REQUIRE(payload.ok());
    CHECK(*payload == claims);
    CHECK(jwt::verify(*token, verifiers, {k_now + 91}).error().code == ErrorCode::token_expired);
    const jwt::KeySet stranger{jwt::Key::rs256(public_half(other_rsa_key()), "k1").value()};
    CHECK(jwt::verify(*token, stranger, {k_now}).error().detail == "signature does not verify");
}

TEST_CASE("an RS256 token is not accepted by an ES256 or HS256 key with the same kid", "[rsa][jwt]") {
    const auto token = jwt::encode(json{{"exp", k_now + 60}}, jwt::Key::rs256(rsa_key(), "k").value()).value();
    const jwt::KeySet others{jwt::Key::es256(PKey::generate_p256().value(), "k").value(),
                             jwt::Key::hs256(std::string(32, 's'), "k").value()};
    const auto r = jwt::verify(token, others, {k_now});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_token);
    CHECK_FALSE(jwt::Key::rs256(PKey::generate_p256().value()).ok());
}

TEST_CASE("jwt::encode refuses an RS256 key without its private half", "[rsa][jwt]") {
    const auto pub_only = jwt::Key::rs256(public_half(rsa_key())).value();
    const auto r = jwt::encode(json{{"exp", 1}}, pub_only);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::key_error);
}
