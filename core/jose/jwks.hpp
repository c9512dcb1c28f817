#pragma once
// JSON Web Key Sets (RFC 7517 §5) for RS256, as Cognito user pools publish them at
// /.well-known/jwks.json: reading a set into verification keys, and writing one for keys we sign
// with (the dev identity provider). Pure functions; fetching the document is the caller's job.
#include <string>
#include <string_view>

#include "core/jose/jwt.hpp"
#include "core/result.hpp"

namespace otts {

// The RS256 verification keys of a JWKS document {"keys":[...]}, in document order, each with
// its "kid" (empty when absent). As RFC 7517 §5 asks, keys otts cannot use are skipped, not
// fatal: a key is skipped when it is not an object, its kty is not "RSA", "use" is present and
// not "sig", "alg" is present and not "RS256", "key_ops" is present without "verify", "kid" is
// present and not a string, or n/e do not give a valid RSA key of at least 2048 bits with an
// odd exponent >= 3. Private members (d, p, ...) are ignored: the keys only verify.
// Errors: key_error when the text is not JSON, has no "keys" array, or no key is usable.
Result<jwt::KeySet> keys_from_jwks(std::string_view jwks_json);

// The public JWKS text for the RS256 keys in `keys`, in order: {"keys":[{"alg":"RS256","e",
// "kid","kty":"RSA","n","use":"sig"}, ...]} with members in Cognito's (alphabetical) order and
// "kid" left out when empty. Keys of other algorithms are left out (an HS256 secret must never
// be published). {"keys":[]} when there is none.
std::string jwks_document(const jwt::KeySet& keys);

}  // namespace otts
