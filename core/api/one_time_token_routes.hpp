#pragma once
// S1, the One Time Use Token Service (DESIGN §7):
//   GET  /tokens → 200 {token, expiration (ISO 8601 UTC)}
//   POST /tokens {"token": "..."} validates AND consumes → 200 {"isValid":true,"message":
//        "Token validation successful"}; 401 {"isValid":false,"message"} when the token is
//        expired, invalid, already used or not found; 400 (same shape) for a malformed body.
#include "core/tokens/one_time_tokens.hpp"
#include "core/http/router.hpp"

namespace otts::api {

struct OneTimeTokenDeps {
    OneTimeTokens& tokens;
};

void add_one_time_token_routes(http::Router& router, OneTimeTokenDeps deps);

}  // namespace otts::api
