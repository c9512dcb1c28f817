#include "core/api/secret_routes.hpp"

#include "core/api/error_bodies.hpp"
#include "core/api/json_body.hpp"

namespace otts::api {
namespace {

http::Response secrets_error(ErrorCode code, std::string detail = {}) {
    return error_response(ErrorShape::s0_secrets, make_error(code, std::move(detail)));
}

// One answer for every secret that cannot be read, whatever the reason.
http::Response not_available() { return secrets_error(ErrorCode::route_not_found); }

std::optional<http::Response> limited(RateLimiter* limiter, const http::Request& request, UnixSeconds now) {
    if (!limiter) return std::nullopt;
    auto retry = limiter->hit(request.source_ip, now);
    if (!retry) return std::nullopt;
    return retry_later(ErrorShape::s0_secrets, make_error(ErrorCode::rate_limited), *retry);
}

http::Response create(const SecretDeps& deps, const http::Request& request) {
    const auto token = request.bearer_token();
    if (!token) return secrets_error(ErrorCode::invalid_token, "missing Bearer token");
    auto body = json_object_body(request);
    if (!body) return secrets_error(ErrorCode::bad_request, body.error().message());
    // Checked before the token is spent: a refused body must not cost the caller the token.
    auto secret = Secrets::parse(*body);
    if (!secret) return secrets_error(ErrorCode::bad_request, secret.error().message());
    auto created = deps.secrets.create(*token, *secret);
    if (!created) return secrets_error(created.error().code);
    return http::Response::json(
        201, {{"id", created->id}, {"burnToken", created->burn_token}, {"expiresAt", created->expires_at}});
}

http::Response read(const SecretDeps& deps, const http::Request& request) {
    if (auto refused = limited(deps.read_limiter, request, deps.clock.now())) return *refused;
    std::optional<std::string_view> access_token;
    if (auto it = request.query.find("accessToken"); it != request.query.end()) access_token = it->second;
    auto view = deps.secrets.read(request.path_params.at("id"), access_token);
    if (!view) return secrets_error(view.error().code);
    if (!*view) return not_available();
    const auto& v = **view;
    return http::Response::json(200, {{"ciphertext", v.ciphertext},
                                      {"iv", v.iv},
                                      {"salt", v.salt ? nlohmann::json(*v.salt) : nlohmann::json(nullptr)},
                                      {"passphraseProtected", v.passphrase_protected},
                                      {"accessToken", v.access_token}});
}

http::Response burn(const SecretDeps& deps, const http::Request& request) {
    if (auto refused = limited(deps.burn_limiter, request, deps.clock.now())) return *refused;
    const auto burn_token = request.header("X-Burn-Token").value_or("");
    if (auto burned = deps.secrets.burn(request.path_params.at("id"), burn_token); !burned) {
        return secrets_error(burned.error().code);
    }
    http::Response response;
    response.status = 204;
    return response;
}

}  // namespace

void add_secret_routes(http::Router& router, SecretDeps deps) {
    router.add("POST", "/secrets", [deps](const http::Request& r) { return create(deps, r); });
    router.add("GET", "/secrets/{id}", [deps](const http::Request& r) { return read(deps, r); });
    router.add("DELETE", "/secrets/{id}", [deps](const http::Request& r) { return burn(deps, r); });
}

}  // namespace otts::api
