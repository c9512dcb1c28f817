#pragma once
// S2 sessions (the l42 token handler): the browser holds only the cookie
//   l42_session = base64url(id) "." base64url(HMAC-SHA256(SESSION_SECRET, id))
// and the session's data lives in the SessionStore. A request without a valid cookie gets a
// fresh, empty session that is first stored (and sent as Set-Cookie) when a user signs in, so
// no request of an anonymous client writes a row. A tampered, truncated, foreign or unknown
// cookie is never an error: it silently starts a new session.
//
// A sign-in under way (/auth/login → the IdP → /auth/callback) is not a session row either: it
// is the signed l42_login cookie, below. The original stored it in the session, so every
// anonymous GET /auth/login wrote a row (2,000 requests made 2,014 rows; with --in-memory
// 173k of them took 100 MB). A cookie costs the server nothing per login, needs no per-address
// cap (which NAT and CGNAT would make either useless or unfair) and works unchanged across
// instances and the Lambda.
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
inline constexpr std::size_t k_min_session_secret = 32;

// l42_login = state "." began_at "." base64url(HMAC(login key, state "." began_at)), where the
// login key is HMAC(SESSION_SECRET, a label), so no l42_login MAC passes for a session's.
inline constexpr std::string_view k_login_cookie = "l42_login";
// Long enough for the IdP's sign-in page, short enough that a kept cookie is soon worthless.
inline constexpr UnixSeconds k_login_lifetime = 600;

// A sign-in this browser began. The PKCE verifier is derived from the state with the login
// key, so it is never sent to the browser: only the IdP's token endpoint sees it.
struct PendingLogin {
    std::string state;  // base64url of 32 random bytes, sent to the IdP
    std::string verifier;
};

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
    // Persists what the handler changed and adds the Set-Cookie it needs to `response`. A
    // session that never signed in is not stored, whatever its data.
    Result<void> save(Session& session, http::Response& response) const;

    // Begins a sign-in: a fresh state and its verifier; adds the l42_login cookie to `response`.
    PendingLogin begin_login(http::Response& response) const;
    // The sign-in the request's l42_login cookie names, if the cookie is genuine and younger
    // than k_login_lifetime.
    std::optional<PendingLogin> pending_login(const http::Request& request) const;
    // Clears the l42_login cookie (its sign-in is spent).
    void end_login(http::Response& response) const;

private:
    std::string set_cookie(const std::string& id) const;
    std::string clearing_cookie(std::string_view name) const;
    std::string cookie_attributes() const;
    std::string login_mac(std::string_view purpose, std::string_view text) const;

    SessionStore& m_store;
    const Clock& m_clock;
    Random& m_random;
    std::string m_secret;
    std::string m_login_key;
    CookieOptions m_cookie;
};

}  // namespace otts
