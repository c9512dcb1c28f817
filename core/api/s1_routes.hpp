#pragma once
// S1, the One Time Use Token Service (DESIGN §7):
//   GET  /tokens → 200 {token, expiration (ISO 8601 UTC)}
//   POST /tokens {"token": "..."} validates AND consumes → 200 {"isValid":true,"message":
//        "Token validation successful"}; 401 {"isValid":false,"message"} when the token is
//        expired, invalid, already used or not found; 400 (same shape) for a malformed body.
#include "core/one_time_tokens.hpp"
#include "core/router.hpp"

namespace otts::api {

struct S1Deps {
    OneTimeTokens& tokens;
};

void add_s1_routes(http::Router& router, S1Deps deps);

}  // namespace otts::api
