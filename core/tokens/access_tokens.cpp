#include "core/tokens/access_tokens.hpp"

#include "core/encoding/time_format.hpp"
#include "core/tokens/token_family.hpp"

namespace otts {
namespace {

bool read_number(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<UnixSeconds> parse_utc_timestamp(std::string_view t) {
    if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z')
        return std::nullopt;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!read_number(t, 0, 4, y) || !read_number(t, 5, 2, mo) || !read_number(t, 8, 2, d) ||
        !read_number(t, 11, 2, h) || !read_number(t, 14, 2, mi) || !read_number(t, 17, 2, s))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
}

AccessTokens::AccessTokens(Store& store, const Clock& clock, Random& random, jwt::KeySet keys, UnixSeconds leeway)
    : m_store(store), m_clock(clock), m_random(random), m_keys(std::move(keys)), m_leeway(leeway) {}

Result<TokenPair> AccessTokens::issue(const License& license) {
    if (m_keys.empty() || !m_keys.front().pkey || !m_keys.front().pkey->has_private())
        return make_error(ErrorCode::key_error, "no private key to sign access tokens");
    const UnixSeconds now = m_clock.now();
    const std::string email = license.claims.at("email").get<std::string>();
    const nlohmann::json common = {
        {"email", email}, {"sub", email}, {"license_key_hash", license.key_hash}, {"iat", now}};
    nlohmann::json access = common;
    access["type"] = "access";
    access["exp"] = now + k_access_ttl;
    access["license_expires_at"] = iso8601(license.claims.at("exp").get<UnixSeconds>());
    nlohmann::json refresh = common;
    refresh["type"] = "refresh";
    refresh["exp"] = now + k_refresh_ttl;
    refresh["jti"] = m_random.uuid_v4();
    OTTS_TRY(auto access_token, jwt::encode(access, m_keys.front()));
    OTTS_TRY(auto refresh_token, jwt::encode(refresh, m_keys.front()));
    return TokenPair{std::move(access_token), std::move(refresh_token), k_access_ttl, std::move(access),
                     std::move(refresh)};
}

Result<nlohmann::json> AccessTokens::check_access(std::string_view token) const {
    const UnixSeconds now = m_clock.now();
    OTTS_TRY(auto claims, verify_family_token(token, m_keys, Family::access, now, m_leeway));
    // As the original's authorizer: an access token dies with its license.
    const auto it = claims.find("license_expires_at");
    const auto license_exp =
        it != claims.end() && it->is_string() ? parse_utc_timestamp(it->get<std::string>()) : std::nullopt;
    if (!license_exp || now > *license_exp) return make_error(ErrorCode::invalid_token, "license expired");
    return claims;
}

Result<nlohmann::json> AccessTokens::check_refresh(std::string_view token) const {
    OTTS_TRY(auto claims, verify_family_token(token, m_keys, Family::refresh, m_clock.now(), m_leeway));
    if (!claims.contains("jti") || !claims["jti"].is_string())
        return make_error(ErrorCode::invalid_token, "refresh token without jti");
    return claims;
}

Result<TokenPair> AccessTokens::rotate(const nlohmann::json& refresh_claims, const License& license) {
    const UnixSeconds now = m_clock.now();
    const auto jti = refresh_claims.at("jti").get<std::string>();
    const UnixSeconds keep_until = jwt::record_expiry(jwt::expiry_of(refresh_claims));
    OTTS_TRY(const auto outcome, m_store.record_once(TokenKind::refresh_jti, jti, keep_until, now));
    if (outcome != ConsumeOutcome::consumed) return make_error(ErrorCode::token_used, "refresh token already used");
    return issue(license);
}

}  // namespace otts
