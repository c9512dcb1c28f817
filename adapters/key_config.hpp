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
#include "core/jwt.hpp"
#include "core/token_family.hpp"

namespace otts {

// Secrets shorter than 32 bytes are refused (key_error naming the source, never the value).
Result<jwt::KeySet> hs_family_keys(Family family, const Settings& settings, const DataHome& home);

Result<jwt::KeySet> license_signing_keys(const Settings& settings, const DataHome& home);
Result<jwt::KeySet> license_verifying_keys(const Settings& settings, const DataHome& home);

// PEM text, JWK text, or a path to a file holding either.
Result<crypto::PKey> load_pkey(const std::string& value);

// A secret as stored in a file: trailing newlines are not part of it.
Result<std::string> read_secret_file(const std::filesystem::path& path);

}  // namespace otts
