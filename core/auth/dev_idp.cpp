#include "core/auth/dev_idp.hpp"

#include <algorithm>

#include "core/encoding/json_member.hpp"
#include "core/jose/crypto.hpp"
#include "core/jose/jwks.hpp"
#include "core/auth/pkce.hpp"
#include "core/http/url.hpp"

namespace otts {
namespace {

constexpr std::string_view k_scope = "openid email profile aws.cognito.signin.user.admin";

Error invalid_grant(std::string detail) { return make_error(ErrorCode::invalid_token, std::move(detail)); }

bool printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= 0x20 && c != 0x7f; });
}

std::vector<std::string> string_list(const nlohmann::json& value) {
    std::vector<std::string> out;
    if (!value.is_array()) return out;
    for (const auto& item : value) {
        if (item.is_string()) out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace

std::string cognito_issuer(std::string_view region, std::string_view pool_id) {
    return "https://cognito-idp." + std::string(region) + ".amazonaws.com/" + std::string(pool_id);
}

std::string dev_idp_sub(std::string_view email) {
    std::string lower(email);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    auto digest = crypto::sha256("otts dev idp sub\n" + lower);
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string hex;
    for (int i = 0; i < 16; ++i) {
        auto byte = static_cast<unsigned char>(digest[i]);
        if (i == 6) byte = (byte & 0x0f) | 0x40;  // version 4 layout, as Cognito's subs look
        if (i == 8) byte = (byte & 0x3f) | 0x80;
        hex += k_hex[byte >> 4];
        hex += k_hex[byte & 15];
    }
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

DevIdp::DevIdp(DevIdpConfig config, jwt::Key key, Store& store, const Clock& clock, Random& random)
    : m_config(std::move(config)), m_key(std::move(key)), m_store(store), m_clock(clock), m_random(random) {}

bool DevIdp::redirect_allowed(std::string_view redirect_uri) const {
    const auto& registered = m_config.redirect_uris;
    return std::find(registered.begin(), registered.end(), redirect_uri) != registered.end();
}

Result<std::string> DevIdp::sign_in(const SignInRequest& request) {
    auto bad = [](std::string detail) { return make_error(ErrorCode::bad_request, std::move(detail)); };
    if (request.client_id != m_config.client_id) return bad("unknown client_id");
    if (!redirect_allowed(request.redirect_uri)) return bad("redirect_uri is not a registered callback URL");
    const auto at = request.email.find('@');
    if (request.email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == request.email.size() ||
        !printable(request.email) || request.email.find(' ') != std::string::npos) {
        return bad("enter an email address");
    }
    if (!request.code_challenge.empty() && request.code_challenge_method != "S256") {
        return bad("code_challenge_method must be S256");
    }
    for (const auto& group : request.groups) {
        if (group.empty() || group.size() > 128 || !printable(group)) return bad("a group name is empty or too long");
    }
    const UnixSeconds now = m_clock.now();
    nlohmann::json claims{{"iss", m_config.issuer},
                          {"aud", m_config.issuer + "/oauth2/token"},
                          {"token_use", "code"},
                          {"jti", m_random.uuid_v4()},
                          {"iat", now},
                          {"exp", now + k_code_ttl},
                          {"client_id", request.client_id},
                          {"redirect_uri", request.redirect_uri},
                          {"code_challenge", request.code_challenge},
                          {"email", request.email},
                          {"groups", request.groups}};
    return jwt::encode(claims, m_key);
}

Result<nlohmann::json> DevIdp::verify_own(const std::string& token, std::string_view use) {
    auto claims = jwt::verify(token, jwt::KeySet{m_key}, {.now = m_clock.now(), .leeway = 0});
    if (!claims) return invalid_grant(std::string(use) + " is invalid or expired");
    if (claims->value("aud", "") != m_config.issuer + "/oauth2/token" || claims->value("token_use", "") != use) {
        return invalid_grant(std::string(use) + " is invalid");
    }
    return claims;
}

Result<IdpTokens> DevIdp::code_grant(const std::string& client_id, const std::string& code,
                                     const std::string& redirect_uri, const std::optional<std::string>& code_verifier) {
    OTTS_TRY(auto claims, verify_own(code, "code"));
    if (optional_string(claims, "client_id").value_or("") != client_id)
        return invalid_grant("code was issued to another client");
    // Registered still: a code minted before the list changed does not outlive the change.
    if (!redirect_allowed(redirect_uri)) return invalid_grant("redirect_uri is not a registered callback URL");
    if (optional_string(claims, "redirect_uri").value_or("") != redirect_uri)
        return invalid_grant("redirect_uri does not match");
    const auto challenge = optional_string(claims, "code_challenge").value_or("");
    if (!challenge.empty() && (!code_verifier || !crypto::equal_ct(pkce_challenge(*code_verifier), challenge))) {
        return invalid_grant("code_verifier does not match the code_challenge");
    }
    OTTS_TRY(auto once, m_store.record_once(TokenKind::idp_code, optional_string(claims, "jti").value_or(""),
                                            jwt::record_expiry(jwt::expiry_of(claims)), m_clock.now()));
    if (once != ConsumeOutcome::consumed) return invalid_grant("code was already used");
    return tokens_for({optional_string(claims, "email").value_or(""), string_list(claims["groups"])}, true);
}

Result<IdpTokens> DevIdp::refresh_grant(const std::string& client_id, const std::string& refresh_token) {
    OTTS_TRY(auto claims, verify_own(refresh_token, "refresh"));
    if (optional_string(claims, "client_id").value_or("") != client_id)
        return invalid_grant("refresh token was issued to another client");
    return tokens_for({optional_string(claims, "email").value_or(""), string_list(claims["groups"])}, false);
}

Result<IdpTokens> DevIdp::tokens_for(const User& user, bool with_refresh) {
    const UnixSeconds now = m_clock.now();
    const auto sub = dev_idp_sub(user.email);
    const auto origin_jti = m_random.uuid_v4();
    nlohmann::json common{{"sub", sub},
                          {"iss", m_config.issuer},
                          {"origin_jti", origin_jti},
                          {"event_id", m_random.uuid_v4()},
                          {"auth_time", now},
                          {"iat", now},
                          {"exp", now + k_token_ttl}};
    if (!user.groups.empty()) common["cognito:groups"] = user.groups;
    auto id = common;
    id.update({{"aud", m_config.client_id},
               {"token_use", "id"},
               {"cognito:username", sub},
               {"email", user.email},
               {"email_verified", true},
               {"jti", m_random.uuid_v4()}});
    auto access = common;
    access.update({{"client_id", m_config.client_id},
                   {"token_use", "access"},
                   {"scope", k_scope},
                   {"username", sub},
                   {"jti", m_random.uuid_v4()}});
    IdpTokens tokens;
    OTTS_TRY(tokens.id_token, jwt::encode(id, m_key));
    OTTS_TRY(tokens.access_token, jwt::encode(access, m_key));
    if (with_refresh) {
        nlohmann::json refresh{{"iss", m_config.issuer},    {"aud", m_config.issuer + "/oauth2/token"},
                               {"token_use", "refresh"},    {"client_id", m_config.client_id},
                               {"email", user.email},       {"groups", user.groups},
                               {"jti", m_random.uuid_v4()}, {"iat", now},
                               {"exp", now + k_refresh_ttl}};
        OTTS_TRY(tokens.refresh_token, jwt::encode(refresh, m_key));
    }
    return tokens;
}

std::string DevIdp::jwks() const { return jwks_document(jwt::KeySet{m_key}); }

nlohmann::json DevIdp::openid_configuration() const {
    const auto& base = m_config.base_url;
    return {{"issuer", m_config.issuer},
            {"authorization_endpoint", base + "/oauth2/authorize"},
            {"token_endpoint", base + "/oauth2/token"},
            {"jwks_uri", base + "/.well-known/jwks.json"},
            {"response_types_supported", {"code"}},
            {"grant_types_supported", {"authorization_code", "refresh_token"}},
            {"subject_types_supported", {"public"}},
            {"id_token_signing_alg_values_supported", {"RS256"}},
            {"code_challenge_methods_supported", {"S256"}},
            {"scopes_supported", {"openid", "email", "profile", "aws.cognito.signin.user.admin"}},
            {"token_endpoint_auth_methods_supported", {"none", "client_secret_post"}}};
}

Result<jwt::KeySet> DevIdp::signing_keys(std::string_view) { return jwt::KeySet{m_key}; }

Result<IdpTokens> DevIdp::exchange_code(const std::string& code, const std::string& redirect_uri,
                                        const std::optional<std::string>& code_verifier) {
    return code_grant(m_config.client_id, code, redirect_uri, code_verifier);
}

Result<IdpTokens> DevIdp::refresh(const std::string& refresh_token, const std::string&) {
    return refresh_grant(m_config.client_id, refresh_token);
}

}  // namespace otts
