#pragma once
// S4 (WebSocket JWT auth) token route:
//   POST /user/auth/jwt-token, Authorization: Bearer <S3 access token>
//   POST /user/auth/generate-jwt (the same; the path PornSpot's client code calls)
//     → 200 {"success":true,"data":{"token","expiresIn":"1h","tokenType":"Bearer","userId"}}
//     → 401 {"success":false,"error":...} without a valid access token
// The signed-in user is the holder of the access token; userId is its `sub` (the email).
// Without a Bearer token, a signed-in S2 session (l42_session cookie) names the user: userId is
// its id token's `sub`. A cookie is sent by the browser on its own, so that call also needs
// `X-L42-CSRF: 1` (403 without), as every state-changing S2 call does.
#include <functional>
#include <optional>
#include <string>

#include "core/tokens/access_tokens.hpp"
#include "core/http/router.hpp"
#include "core/tokens/user_tokens.hpp"

namespace otts::api {

struct UserTokenDeps {
    const AccessTokens& access;  // verifies the Bearer access token
    UserTokens& user_tokens;     // issues the 1 h HS256 {userId} token
    std::function<std::optional<std::string>(const http::Request&)> session_user;  // empty: no S2
};

// The references in `deps` must outlive the router.
void add_user_token_routes(http::Router& router, UserTokenDeps deps);

}  // namespace otts::api
