#pragma once
// The only place otts touches OpenSSL directly (besides the PoW block loop in pow_solver.cpp).
// Everything is RAII; digests and keys are fetched/parsed once and reused.
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace otts::crypto {

std::string sha256(std::string_view data);                             // 32 raw bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
// Constant-time equality (CRYPTO_memcmp); false when the lengths differ.
bool equal_ct(std::string_view a, std::string_view b);

// AES-256-GCM with a 96-bit IV and a 128-bit tag, as WebCrypto's AES-GCM defaults: the result
// is ciphertext || tag. `key` must be 32 bytes and `iv` 12 (usage otherwise).
Result<std::string> aes256_gcm_seal(std::string_view plaintext, std::string_view key, std::string_view iv);
// The reverse; invalid_token when the tag does not verify (wrong key, altered bytes) or
// `sealed` is shorter than a tag.
Result<std::string> aes256_gcm_open(std::string_view sealed, std::string_view key, std::string_view iv);
// PBKDF2-HMAC-SHA256 (RFC 8018) of `length` bytes; usage when iterations < 1 or length is 0.
Result<std::string> pbkdf2_sha256(std::string_view password, std::string_view salt, int iterations, std::size_t length);

enum class KeyType { ec_p256, rsa };

// A parsed asymmetric key (public, or private with its public half). Cheap to copy (shared).
class PKey {
public:
    // PEM: SPKI public, SEC1 "EC PRIVATE KEY", PKCS#8 "PRIVATE KEY". Rejects curves other than
    // P-256 for EC keys and RSA keys under 2048 bits.
    static Result<PKey> from_pem(std::string_view pem);
    // JWK object text: kty EC (crv P-256, x, y[, d]) or kty RSA (n, e).
    static Result<PKey> from_jwk(std::string_view jwk_json);
    // Generates a fresh P-256 key pair.
    static Result<PKey> generate_p256();
    // Generates a fresh RSA key pair (public exponent 65537). key_error when `bits` is under
    // 2048 or over 16384, or when generation fails.
    static Result<PKey> generate_rsa(int bits = 2048);

    KeyType type() const;
    bool has_private() const;
    std::string public_pem() const;   // SPKI
    std::string private_pem() const;  // PKCS#8; empty if no private half
    std::string public_jwk() const;   // JSON text; RSA: {"kty":"RSA","n","e"}, unpadded base64url

    // ES256 over `data`: 64-byte r||s (P1363). Requires an EC private key.
    Result<std::string> sign_es256(std::string_view data) const;
    // ES256 verify: `sig` must be exactly 64 bytes r||s with 0 < r,s < n; other lengths fail.
    bool verify_es256(std::string_view data, std::string_view sig) const;
    // RS256 (RSASSA-PKCS1-v1_5 SHA-256) sign: as many bytes as the modulus (deterministic).
    // key_error unless this is an RSA private key.
    Result<std::string> sign_rs256(std::string_view data) const;
    // RS256 (RSASSA-PKCS1-v1_5 SHA-256) verify; `sig` must be exactly the modulus length.
    bool verify_rs256(std::string_view data, std::string_view sig) const;

    struct Impl;

private:
    explicit PKey(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}
    std::shared_ptr<Impl> m_impl;
};

}  // namespace otts::crypto
