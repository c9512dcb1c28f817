#pragma once
// The dev IdP's HTTP face (core/auth/dev_idp.hpp), shaped like a Cognito user pool's hosted UI and
// API so that clients written for Cognito work against it unchanged:
//   GET  /oauth2/authorize      the sign-in page (email + groups, no password)
//   POST /oauth2/authorize      the page's form → 302 to redirect_uri?code=...&state=...
//   POST /oauth2/token          authorization_code (PKCE) and refresh_token grants
//   GET  /.well-known/jwks.json, /.well-known/openid-configuration
//   POST /  X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth (REFRESH_TOKEN_AUTH)
// Served by `otts serve` only, and only when no Cognito is configured.
#include "core/auth/dev_idp.hpp"
#include "core/http/router.hpp"

namespace otts::api {

// `idp` must outlive the router.
void add_dev_idp_routes(http::Router& router, DevIdp& idp);

}  // namespace otts::api
