#pragma once
// S3 (BreachLine sync auth) routes, with the original's bodies, codes and statuses:
//   POST /v1/auth/request-pin {"license"}        → 200 {message:"PIN sent to u***@…", expires_at, pin_id}
//   POST /v1/auth/verify-pin  {"license","pin"}  → 200 {access_token, refresh_token, token_type, expires_in}
//   POST /v1/auth/refresh {"refresh_token","license"} → 200 the same, rotating the refresh token
//   POST /v1/auth/logout (Authorization: Bearer <access token>) → 200 {message}; stateless
// Errors {"error":{"code","message"}}: 400 invalid_request / invalid_license / license_expired /
// license_not_valid_yet / invalid_pin / email_mismatch / license_mismatch, 401 invalid_token
// (refresh) and unauthorized (logout), 429 rate_limited (PIN cooldown, Retry-After) and
// rate_limit_exceeded (per-email limit), store and key failures from the error table.
#include "core/api/rate_limiter.hpp"
#include "core/tokens/access_tokens.hpp"
#include "core/tokens/licenses.hpp"
#include "core/pins/pins.hpp"
#include "core/http/router.hpp"

namespace otts::api {

struct AccessTokenDeps {
    const Licenses& licenses;  // verifies licenses (LICENSE_PUBLIC_KEY)
    Pins& pins;
    AccessTokens& tokens;
    const Clock& clock;  // for the rate limiter's windows
    // The original's 5 requests per minute per email on request-pin and verify-pin (one
    // window shared by both); null when rate limits are off (the emulator's default).
    RateLimiter* auth_limiter = nullptr;
};

// The references in `deps` must outlive the router.
void add_access_token_routes(http::Router& router, AccessTokenDeps deps);

}  // namespace otts::api
