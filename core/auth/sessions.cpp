#include "core/auth/sessions.hpp"

#include <array>
#include <charconv>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

namespace otts {
namespace {

// "a.b.c" → {"a", "b", "c"}; nullopt for any other number of parts.
std::optional<std::array<std::string_view, 3>> three_parts(std::string_view text) {
    const auto first = text.find('.');
    const auto second = first == std::string_view::npos ? first : text.find('.', first + 1);
    if (second == std::string_view::npos || text.find('.', second + 1) != std::string_view::npos) return std::nullopt;
    return std::array{text.substr(0, first), text.substr(first + 1, second - first - 1), text.substr(second + 1)};
}

std::optional<UnixSeconds> parse_seconds(std::string_view text) {
    UnixSeconds value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

}  // namespace

Sessions::Sessions(SessionStore& store, const Clock& clock, Random& random, std::string secret, CookieOptions cookie)
    : m_store(store),
      m_clock(clock),
      m_random(random),
      m_secret(std::move(secret)),
      m_login_key(crypto::hmac_sha256(m_secret, "otts l42_login key")),
      m_cookie(std::move(cookie)) {}

Result<void> Sessions::check_secret(std::string_view secret) {
    if (secret.size() < k_min_session_secret) {
        return make_error(ErrorCode::key_error,
                          "SESSION_SECRET must be at least " + std::to_string(k_min_session_secret) + " characters");
    }
    return {};
}

std::string Sessions::sign(std::string_view id) const {
    return base64url_encode(id) + "." + base64url_encode(crypto::hmac_sha256(m_secret, id));
}

std::optional<std::string> Sessions::verify(std::string_view cookie_value) const {
    auto dot = cookie_value.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto id = base64url_decode(cookie_value.substr(0, dot));
    auto mac = base64url_decode(cookie_value.substr(dot + 1));
    if (!id || !mac || id->empty()) return std::nullopt;
    if (!crypto::equal_ct(*mac, crypto::hmac_sha256(m_secret, *id))) return std::nullopt;
    return id;
}

Result<Session> Sessions::load(const http::Request& request) const {
    Session session;
    auto cookie = request.cookies.find(k_session_cookie);
    if (cookie == request.cookies.end()) return session;
    auto id = verify(cookie->second);
    if (!id) return session;
    OTTS_TRY(auto record, m_store.get_session(*id, m_clock.now()));
    if (!record) return session;
    auto data = nlohmann::json::parse(record->data, nullptr, false);
    // A row this version cannot read is treated like an unknown cookie, not an outage.
    if (!data.is_object()) return session;
    session.m_id = record->id;
    session.m_created_at = record->created_at;
    session.data = data;
    session.m_initial = std::move(data);
    return session;
}

Result<void> Sessions::save(Session& session, http::Response& response) const {
    if (session.m_destroyed) {
        if (session.stored()) OTTS_TRY_VOID(m_store.delete_session(session.m_id));
        response.cookies.push_back(clearing_cookie(k_session_cookie));
        return {};
    }
    const bool changed = session.data != session.m_initial;
    if (!changed && !session.m_rotate) return {};
    // Rows are made at sign-in only: nothing an anonymous client sends can write one.
    if (!session.stored() && (!session.m_rotate || session.data.empty())) return {};
    const UnixSeconds now = m_clock.now();
    if (session.m_rotate && session.stored()) {
        OTTS_TRY_VOID(m_store.delete_session(session.m_id));
        session.m_id.clear();
    }
    if (!session.stored()) {
        session.m_id = base64url_encode(m_random.bytes(32));
        session.m_created_at = now;
    }
    // Only a new row takes these times; an existing one keeps its own (SessionStore::put_session).
    SessionRecord record{session.m_id, session.data.dump(), session.m_created_at,
                         session.m_created_at + k_session_lifetime};
    OTTS_TRY_VOID(m_store.put_session(record));
    session.m_initial = session.data;
    session.m_rotate = false;
    response.cookies.push_back(set_cookie(session.m_id));
    return {};
}

std::string Sessions::login_mac(std::string_view purpose, std::string_view text) const {
    return base64url_encode(crypto::hmac_sha256(m_login_key, std::string(purpose) + "\n" + std::string(text)));
}

PendingLogin Sessions::begin_login(http::Response& response) const {
    auto state = base64url_encode(m_random.bytes(32));
    const auto signed_part = state + "." + std::to_string(m_clock.now());
    response.cookies.push_back(std::string(k_login_cookie) + "=" + signed_part + "." +
                               login_mac("cookie", signed_part) + "; Max-Age=" + std::to_string(k_login_lifetime) +
                               cookie_attributes());
    auto verifier = login_mac("pkce verifier", state);
    return {std::move(state), std::move(verifier)};
}

std::optional<PendingLogin> Sessions::pending_login(const http::Request& request) const {
    const auto cookie = request.cookies.find(k_login_cookie);
    if (cookie == request.cookies.end()) return std::nullopt;
    const auto parts = three_parts(cookie->second);
    if (!parts) return std::nullopt;
    const auto [state, began_at, mac] = *parts;
    const auto signed_part = std::string_view(cookie->second).substr(0, state.size() + 1 + began_at.size());
    if (state.empty() || !crypto::equal_ct(mac, login_mac("cookie", signed_part))) return std::nullopt;
    // The MAC makes began_at ours; the age bound makes a kept or stolen cookie expire even if
    // the browser does not drop it at Max-Age.
    const auto began = parse_seconds(began_at);
    if (!began || m_clock.now() - *began >= k_login_lifetime) return std::nullopt;
    return PendingLogin{std::string(state), login_mac("pkce verifier", state)};
}

void Sessions::end_login(http::Response& response) const {
    response.cookies.push_back(clearing_cookie(k_login_cookie));
}

std::string Sessions::cookie_attributes() const {
    std::string out = "; Path=/; HttpOnly; SameSite=Lax";
    if (m_cookie.https_only) out += "; Secure";
    if (!m_cookie.domain.empty()) out += "; Domain=" + m_cookie.domain;
    return out;
}

std::string Sessions::set_cookie(const std::string& id) const {
    return std::string(k_session_cookie) + "=" + sign(id) + "; Max-Age=" + std::to_string(k_session_lifetime) +
           cookie_attributes();
}

std::string Sessions::clearing_cookie(std::string_view name) const {
    return std::string(name) + "=; Max-Age=0" + cookie_attributes();
}

}  // namespace otts
