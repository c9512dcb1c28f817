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
