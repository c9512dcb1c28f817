#pragma once
// S0, the sealed.fyi create-token Lambda (DESIGN §7):
//   POST /token         → 200 {token, nonce, powChallenge:{difficulty, prefix}, expiresAt (unix s)}
//   POST /token/redeem  Authorization: Bearer <token>, body {"nonce","pow"} → 200 {"valid":true,"jti"};
//                       401 invalid_token, 403 invalid_pow, 409 token_used, 400 bad_request.
// Errors in the original's shape {"error": code}. With a rate limiter, POST /token answers 429
// {"error":"rate_limited"} with Retry-After once a source address exceeds it.
#include "core/pow/pow_ladder.hpp"
#include "core/api/rate_limiter.hpp"
#include "core/ports/clock.hpp"
#include "core/tokens/create_tokens.hpp"
#include "core/http/router.hpp"

namespace otts::api {

struct CreateTokenDeps {
    CreateTokens& tokens;
    pow::PowDifficulty& difficulty;
    const Clock& clock;
    RateLimiter* issue_limiter = nullptr;  // nullptr: no limit (the emulator's default)
};

void add_create_token_routes(http::Router& router, CreateTokenDeps deps);

}  // namespace otts::api
