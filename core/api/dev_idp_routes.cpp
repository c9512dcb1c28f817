#include "core/api/dev_idp_routes.hpp"

#include "core/api/error_bodies.hpp"
#include "core/encoding/json_member.hpp"
#include "core/encoding/text.hpp"
#include "core/http/url.hpp"

namespace otts::api {
namespace {

// A page of the sign-in UI: it loads nothing and is never framed. (No form-action: browsers
// apply it to the redirect that follows the post, which goes to the client's redirect_uri.)
http::Response page(http::Response response) {
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
    response.headers["X-Frame-Options"] = "DENY";
    return response;
}

http::Response html(int status, std::string body) {
    http::Response response;
    response.status = status;
    response.headers["Content-Type"] = "text/html; charset=utf-8";
    response.body = std::move(body);
    return page(std::move(response));
}

http::Response error_page(std::string message) {
    return page(error_response(ErrorShape::html, make_error(ErrorCode::bad_request, std::move(message))));
}

std::string param(const http::Params& params, const char* name) {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

// The OAuth parameters the form carries through, hidden.
constexpr const char* k_carried[] = {"client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method",
                                     "scope",     "response_type"};

// The sign-in form, carrying `params` through; with `problem` (a refused sign-in) shown above it.
http::Response sign_in_page(const http::Params& params, const std::optional<Error>& problem = std::nullopt) {
    std::string hidden;
    for (const char* name : k_carried) {
        hidden += "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" +
                  html_escape(param(params, name)) + "\">\n";
    }
    std::string email = param(params, "email");
    if (email.empty()) email = param(params, "login_hint");
    std::string text = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>otts dev IdP: sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:1rem 0 .25rem}input[type=email],input[type=text]{width:100%;padding:.4rem}
button{margin-top:1.25rem;padding:.5rem 1.25rem}.problem{color:#a00}.note{color:#555;font-size:.9rem}</style>
</head><body>
<h1>Sign in</h1>
<p class="note">otts development identity provider: no password, any email. Not for production.</p>
)";
    if (problem) text += "<p class=\"problem\" id=\"problem\">" + html_escape(problem->message()) + "</p>\n";
    text += "<form method=\"post\" action=\"/oauth2/authorize\">\n" + hidden +
            "<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" required value=\"" +
            html_escape(email) +
            "\">\n<label for=\"groups\">Groups (comma-separated)</label><input id=\"groups\" name=\"groups\" "
            "type=\"text\" value=\"" +
            html_escape(param(params, "groups")) +
            "\">\n<button id=\"sign-in\" type=\"submit\">Sign in</button>\n</form>\n</body></html>\n";
    return html(problem ? error_status(ErrorShape::html, *problem) : 200, std::move(text));
}

http::Response authorize_page(DevIdp& idp, const http::Request& request) {
    // A bad client or redirect_uri is shown, never redirected to (RFC 6749 §4.1.2.1).
    if (param(request.query, "client_id") != idp.config().client_id) return error_page("Unknown client_id.");
    if (!idp.redirect_allowed(param(request.query, "redirect_uri"))) {
        return error_page("redirect_uri is not a registered callback URL.");
    }
    return sign_in_page(request.query);
}

http::Response authorize_submit(DevIdp& idp, const http::Request& request) {
    auto form = url::decode_pairs(request.body);
    if (!form) return error_page("Malformed form.");
    SignInRequest sign_in{param(*form, "client_id"),
                          param(*form, "redirect_uri"),
                          param(*form, "code_challenge"),
                          param(*form, "code_challenge_method"),
                          param(*form, "scope"),
                          param(*form, "email"),
                          comma_list(param(*form, "groups"))};
    auto code = idp.sign_in(sign_in);
    if (!code) return sign_in_page(*form, code.error());
    url::Pairs back{{"code", *code}};
    if (auto state = param(*form, "state"); !state.empty()) back.emplace_back("state", state);
    http::Response response;
    response.status = 302;
    const char joiner = sign_in.redirect_uri.find('?') == std::string::npos ? '?' : '&';
    response.headers["Location"] = sign_in.redirect_uri + joiner + url::encode_pairs(back);
    return response;
}

http::Response oauth_error(ErrorCode code, std::string description) {
    return error_response(ErrorShape::oauth, make_error(code, std::move(description)));
}

http::Response token_answer(const IdpTokens& tokens) {
    nlohmann::json body{{"access_token", tokens.access_token},
                        {"id_token", tokens.id_token},
                        {"token_type", "Bearer"},
                        {"expires_in", DevIdp::k_token_ttl}};
    if (tokens.refresh_token) body["refresh_token"] = *tokens.refresh_token;
    return http::Response::json(200, body);
}

http::Response token_endpoint(DevIdp& idp, const http::Request& request) {
    auto form = url::decode_pairs(request.body);
    if (!form) return oauth_error(ErrorCode::bad_request, "malformed form body");
    const auto grant = param(*form, "grant_type");
    const auto client_id = param(*form, "client_id");
    Result<IdpTokens> tokens = make_error(ErrorCode::bad_request);
    if (grant == "authorization_code") {
        auto verifier = param(*form, "code_verifier");
        tokens = idp.code_grant(client_id, param(*form, "code"), param(*form, "redirect_uri"),
                                verifier.empty() ? std::nullopt : std::optional<std::string>(verifier));
    } else if (grant == "refresh_token") {
        tokens = idp.refresh_grant(client_id, param(*form, "refresh_token"));
    } else {
        return oauth_error(ErrorCode::unsupported, "grant_type must be authorization_code or refresh_token");
    }
    if (!tokens) {
        // A refused grant says why; a failure of ours says nothing.
        if (tokens.error().code == ErrorCode::invalid_token)
            return oauth_error(ErrorCode::invalid_token, tokens.error().message());
        return error_response(ErrorShape::oauth, make_error(ErrorCode::internal));
    }
    return token_answer(*tokens);
}

http::Response cognito_error(ErrorCode code, std::string message) {
    return error_response(ErrorShape::cognito, make_error(code, std::move(message)));
}

// The one Cognito JSON API call the token handler makes.
http::Response initiate_auth(DevIdp& idp, const http::Request& request) {
    if (request.header("X-Amz-Target").value_or("") != "AWSCognitoIdentityProviderService.InitiateAuth") {
        return cognito_error(ErrorCode::route_not_found, "only InitiateAuth is supported");
    }
    // Not json_object_body: Cognito's clients send application/x-amz-json-1.1.
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object()) return cognito_error(ErrorCode::bad_request, "body is not a JSON object");
    const auto flow = optional_string(body, "AuthFlow").value_or("");
    if (flow != "REFRESH_TOKEN_AUTH" && flow != "REFRESH_TOKEN") {
        return cognito_error(ErrorCode::unsupported, "only REFRESH_TOKEN_AUTH is supported");
    }
    const auto params = body.value("AuthParameters", nlohmann::json::object());
    const auto refresh_token = optional_string(params, "REFRESH_TOKEN").value_or("");
    auto tokens = idp.refresh_grant(optional_string(body, "ClientId").value_or(""), refresh_token);
    if (!tokens) return cognito_error(ErrorCode::invalid_token, "Invalid Refresh Token");
    auto response = http::Response::json(200, {{"AuthenticationResult",
                                                {{"AccessToken", tokens->access_token},
                                                 {"IdToken", tokens->id_token},
                                                 {"ExpiresIn", DevIdp::k_token_ttl},
                                                 {"TokenType", "Bearer"}}},
                                               {"ChallengeParameters", nlohmann::json::object()}});
    response.headers["Content-Type"] = "application/x-amz-json-1.1";
    return response;
}

}  // namespace

void add_dev_idp_routes(http::Router& router, DevIdp& idp) {
    router.add("GET", "/oauth2/authorize", [&idp](const http::Request& r) { return authorize_page(idp, r); });
    router.add("POST", "/oauth2/authorize", [&idp](const http::Request& r) { return authorize_submit(idp, r); });
    router.add("POST", "/oauth2/token", [&idp](const http::Request& r) { return token_endpoint(idp, r); });
    router.add("GET", "/.well-known/jwks.json", [&idp](const http::Request&) {
        http::Response response;
        response.headers["Content-Type"] = "application/json";
        response.body = idp.jwks();
        return response;
    });
    router.add("GET", "/.well-known/openid-configuration",
               [&idp](const http::Request&) { return http::Response::json(200, idp.openid_configuration()); });
    router.add("POST", "/", [&idp](const http::Request& r) { return initiate_auth(idp, r); });
}

}  // namespace otts::api
