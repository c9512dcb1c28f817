#pragma once
// Which keys each token family signs and verifies with, from Settings and the data home.
//
// HS256 families (create, one-time, user), first match wins:
//   OTTS_SECRET_FILE (--secret-file) > OTTS_SECRET > the original's variable (JWT_SECRET for
//   create and user tokens, SECRET_KEY for one-time tokens) > the data home's `secret`.
//   OTTS_PREVIOUS_SECRET_FILE / OTTS_PREVIOUS_SECRET add a second, verify-only key (rotation).
//   Each key's kid is the first 8 hex digits of SHA-256(secret): tokens name their key
//   without revealing it.
// Licenses (ES256): signing key OTTS_LICENSE_PRIVATE_KEY > the data home's `license.key`;
//   verification key LICENSE_PUBLIC_KEY / OTTS_LICENSE_PUBLIC_KEY > the signing key's public half.
//   Key values are PEM text, JWK text, or a path to a file holding either.
#include "adapters/data_home.hpp"
#include "adapters/settings.hpp"
#include "core/jose/jwt.hpp"
#include "core/tokens/token_family.hpp"

namespace otts {

// Secrets shorter than 32 bytes are refused (key_error naming the source, never the value).
Result<jwt::KeySet> hs_family_keys(Family family, const Settings& settings, const DataHome& home);

Result<jwt::KeySet> license_signing_keys(const Settings& settings, const DataHome& home);
Result<jwt::KeySet> license_verifying_keys(const Settings& settings, const DataHome& home);

// S3 access/refresh tokens (ES256): OTTS_AUTH_TOKEN_KEY (a P-256 private key: PEM, JWK or a
// path) > the license signing key (by default the data home's `license.key`), so that
// `otts serve` works with nothing configured. The key both signs and verifies.
Result<jwt::KeySet> auth_token_keys(const Settings& settings, const DataHome& home);

// The server key PINs are HMACed under (PinConfig::hmac_key): OTTS_PIN_KEY (>= 32 bytes) >
// HMAC-SHA256(the data home's secret, "otts pin hash key"), a key of its own that never
// signs a token.
Result<std::string> pin_hash_key(const Settings& settings, const DataHome& home);

// The S2 session cookie's HMAC key: SESSION_SECRET (the original's variable, >= 32
// characters) > hex(HMAC-SHA256(the data home's secret, "otts l42 session secret")).
Result<std::string> session_secret(const Settings& settings, const DataHome& home);
// The dev IdP's RS256 signing key: the data home's `idp.key` (RSA 2048, PKCS#8 PEM), made on
// first use. Its kid is the first 16 characters of base64url(SHA-256(public JWK)).
Result<jwt::Key> dev_idp_key(const DataHome& home, Random& random);
// PEM text, JWK text, or a path to a file holding either.
Result<crypto::PKey> load_pkey(const std::string& value);

// A secret as stored in a file: trailing newlines are not part of it.
Result<std::string> read_secret_file(const std::filesystem::path& path);

}  // namespace otts
