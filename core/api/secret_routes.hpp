#pragma once
// S0, sealed.fyi's secrets (DESIGN §13, its docs/API.md):
//   POST   /secrets       Authorization: Bearer <create token>, body {ciphertext, iv, salt|null,
//                         nonce, pow, ttl, maxViews, passphraseProtected} → 201 {id, burnToken,
//                         expiresAt (unix s)}; 400 {"error":"invalid_request","message"},
//                         401 {"error":"invalid_token"} (missing, invalid, expired, spent),
//                         403 {"error":"invalid_pow"}. The body is validated before the token
//                         is spent: a refused body leaves the token usable.
//   GET    /secrets/{id}[?accessToken=] → 200 {ciphertext, iv, salt, passphraseProtected,
//                         accessToken}; every unavailable case (absent, expired, used up,
//                         burned, malformed id, any other path under /secrets) → the same 404
//                         {"error":"not_available"}.
//   DELETE /secrets/{id}  X-Burn-Token: <burnToken> → always 204.
// With rate limiters, GET and DELETE answer 429 {"error":"rate_limited"} with Retry-After once
// a source address exceeds them (the original: 60 and 10 per minute).
#include "core/api/rate_limiter.hpp"
#include "core/http/router.hpp"
#include "core/ports/clock.hpp"
#include "core/secrets/secrets.hpp"

namespace otts::api {

struct SecretDeps {
    Secrets& secrets;
    const Clock& clock;
    RateLimiter* read_limiter = nullptr;  // nullptr: no limit (the emulator's default)
    RateLimiter* burn_limiter = nullptr;
};

void add_secret_routes(http::Router& router, SecretDeps deps);

// The largest body POST /secrets accepts: a 68 KiB ciphertext and the other members, with room
// to spare. Every other request keeps the 64 KiB limit (DESIGN §15).
inline constexpr std::size_t k_max_secret_body = 96 * 1024;

}  // namespace otts::api
