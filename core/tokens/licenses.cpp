#include "core/tokens/licenses.hpp"

#include <algorithm>

#include "core/encoding/base64.hpp"
#include "core/encoding/text.hpp"
#include "core/jose/crypto.hpp"
#include "core/tokens/token_family.hpp"

namespace otts {
namespace {}  // namespace

std::string license_key_hash(std::string_view text) { return "sha256:" + hex_encode(crypto::sha256(text)); }

bool is_plausible_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    const auto domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() && email.size() <= 254 &&
           std::none_of(email.begin(), email.end(), [](char c) { return c <= ' ' || c == 0x7f; });
}

Licenses::Licenses(const Clock& clock, Random& random, jwt::KeySet keys, UnixSeconds leeway)
    : m_clock(clock), m_random(random), m_keys(std::move(keys)), m_leeway(leeway) {}

Result<License> Licenses::create(const LicenseRequest& request) const {
    if (m_keys.empty() || !m_keys.front().pkey || !m_keys.front().pkey->has_private()) {
        return make_error(ErrorCode::key_error, "no license private key");
    }
    if (!is_plausible_email(request.email)) return make_error(ErrorCode::usage, "invalid email address");
    const UnixSeconds now = m_clock.now();
    nlohmann::json claims = {
        {"id", m_random.uuid_v4()}, {"email", request.email}, {"nbf", now}, {"exp", now + request.valid_for}};
    if (request.workspace_limit) claims["workspace_limit"] = *request.workspace_limit;
    if (request.seat_count) claims["seat_count"] = *request.seat_count;
    OTTS_TRY(const auto jwt_text, jwt::encode(claims, m_keys.front()));
    std::string text = base64_encode(jwt_text);
    std::string hash = license_key_hash(text);
    return License{std::move(text), std::move(claims), std::move(hash)};
}

Result<License> Licenses::verify(std::string_view text) const {
    const std::string_view given = trim(text);
    if (given.size() > jwt::k_max_token_bytes * 2) return make_error(ErrorCode::invalid_token, "license too large");
    std::string compact;
    if (std::count(given.begin(), given.end(), '.') == 2) {
        compact = given;
    } else {
        auto decoded = base64_decode(given);
        if (!decoded) return make_error(ErrorCode::invalid_token, "license is not valid base64");
        compact = std::move(*decoded);
    }
    OTTS_TRY(auto claims, verify_family_token(compact, m_keys, Family::license, m_clock.now(), m_leeway));
    if (!is_plausible_email(claims["email"].get<std::string>())) {
        return make_error(ErrorCode::invalid_token, "license email is not an address");
    }
    return License{std::string(given), std::move(claims), license_key_hash(given)};
}

}  // namespace otts
