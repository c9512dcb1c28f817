#pragma once
// Throwaway keys shared by several tests (never used outside tests).
#include "core/jose/crypto.hpp"

namespace otts::test {

// RSA-2048 keys generated once per process: generation takes a noticeable fraction of a second.
inline const crypto::PKey& rsa_key() {
    static const crypto::PKey key = crypto::PKey::generate_rsa(2048).value();
    return key;
}
inline const crypto::PKey& other_rsa_key() {
    static const crypto::PKey key = crypto::PKey::generate_rsa(2048).value();
    return key;
}

// A throwaway RSA-2048 key (SPKI PEM and the JWK modulus); crypto_test has an
// `openssl dgst -sha256 -sign` signature made with it.
constexpr const char* k_rsa2048_spki = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyZfzg572X/tHMtHm/2eY
soNI26+3r9BaGRo4pMbamSZ8RubSdzwkqg2mruMHk7MWDsB0zJio1SyF7r5ZM9SP
xmCWCk1CJnukPwz5irz7rF0YODtPsofOyYcfjlhSwgehqJAAZJfSun3vwFqMy3uD
x3jXdBBlNL7o+CYll4hupifd8rgNKc4e4ZiUyQjmZvOKORENlbVTBSFKl0obTWAY
slN7EnzuwZUi5T5vaioYbarEVzkmjAEonNyyyVjxB1FGblNoJjiVvsS7uPw6lIBJ
rHrfAWWzldahG+8ekNE4L4IqM92eypWPsYt53bIsJqkxAOnGe0DFFd7gVcCUBC2q
wQIDAQAB
-----END PUBLIC KEY-----
)";
constexpr const char* k_rsa2048_n =
    "yZfzg572X_tHMtHm_2eYsoNI26-3r9BaGRo4pMbamSZ8RubSdzwkqg2mruMHk7MWDsB0zJio1SyF7r5ZM9SPxmCWCk1CJnukPwz5irz7rF0YODtPso"
    "fOyYcfjlhSwgehqJAAZJfSun3vwFqMy3uDx3jXdBBlNL7o-CYll4hupifd8rgNKc4e4ZiUyQjmZvOKORENlbVTBSFKl0obTWAYslN7EnzuwZUi5T5v"
    "aioYbarEVzkmjAEonNyyyVjxB1FGblNoJjiVvsS7uPw6lIBJrHrfAWWzldahG-"
    "8ekNE4L4IqM92eypWPsYt53bIsJqkxAOnGe0DFFd7gVcCUBC2qwQ";

}  // namespace otts::test
