#include "core/secrets/secret_crypto.hpp"

#include <catch2/catch.hpp>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

using namespace otts;
using namespace otts::secrets;

namespace {

std::string unhex(std::string_view hex) { return hex_decode(hex).value(); }

// Vectors computed once with Node 20's crypto.webcrypto.subtle, calling it as sealed.fyi's
// crypto.js does (importKey raw AES-GCM, encrypt {name:'AES-GCM', iv}; importKey raw PBKDF2,
// deriveKey {PBKDF2, SHA-256, 100000} → AES-GCM 256).
const std::string k_key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const std::string k_iv = unhex("000102030405060708090a0b");
const std::string k_salt = unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
const std::string k_wrap_iv = unhex("f0f1f2f3f4f5f6f7f8f9fafb");
constexpr const char* k_passphrase = "correct horse battery staple";
// base64url(wrap_iv || AES-GCM(PBKDF2(passphrase, salt), wrap_iv, k_key)) from WebCrypto.
constexpr const char* k_webcrypto_fragment =
    "8PHy8_T19vf4-fr7sBSLRdwp-eCqqWKvNvPlPPco4_V3pej3oBOCfNjUVDI2znFFUH0BhAcuU_oR3THG";

SealMaterial material() { return SealMaterial{k_key, k_iv, k_salt, k_wrap_iv}; }

}  // namespace

TEST_CASE("encrypt gives WebCrypto's AES-256-GCM bytes: ciphertext then the 16-byte tag", "[secret_crypto]") {
    CHECK(hex_encode(encrypt("Hello, World!", k_key, k_iv).value()) ==
          "0f67ba77aac9e24ce233fbef90b2d256655cd2177e18c08642db965f60");
    CHECK(hex_encode(encrypt("", k_key, k_iv).value()) == "f4c2db1dc38805a37b92171c5d0a81cc");
    const std::string utf8 = "p\xc3\xa4ssw\xc3\xb6rd \xe2\x9c\x93 \xf0\x9f\x94\x91";
    CHECK(hex_encode(encrypt(utf8, k_key, k_iv).value()) ==
          "37c17268b69201adff25b7692d7a589d1c42166ff849a13341c73a37fc52a2554458a4");
}

TEST_CASE("decrypt reads WebCrypto's ciphertext and rejects any altered byte", "[secret_crypto]") {
    const auto sealed = unhex("0f67ba77aac9e24ce233fbef90b2d256655cd2177e18c08642db965f60");
    CHECK(decrypt(sealed, k_key, k_iv).value() == "Hello, World!");
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        auto altered = sealed;
        altered[i] = static_cast<char>(altered[i] ^ 0x01);
        const auto opened = decrypt(altered, k_key, k_iv);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::invalid_token);
    }
    auto wrong_key = k_key;
    wrong_key[0] = 'x';
    CHECK_FALSE(decrypt(sealed, wrong_key, k_iv));
    CHECK(decrypt(sealed.substr(0, 15), k_key, k_iv).error().code == ErrorCode::invalid_token);
}

TEST_CASE("encrypt and decrypt refuse keys and IVs of other sizes", "[secret_crypto]") {
    CHECK(encrypt("x", k_key.substr(0, 16), k_iv).error().code == ErrorCode::usage);
    CHECK(encrypt("x", k_key, k_iv.substr(0, 8)).error().code == ErrorCode::usage);
    CHECK(decrypt(std::string(20, 'a'), k_key + "x", k_iv).error().code == ErrorCode::usage);
}

TEST_CASE("PBKDF2-SHA256 with 100,000 iterations derives WebCrypto's wrapping key", "[secret_crypto]") {
    CHECK(hex_encode(crypto::pbkdf2_sha256("password", "salt", k_pbkdf2_iterations, 32).value()) ==
          "0394a2ede332c9a13eb82e9b24631604c31df978b4e2f0fbd2c549944f9d79a5");
    CHECK(hex_encode(crypto::pbkdf2_sha256(k_passphrase, k_salt, k_pbkdf2_iterations, 32).value()) ==
          "6cf04f530d2e5ebe67fb641f1026a995b9ff0dbd63aab147fc2cef9494f2984e");
    CHECK(crypto::pbkdf2_sha256("p", "s", 0, 32).error().code == ErrorCode::usage);
}

TEST_CASE("wrap_key gives WebCrypto's fragment and unwrap_key reads it back", "[secret_crypto]") {
    CHECK(wrap_key(k_key, k_passphrase, k_salt, k_wrap_iv).value() == k_webcrypto_fragment);
    CHECK(unwrap_key(k_webcrypto_fragment, k_passphrase, k_salt).value() == k_key);
    CHECK(unwrap_key(k_webcrypto_fragment, "wrong horse", k_salt).error().code == ErrorCode::invalid_token);
    CHECK(unwrap_key(std::string(k_webcrypto_fragment).substr(4), k_passphrase, k_salt).error().code ==
          ErrorCode::invalid_token);
    CHECK(wrap_key(k_key, "", k_salt, k_wrap_iv).error().code == ErrorCode::usage);
}

