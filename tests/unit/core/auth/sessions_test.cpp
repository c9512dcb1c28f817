#include "core/auth/sessions.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "adapters/sqlite_store.hpp"
#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"
#include "core/auth/pkce.hpp"
#include "tests/support/failing_store.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"
#include "tests/support/sqlite_fixture.hpp"

using namespace otts;

namespace {

using otts::test::open_memory;

const std::string k_secret = "0123456789abcdef0123456789abcdef-session";
constexpr const char* k_attributes = "; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax";

// The cookie value of a "l42_session=VALUE; ..." Set-Cookie line.
std::string cookie_value(const std::string& set_cookie) {
    const std::string prefix = "l42_session=";
    REQUIRE(set_cookie.starts_with(prefix));
    return set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
}

struct SessionsFixture {
    test::FakeClock clock;
    test::SeededRandom random;
    std::unique_ptr<SqliteStore> sqlite = open_memory();
    SessionStore& store = sqlite->sessions();
    Sessions sessions;

    explicit SessionsFixture(CookieOptions cookie = {}) : sessions(store, clock, random, k_secret, std::move(cookie)) {}

    static http::Request with_cookie(const std::string& value) {
        http::Request r;
        r.method = "GET";
        r.path = "/auth/me";
        r.cookies[std::string(k_session_cookie)] = value;
        return r;
    }

    Session load(const http::Request& request) {
        auto session = sessions.load(request);
        REQUIRE(session);
        return std::move(session).value();
    }

    // Saves and returns the response (its cookies are what the browser would get).
    http::Response save(Session& session) {
        http::Response response;
        REQUIRE(sessions.save(session, response));
        return response;
    }

    // A signed-in session holding {"user": name}; returns its cookie value.
    std::string stored_session(const std::string& name = "alice") {
        auto session = load(http::Request{});
        session.data["user"] = name;
        session.sign_in();
        auto response = save(session);
        REQUIRE(response.cookies.size() == 1);
        return cookie_value(response.cookies[0]);
    }

    std::optional<SessionRecord> row(const std::string& cookie) {
        auto id = sessions.verify(cookie);
        REQUIRE(id);
        auto record = store.get_session(*id, clock.now());
        REQUIRE(record);
        return *record;
    }

    // How many rows the table holds (sweeping everything: call last).
    std::int64_t count_rows() {
        auto n = store.sweep_sessions(std::numeric_limits<UnixSeconds>::max());
        REQUIRE(n);
        return *n;
    }
};

}  // namespace

