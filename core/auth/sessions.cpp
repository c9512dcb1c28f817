#include "core/auth/sessions.hpp"

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

namespace otts {

Sessions::Sessions(SessionStore& store, const Clock& clock, Random& random, std::string secret, CookieOptions cookie)
    : m_store(store), m_clock(clock), m_random(random), m_secret(std::move(secret)), m_cookie(std::move(cookie)) {}

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
        response.cookies.push_back(clearing_cookie());
        return {};
    }
    const bool changed = session.data != session.m_initial;
    if (!changed && !session.m_rotate) return {};
    if (session.data.empty() && !session.stored()) return {};
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
    const UnixSeconds lifetime = session.m_rotate ? k_session_lifetime : k_pending_lifetime;
    SessionRecord record{session.m_id, session.data.dump(), session.m_created_at, session.m_created_at + lifetime};
    OTTS_TRY_VOID(m_store.put_session(record));
    session.m_initial = session.data;
    session.m_rotate = false;
    response.cookies.push_back(set_cookie(session.m_id));
    return {};
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

std::string Sessions::clearing_cookie() const {
    return std::string(k_session_cookie) + "=; Max-Age=0" + cookie_attributes();
}

}  // namespace otts