TEST_CASE("seal_secret without a passphrase: base64 body fields, null salt, the key in the fragment",
          "[secret_crypto]") {
    const auto sealed = seal_secret("Hello, World!", std::nullopt, material()).value();
    CHECK(sealed.ciphertext == "D2e6d6rJ4kziM/vvkLLSVmVc0hd+GMCGQtuWX2A=");  // btoa, as crypto.js
    CHECK(sealed.iv == "AAECAwQFBgcICQoL");
    CHECK_FALSE(sealed.salt);
    CHECK(sealed.fragment == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
    CHECK(seal_secret("Hello, World!", std::string(), material()).value().fragment == sealed.fragment);
    CHECK(open_secret(sealed.ciphertext, sealed.iv, std::nullopt, sealed.fragment, std::nullopt).value() ==
          "Hello, World!");
}

TEST_CASE("seal_secret with a passphrase wraps the key as WebCrypto does; open_secret needs it", "[secret_crypto]") {
    const auto sealed = seal_secret("Hello, World!", std::string(k_passphrase), material()).value();
    CHECK(sealed.ciphertext == "D2e6d6rJ4kziM/vvkLLSVmVc0hd+GMCGQtuWX2A=");
    CHECK(sealed.salt == "oKGio6SlpqeoqaqrrK2urw==");
    CHECK(sealed.fragment == k_webcrypto_fragment);
    CHECK(open_secret(sealed.ciphertext, sealed.iv, sealed.salt, sealed.fragment, std::string(k_passphrase)).value() ==
          "Hello, World!");
    CHECK(open_secret(sealed.ciphertext, sealed.iv, sealed.salt, sealed.fragment, std::nullopt).error().code ==
          ErrorCode::usage);
    CHECK(open_secret(sealed.ciphertext, sealed.iv, sealed.salt, sealed.fragment, std::string("nope")).error().code ==
          ErrorCode::invalid_token);
}

TEST_CASE("seal_secret refuses a plaintext whose base64 ciphertext would pass 68 KiB", "[secret_crypto]") {
    CHECK(k_max_plaintext_bytes == 52'208);
    const auto largest = seal_secret(std::string(k_max_plaintext_bytes, 'a'), std::nullopt, material());
    REQUIRE(largest);
    CHECK(largest->ciphertext.size() == 68 * 1024);
    CHECK(seal_secret(std::string(k_max_plaintext_bytes + 1, 'a'), std::nullopt, material()).error().code ==
          ErrorCode::usage);
}

TEST_CASE("open_secret rejects malformed fields and keys with a clear error", "[secret_crypto]") {
    const auto fragment = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    const auto ct = "D2e6d6rJ4kziM/vvkLLSVmVc0hd+GMCGQtuWX2A=";
    CHECK(open_secret("not base64!", "AAECAwQFBgcICQoL", std::nullopt, fragment, std::nullopt).error().code ==
          ErrorCode::bad_request);
    CHECK(open_secret(ct, "AAECAwQF", std::nullopt, fragment, std::nullopt).error().code == ErrorCode::bad_request);
    CHECK(open_secret(ct, "AAECAwQFBgcICQoL", std::string("AAAA"), fragment, std::string("p")).error().code ==
          ErrorCode::bad_request);
    CHECK(open_secret(ct, "AAECAwQFBgcICQoL", std::nullopt, "AAEC", std::nullopt).error().code ==
          ErrorCode::invalid_token);
}

TEST_CASE("share links are <page>#<id>:<fragment> and parse back", "[secret_crypto]") {
    const auto link = make_share_link("http://127.0.0.1:8080/", "Ab3dEf6hIj9kLmNoPqRsTu", "K7gN-_x");
    CHECK(link == "http://127.0.0.1:8080/#Ab3dEf6hIj9kLmNoPqRsTu:K7gN-_x");
    const auto parsed = parse_share_link(link).value();
    CHECK(parsed.page == "http://127.0.0.1:8080/");
    CHECK(parsed.id == "Ab3dEf6hIj9kLmNoPqRsTu");
    CHECK(parsed.fragment == "K7gN-_x");
    CHECK(parse_share_link("Ab3d:K7gN").value().page.empty());
}

TEST_CASE("parse_share_link rejects links without an id, a key, or with other characters", "[secret_crypto]") {
    for (const char* bad : {"", "https://sealed.fyi/", "https://sealed.fyi/#abc", "https://sealed.fyi/#:key",
                            "https://sealed.fyi/#id:", "https://sealed.fyi/#../x:key", "#id:k/ey", "#i d:key"}) {
        INFO(bad);
        CHECK(parse_share_link(bad).error().code == ErrorCode::usage);
    }
}