TEST_CASE("pkce_challenge matches RFC 7636 appendix B", "[s2][sessions]") {
    CHECK(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("sign gives base64url(id) '.' base64url(HMAC-SHA256(secret, id)) and verify reads it back",
          "[s2][sessions]") {
    SessionsFixture f;
    const std::vector<std::string> ids{"abc", "x", std::string(43, 'Q'), std::string("\x00\xff\x10", 3)};
    for (const auto& id : ids) {
        const auto cookie = f.sessions.sign(id);
        CHECK(cookie == base64url_encode(id) + "." + base64url_encode(crypto::hmac_sha256(k_secret, id)));
        CHECK(f.sessions.verify(cookie) == id);
    }
    // An independent known value: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    const std::string fox = "The quick brown fox jumps over the lazy dog";
    CHECK(hex_encode(crypto::hmac_sha256("key", fox)) ==
          "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST_CASE("verify refuses tampered, truncated, dotless, empty-id and foreign cookies", "[s2][sessions]") {
    SessionsFixture f;
    const std::string id = "session-id-0123456789";
    const auto good = f.sessions.sign(id);
    const auto dot = good.find('.');
    auto tampered_id = good;
    tampered_id[0] = tampered_id[0] == 'A' ? 'B' : 'A';
    auto tampered_mac = good;
    tampered_mac[dot + 1] = tampered_mac[dot + 1] == 'A' ? 'B' : 'A';
    test::FakeClock clock;
    test::SeededRandom random;
    auto sqlite = open_memory();
    Sessions foreign(sqlite->sessions(), clock, random, std::string(k_secret.rbegin(), k_secret.rend()), {});
    const std::string cases[] = {
        tampered_id,
        tampered_mac,
        good.substr(0, good.size() - 1),
        good.substr(0, good.size() - 4),
        good.substr(0, dot),
        good.substr(dot + 1),
        good.substr(0, dot + 1),
        good + ".x",
        good + "=",
        "." + base64url_encode(crypto::hmac_sha256(k_secret, "")),
        foreign.sign(id),
        "",
        ".",
    };
    for (const auto& cookie : cases) {
        INFO(cookie);
        CHECK_FALSE(f.sessions.verify(cookie).has_value());
    }
    CHECK(f.sessions.verify(good) == id);
}

TEST_CASE("load gives a new unstored session for any bad cookie, and the stored one for the good cookie",
          "[s2][sessions]") {
    SessionsFixture f;
    const auto good = f.stored_session("alice");
    const auto dot = good.find('.');
    auto tampered_mac = good;
    tampered_mac[dot + 1] = tampered_mac[dot + 1] == 'A' ? 'B' : 'A';
    auto other = f.sessions.sign("never-stored");
    for (const auto& cookie : {tampered_mac, good.substr(0, good.size() - 1), good.substr(0, dot), other}) {
        INFO(cookie);
        auto session = f.load(SessionsFixture::with_cookie(cookie));
        CHECK_FALSE(session.stored());
        CHECK(session.data == nlohmann::json::object());
    }
    auto session = f.load(SessionsFixture::with_cookie(good));
    CHECK(session.stored());
    CHECK(session.data == nlohmann::json{{"user", "alice"}});
}

TEST_CASE("a validly signed but unknown id is not adopted: saving stores a fresh id", "[s2][sessions]") {
    SessionsFixture f;
    const auto planted = f.sessions.sign("planted-by-someone");
    auto session = f.load(SessionsFixture::with_cookie(planted));
    session.data["user"] = "victim";
    session.sign_in();
    auto response = f.save(session);
    REQUIRE(response.cookies.size() == 1);
    const auto cookie = cookie_value(response.cookies[0]);
    CHECK(cookie != planted);
    CHECK(f.sessions.verify(cookie) != "planted-by-someone");
    CHECK_FALSE(f.store.get_session("planted-by-someone", f.clock.now()).value().has_value());
}

TEST_CASE("a row whose data is not a JSON object loads as a new session", "[s2][sessions]") {
    SessionsFixture f;
    REQUIRE(f.store.put_session({"odd-row", "[1,2]", f.clock.now(), f.clock.now() + 100}));
    auto session = f.load(SessionsFixture::with_cookie(f.sessions.sign("odd-row")));
    CHECK_FALSE(session.stored());
    CHECK(session.data == nlohmann::json::object());
}

TEST_CASE("an unchanged anonymous session sets no cookie and stores nothing", "[s2][sessions]") {
    SessionsFixture f;
    auto session = f.load(http::Request{});
    CHECK_FALSE(session.stored());
    CHECK(f.save(session).cookies.empty());
    // A bad cookie is no different.
    auto bad = f.load(SessionsFixture::with_cookie("garbage.cookie"));
    CHECK(f.save(bad).cookies.empty());
    // Nor does data put in a session nobody signed in to (rows are made at sign-in only).
    auto anonymous = f.load(http::Request{});
    anonymous.data["oauth_state"] = "xyz";
    CHECK(f.save(anonymous).cookies.empty());
    CHECK_FALSE(anonymous.stored());
    // sign_in on a session with no data writes nothing either.
    auto empty = f.load(http::Request{});
    empty.sign_in();
    CHECK(f.save(empty).cookies.empty());
    CHECK(f.count_rows() == 0);
}

TEST_CASE("an unchanged stored session is not written again and gets no cookie", "[s2][sessions]") {
    SessionsFixture f;
    const auto cookie = f.stored_session();
    auto session = f.load(SessionsFixture::with_cookie(cookie));
    REQUIRE(session.stored());
    CHECK(f.save(session).cookies.empty());
}

TEST_CASE("a session signed in to is stored for 30 days and sent as a Lax HttpOnly cookie", "[s2][sessions]") {
    SessionsFixture f;
    auto session = f.load(http::Request{});
    session.data["oauth_state"] = "xyz";
    session.sign_in();
    auto response = f.save(session);
    CHECK(session.stored());
    REQUIRE(response.cookies.size() == 1);
    const auto& line = response.cookies[0];
    const auto value = cookie_value(line);
    CHECK(line == "l42_session=" + value + k_attributes);
    const auto id = f.sessions.verify(value);
    REQUIRE(id);
    CHECK(base64url_decode(*id).value_or("").size() == 32);  // base64url of 32 random bytes
    const auto record = f.row(value);
    REQUIRE(record);
    CHECK(nlohmann::json::parse(record->data) == nlohmann::json{{"oauth_state", "xyz"}});
    CHECK(record->created_at == f.clock.now());
    CHECK(record->expires_at == f.clock.now() + k_session_lifetime);
    // A further change keeps the id and writes the new data.
    auto again = f.load(SessionsFixture::with_cookie(value));
    again.data["oauth_state"] = "abc";
    auto second = f.save(again);
    REQUIRE(second.cookies.size() == 1);
    CHECK(cookie_value(second.cookies[0]) == value);
    CHECK(nlohmann::json::parse(f.row(value)->data) == nlohmann::json{{"oauth_state", "abc"}});
}

TEST_CASE("cookie attributes add Secure and Domain when configured", "[s2][sessions]") {
    SECTION("https only") {
        SessionsFixture f(CookieOptions{.https_only = true, .domain = ""});
        auto session = f.load(http::Request{});
        session.data["k"] = 1;
        session.sign_in();
        auto response = f.save(session);
        REQUIRE(response.cookies.size() == 1);
        CHECK(response.cookies[0].ends_with(std::string(k_attributes) + "; Secure"));
        session.destroy();
        auto cleared = f.save(session);
        REQUIRE(cleared.cookies.size() == 1);
        CHECK(cleared.cookies[0] == "l42_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure");
    }
    SECTION("https only and a domain") {
        SessionsFixture f(CookieOptions{.https_only = true, .domain = "example.com"});
        auto session = f.load(http::Request{});
        session.data["k"] = 1;
        session.sign_in();
        auto response = f.save(session);
        REQUIRE(response.cookies.size() == 1);
        CHECK(response.cookies[0].ends_with(std::string(k_attributes) + "; Secure; Domain=example.com"));
    }
    SECTION("a domain alone") {
        SessionsFixture f(CookieOptions{.https_only = false, .domain = "x"});
        auto session = f.load(http::Request{});
        session.data["k"] = 1;
        session.sign_in();
        auto response = f.save(session);
        REQUIRE(response.cookies.size() == 1);
        CHECK(response.cookies[0].ends_with(std::string(k_attributes) + "; Domain=x"));
        CHECK(response.cookies[0].find("Secure") == std::string::npos);
    }
}

TEST_CASE("sign_in rotates the id: the old row is deleted and the lifetime starts again", "[s2][sessions]") {
    SessionsFixture f;
    const auto t0 = f.clock.now();
    const auto old_cookie = f.stored_session("pre-login");
    const auto old_id = f.sessions.verify(old_cookie).value();
    f.clock.advance(100);
    auto session = f.load(SessionsFixture::with_cookie(old_cookie));
    REQUIRE(session.stored());
    session.data["tokens"] = {{"id_token", "t"}};
    session.sign_in();
    auto response = f.save(session);
    REQUIRE(response.cookies.size() == 1);
    const auto new_cookie = cookie_value(response.cookies[0]);
    CHECK(new_cookie != old_cookie);
    CHECK(f.sessions.verify(new_cookie) != old_id);
    CHECK_FALSE(f.store.get_session(old_id, f.clock.now()).value().has_value());
    const auto record = f.row(new_cookie);
    REQUIRE(record);
    CHECK(record->created_at == t0 + 100);
    CHECK(record->expires_at == t0 + 100 + k_session_lifetime);
    CHECK(nlohmann::json::parse(record->data) ==
          nlohmann::json{{"user", "pre-login"}, {"tokens", {{"id_token", "t"}}}});
    CHECK_FALSE(f.load(SessionsFixture::with_cookie(old_cookie)).stored());
    CHECK(f.load(SessionsFixture::with_cookie(new_cookie)).stored());
    CHECK(f.count_rows() == 1);
}

TEST_CASE("sign_in rotates even when the data did not change", "[s2][sessions]") {
    SessionsFixture f;
    const auto old_cookie = f.stored_session();
    auto session = f.load(SessionsFixture::with_cookie(old_cookie));
    session.sign_in();
    auto response = f.save(session);
    REQUIRE(response.cookies.size() == 1);
    CHECK(cookie_value(response.cookies[0]) != old_cookie);
    CHECK_FALSE(f.load(SessionsFixture::with_cookie(old_cookie)).stored());
}

TEST_CASE("destroy deletes the row and clears the cookie", "[s2][sessions]") {
    SessionsFixture f;
    const auto cookie = f.stored_session();
    auto session = f.load(SessionsFixture::with_cookie(cookie));
    session.destroy();
    CHECK(session.data == nlohmann::json::object());
    auto response = f.save(session);
    REQUIRE(response.cookies.size() == 1);
    CHECK(response.cookies[0] == "l42_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    CHECK_FALSE(f.row(cookie).has_value());
    CHECK(f.count_rows() == 0);
}

TEST_CASE("destroy of an unstored session clears the cookie and stores nothing", "[s2][sessions]") {
    SessionsFixture f;
    auto session = f.load(http::Request{});
    session.data["x"] = 1;
    session.destroy();
    auto response = f.save(session);
    REQUIRE(response.cookies.size() == 1);
    CHECK(response.cookies[0].starts_with("l42_session=; Max-Age=0"));
    CHECK(f.count_rows() == 0);
}

TEST_CASE("a session's lifetime is absolute: 30 days after it began it reads as absent", "[s2][sessions]") {
    SessionsFixture f;
    const auto cookie = f.stored_session("alice");
    f.clock.advance(10 * 24 * 3600);
    auto session = f.load(SessionsFixture::with_cookie(cookie));
    REQUIRE(session.stored());
    session.data["user"] = "still-alice";
    REQUIRE(f.save(session).cookies.size() == 1);  // a write does not extend the lifetime
    f.clock.advance(20 * 24 * 3600 - 1);
    CHECK(f.load(SessionsFixture::with_cookie(cookie)).stored());
    f.clock.advance(1);
    auto expired = f.load(SessionsFixture::with_cookie(cookie));
    CHECK_FALSE(expired.stored());
    CHECK(expired.data == nlohmann::json::object());
}

TEST_CASE("begin_login sets a 10-minute l42_login cookie that pending_login reads back", "[s2][sessions]") {
    SessionsFixture f(CookieOptions{.https_only = true, .domain = "example.com"});
    http::Response response;
    const auto begun = f.sessions.begin_login(response);
    CHECK(base64url_decode(begun.state).value_or("").size() == 32);
    CHECK(begun.verifier.size() == 43);  // a valid PKCE verifier (RFC 7636: 43..128 characters)
    CHECK(begun.verifier != begun.state);
    REQUIRE(response.cookies.size() == 1);
    const auto& line = response.cookies[0];
    const std::string prefix = "l42_login=";
    REQUIRE(line.starts_with(prefix));
    const auto value = line.substr(prefix.size(), line.find(';') - prefix.size());
    CHECK(line == prefix + value + "; Max-Age=600; Path=/; HttpOnly; SameSite=Lax; Secure; Domain=example.com");
    CHECK(value.find(begun.verifier) == std::string::npos);  // the verifier stays on the server
    http::Request request;
    request.cookies["l42_login"] = value;
    // Another secret does not take it; a session cookie is no login.
    Sessions other(f.store, f.clock, f.random, k_secret + "-other", {});
    CHECK_FALSE(other.pending_login(request));
    http::Request session_cookie;
    session_cookie.cookies["l42_login"] = f.sessions.sign(begun.state);
    CHECK_FALSE(f.sessions.pending_login(session_cookie));
    f.clock.advance(k_login_lifetime - 1);
    const auto pending = f.sessions.pending_login(request);
    REQUIRE(pending);
    CHECK(pending->state == begun.state);
    CHECK(pending->verifier == begun.verifier);
    f.clock.advance(1);
    CHECK_FALSE(f.sessions.pending_login(request));
    http::Response cleared;
    f.sessions.end_login(cleared);
    CHECK(cleared.cookies == std::vector<std::string>{
                                 "l42_login=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure; Domain=example.com"});
    CHECK(f.count_rows() == 0);
}

TEST_CASE("load reports store_error when the store cannot be read", "[s2][sessions]") {
    test::FakeClock clock;
    test::SeededRandom random;
    auto sqlite = open_memory();
    test::FailingSessionStore store(sqlite->sessions());
    store.failing = true;
    Sessions sessions(store, clock, random, k_secret, {});
    // No cookie: the store is not asked.
    CHECK(sessions.load(http::Request{}));
    auto r = sessions.load(SessionsFixture::with_cookie(sessions.sign("some-id")));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::store_error);
}

TEST_CASE("check_secret wants at least 32 characters", "[s2][sessions]") {
    auto short_one = Sessions::check_secret(std::string(31, 's'));
    REQUIRE_FALSE(short_one);
    CHECK(short_one.error().code == ErrorCode::key_error);
    CHECK(short_one.error().message().find("32") != std::string::npos);
    CHECK(Sessions::check_secret(std::string(32, 's')));
    CHECK_FALSE(Sessions::check_secret(""));
}
