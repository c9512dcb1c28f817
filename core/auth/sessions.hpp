#pragma once
// S2 sessions (the l42 token handler): the browser holds only the cookie
//   l42_session = base64url(id) "." base64url(HMAC-SHA256(SESSION_SECRET, id))
// and the session's data lives in the SessionStore. A request without a valid cookie gets a
// fresh, empty session that is stored (and sent as Set-Cookie) only once a handler puts
// something in it, so anonymous requests write nothing. A tampered, truncated, foreign or
// unknown cookie is never an error: it silently starts a new session.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/ports/clock.hpp"
#include "core/http/http.hpp"
#include "core/ports/random.hpp"
#include "core/result.hpp"
#include "core/ports/session_store.hpp"

namespace otts {

inline constexpr std::string_view k_session_cookie = "l42_session";
inline constexpr UnixSeconds k_session_lifetime = 30 * 24 * 3600;  // absolute, from sign-in
// A session stored before anyone signed in (the PKCE verifier and state of /auth/login): an
// anonymous client can make these at will, so they go in an hour, not in 30 days.
inline constexpr UnixSeconds k_pending_lifetime = 3600;
inline constexpr std::size_t k_min_session_secret = 32;

struct CookieOptions {
    bool https_only = false;  // SESSION_HTTPS_ONLY: adds Secure
    std::string domain;       // COOKIE_DOMAIN: adds Domain=
};

// One request's view of its session. Handlers change `data`, or call sign_in / destroy.
class Session {
public:
    nlohmann::json data = nlohmann::json::object();

    // A user signed in: the session continues under a new id (no fixation: an id an attacker
    // planted before sign-in is worthless after it) with a fresh 30-day lifetime.
    void sign_in() { m_rotate = true; }
    // Logout or a failed refresh: the row is deleted and the cookie cleared.
    void destroy() {
        m_destroyed = true;
        data = nlohmann::json::object();
    }
    bool stored() const { return !m_id.empty(); }

private:
    friend class Sessions;
    std::string m_id;  // empty: not stored yet
    nlohmann::json m_initial = nlohmann::json::object();
    UnixSeconds m_created_at = 0;
    bool m_rotate = false;
    bool m_destroyed = false;
};

class Sessions {
public:
    // `secret` must hold at least k_min_session_secret characters (the caller checks with
    // check_secret, so a short one refuses to start rather than failing per request).
    Sessions(SessionStore& store, const Clock& clock, Random& random, std::string secret, CookieOptions cookie);

    static Result<void> check_secret(std::string_view secret);

    std::string sign(std::string_view id) const;
    // The id a cookie value carries if its signature is right.
    std::optional<std::string> verify(std::string_view cookie_value) const;

    // The request's session (a new empty one for a missing or bad cookie). store_error when the
    // store cannot be read.
    Result<Session> load(const http::Request& request) const;
    // Persists what the handler changed and adds the Set-Cookie it needs to `response`.
    Result<void> save(Session& session, http::Response& response) const;

private:
    std::string set_cookie(const std::string& id) const;
    std::string clearing_cookie() const;
    std::string cookie_attributes() const;

    SessionStore& m_store;
    const Clock& m_clock;
    Random& m_random;
    std::string m_secret;
    CookieOptions m_cookie;
};

}  // namespace otts
