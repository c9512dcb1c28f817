#include "core/api/token_handler_routes.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "adapters/sqlite_store.hpp"
#include "core/auth/dev_idp.hpp"
#include "core/http/url.hpp"
#include "tests/support/failing_store.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"
#include "tests/support/sqlite_fixture.hpp"
#include "tests/support/test_keys.hpp"

using namespace otts;

namespace {

using otts::test::open_memory;

constexpr const char* k_idp_base_url = "http://127.0.0.1:8080";
constexpr const char* k_idp_issuer = "https://cognito-idp.us-west-2.amazonaws.com/local_otts";
constexpr const char* k_app_client = "app-client";
constexpr const char* k_frontend = "http://localhost:3000";
constexpr const char* k_callback = "http://localhost:3000/auth/callback";
const std::string k_session_secret = "an-l42-session-secret-of-enough-length";
constexpr const char* k_authz_rules = R"({"rules":[
    {"group":"admin","actions":["*"]},
    {"group":"user","actions":["write:own"],"owner_only":true}]})";

const jwt::Key& handler_idp_key() {
    static const jwt::Key key = jwt::Key::rs256(test::rsa_key(), "auth-routes-test").value();
    return key;
}

DevIdpConfig idp_config(const std::string& issuer = k_idp_issuer, const std::string& client_id = k_app_client) {
    DevIdpConfig c;
    c.base_url = k_idp_base_url;
    c.issuer = issuer;
    c.client_id = client_id;
    c.redirect_uris = {k_callback, "https://app.example.com/auth/callback", "http://127.0.0.1:9/cb"};
    return c;
}

// The dev IdP, with refresh failures to order and the username refresh was called with.
class FlakyIdp final : public IdentityProvider {
public:
    explicit FlakyIdp(DevIdp& inner) : m_inner(inner) {}
    std::optional<Error> refresh_error;
    std::string last_username;

    Result<jwt::KeySet> signing_keys(std::string_view kid) override { return m_inner.signing_keys(kid); }
    Result<IdpTokens> exchange_code(const std::string& code, const std::string& redirect_uri,
                                    const std::optional<std::string>& verifier) override {
        return m_inner.exchange_code(code, redirect_uri, verifier);
    }
    Result<IdpTokens> refresh(const std::string& refresh_token, const std::string& username) override {
        last_username = username;
        if (refresh_error) return *refresh_error;
        return m_inner.refresh(refresh_token, username);
    }

private:
    DevIdp& m_inner;
};

http::Response render_message(const http::Request&, const Error& e) {
    return http::Response::json(error_info(e.code).http_status, {{"error", std::string(error_info(e.code).name)}});
}

api::TokenHandlerConfig base_config() {
    api::TokenHandlerConfig c;
    c.frontend_url = k_frontend;
    c.authorize_endpoint = std::string(k_idp_base_url) + "/oauth2/authorize";
    c.client_id = k_app_client;
    c.audiences = {k_app_client, "extra-audience"};
    c.issuer = k_idp_issuer;
    return c;
}

nlohmann::json json_of(const http::Response& r) { return nlohmann::json::parse(r.body); }

// The value a response sets for cookie `name` (l42_session unless told), if it sets one.
std::optional<std::string> set_cookie(const http::Response& r, const std::string& name = "l42_session") {
    for (const auto& line : r.cookies) {
        const std::string prefix = name + "=";
        if (line.starts_with(prefix)) return line.substr(prefix.size(), line.find(';') - prefix.size());
    }
    return std::nullopt;
}

std::optional<std::string> login_cookie(const http::Response& r) { return set_cookie(r, "l42_login"); }

bool clears_cookie(const http::Response& r) {
    return r.cookies.size() == 1 && r.cookies[0].starts_with("l42_session=; Max-Age=0");
}

// A callback's answer when the login it answered is spent: l42_login cleared, nothing else.
bool only_ends_login(const http::Response& r) {
    return r.cookies.size() == 1 && r.cookies[0].starts_with("l42_login=; Max-Age=0");
}

http::Params query_of(const std::string& location) {
    auto q = url::decode_pairs(location.substr(location.find('?') + 1));
    REQUIRE(q);
    return *q;
}

struct SignedIn {
    std::string cookie;
    std::string login_cookie;
    http::Response callback;
};

struct AuthFixture {
    test::FakeClock clock;
    test::SeededRandom random;
    std::unique_ptr<SqliteStore> sqlite = open_memory();
    test::FailingSessionStore session_store{sqlite->sessions()};
    Sessions sessions{session_store, clock, random, k_session_secret, {}};
    DevIdp dev{idp_config(), handler_idp_key(), *sqlite, clock, random};
    FlakyIdp idp{dev};
    AuthzPolicy policy = AuthzPolicy::parse(k_authz_rules).value();
    http::Router router{render_message};
    api::SessionUser session_user;

    explicit AuthFixture(const std::function<void(api::TokenHandlerConfig&)>& tweak = {}, bool with_policy = true) {
        auto config = base_config();
        if (tweak) tweak(config);
        session_user = api::add_token_handler_routes(
            router, api::TokenHandlerDeps{config, sessions, idp, with_policy ? &policy : nullptr, clock, random});
    }

    static http::Request request(std::string method, std::string path, const std::string& cookie = {},
                                 const std::string& login = {}) {
        http::Request r;
        r.method = std::move(method);
        r.path = std::move(path);
        if (!cookie.empty()) r.cookies["l42_session"] = cookie;
        if (!login.empty()) r.cookies["l42_login"] = login;
        r.source_ip = "127.0.0.1";
        return r;
    }

    // GET with an l42_session cookie (`cookie`) and an l42_login cookie (`login`), each if given.
    http::Response get(const std::string& path, const std::string& cookie = {}, http::Params query = {},
                       const std::string& login = {}) const {
        auto r = request("GET", path, cookie, login);
        r.query = std::move(query);
        return router.handle(std::move(r));
    }

    // /auth/login (with the browser's session cookie, if any): its l42_login cookie and the
    // authorize URL's query.
    std::pair<std::string, http::Params> begin_login(const std::string& cookie = {}) const {
        const auto login = get("/auth/login", cookie);
        REQUIRE(login.status == 307);
        const auto value = login_cookie(login);
        REQUIRE(value);
        return {*value, query_of(login.headers.at("Location"))};
    }

    http::Response post(const std::string& path, const std::string& cookie = {}, std::string body = "{}") const {
        auto r = request("POST", path, cookie);
        r.headers.emplace("X-L42-CSRF", "1");
        r.headers.emplace("Content-Type", "application/json");
        r.body = std::move(body);
        return router.handle(std::move(r));
    }

    // What the sign-in page would do with the /auth/login redirect's query.
    std::string idp_code(const http::Params& login_query, const std::string& email,
                         const std::vector<std::string>& groups) {
        SignInRequest s;
        s.client_id = login_query.at("client_id");
        s.redirect_uri = login_query.at("redirect_uri");
        s.code_challenge = login_query.at("code_challenge");
        s.code_challenge_method = login_query.at("code_challenge_method");
        s.scope = login_query.at("scope");
        s.email = email;
        s.groups = groups;
        auto code = dev.sign_in(s);
        REQUIRE(code);
        return *code;
    }

    // /auth/login, the IdP's sign-in, /auth/callback: the browser's whole round trip.
    SignedIn sign_in(const std::string& email = "dev@example.com", const std::vector<std::string>& groups = {"admin"}) {
        const auto [login, query] = begin_login();
        const auto code = idp_code(query, email, groups);
        auto callback = get("/auth/callback", {}, {{"code", code}, {"state", query.at("state")}}, login);
        REQUIRE(callback.status == 307);
        const auto cookie = set_cookie(callback);
        REQUIRE(cookie);
        return {*cookie, login, callback};
    }

    // Fresh tokens straight from the dev IdP (for POST /auth/session).
    IdpTokens idp_tokens(DevIdp& idp_instance, const std::string& email = "dev@example.com") {
        SignInRequest s;
        s.client_id = idp_instance.config().client_id;
        s.redirect_uri = "http://127.0.0.1:9/cb";
        s.email = email;
        s.groups = {"user"};
        auto code = idp_instance.sign_in(s);
        REQUIRE(code);
        auto tokens = idp_instance.code_grant(s.client_id, *code, s.redirect_uri, std::nullopt);
        REQUIRE(tokens);
        return *tokens;
    }

    std::int64_t count_rows() {
        auto n = sqlite->sessions().sweep_sessions(std::numeric_limits<UnixSeconds>::max());
        REQUIRE(n);
        return *n;
    }
};

std::string session_body(const IdpTokens& t, std::optional<std::string> auth_method = std::nullopt) {
    nlohmann::json body{{"access_token", t.access_token}, {"id_token", t.id_token}};
    if (t.refresh_token) body["refresh_token"] = *t.refresh_token;
    if (auth_method) body["auth_method"] = *auth_method;
    return body.dump();
}

}  // namespace

TEST_CASE("auth routes: GET /health says whether a policy is loaded", "[s2][auth_routes]") {
    AuthFixture with;
    CHECK(json_of(with.get("/health")) ==
          nlohmann::json{{"status", "ok"}, {"mode", "token-handler"}, {"cedar", "ready"}});
    AuthFixture without({}, false);
    CHECK(json_of(without.get("/health"))["cedar"] == "unavailable");
}

TEST_CASE("auth routes: a POST without X-L42-CSRF: 1 is refused before anything is stored", "[s2][auth_routes]") {
    AuthFixture f;
    const auto body = session_body(f.idp_tokens(f.dev));
    for (const char* path :
         {"/auth/session", "/auth/logout", "/auth/refresh", "/auth/authorize", "/auth/validate-credential"}) {
        for (const char* csrf : {"", "0", "true", "1 "}) {
            INFO(path << " csrf='" << csrf << "'");
            auto r = AuthFixture::request("POST", path);
            if (*csrf) r.headers["X-L42-CSRF"] = csrf;
            r.body = body;
            const auto response = f.router.handle(r);
            CHECK(response.status == 403);
            CHECK(json_of(response) ==
                  nlohmann::json{{"error", "CSRF validation failed"}, {"message", "Missing X-L42-CSRF header"}});
            CHECK(response.cookies.empty());
        }
    }
    CHECK(f.count_rows() == 0);
}

TEST_CASE("auth routes: a logout without CSRF leaves the session signed in", "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    auto r = AuthFixture::request("POST", "/auth/logout", s.cookie);
    CHECK(f.router.handle(r).status == 403);
    CHECK(f.get("/auth/token", s.cookie).status == 200);
}

TEST_CASE("auth routes: GET /auth/login redirects to the IdP with PKCE S256 and a state", "[s2][auth_routes]") {
    AuthFixture f;
    const auto r = f.get("/auth/login", {}, {{"email", "dev@example.com"}});
    REQUIRE(r.status == 307);
    const auto location = r.headers.at("Location");
    CHECK(location.starts_with(std::string(k_idp_base_url) + "/oauth2/authorize?"));
    const auto q = query_of(location);
    CHECK(q.at("client_id") == k_app_client);
    CHECK(q.at("response_type") == "code");
    CHECK(q.at("scope") == "openid email profile aws.cognito.signin.user.admin");
    CHECK(q.at("redirect_uri") == k_callback);
    CHECK(q.at("code_challenge_method") == "S256");
    CHECK(q.at("code_challenge").size() == 43);
    CHECK(q.at("state").size() == 43);
    CHECK(q.at("login_hint") == "dev@example.com");
    // The state waits in the l42_login cookie (10 min); no session is stored.
    REQUIRE(r.cookies.size() == 1);
    const auto login = login_cookie(r);
    REQUIRE(login);
    CHECK(r.cookies[0] == "l42_login=" + *login + "; Max-Age=600; Path=/; HttpOnly; SameSite=Lax");
    CHECK(login->starts_with(q.at("state") + "."));
    CHECK(f.count_rows() == 0);
    // Without ?email there is no login_hint.
    CHECK(query_of(f.get("/auth/login").headers.at("Location")).count("login_hint") == 0);
}

TEST_CASE("auth routes: login, IdP sign-in and callback sign the session in", "[s2][auth_routes]") {
    AuthFixture f;
    const auto [login, query] = f.begin_login();
    const auto code = f.idp_code(query, "dev@example.com", {"admin"});
    const auto callback = f.get("/auth/callback", {}, {{"code", code}, {"state", query.at("state")}}, login);
    REQUIRE(callback.status == 307);
    CHECK(callback.headers.at("Location") ==
          std::string(k_frontend) + "/auth/success?state=" + url::percent_encode(query.at("state")));
    const auto cookie = set_cookie(callback);
    REQUIRE(cookie);
    CHECK(login_cookie(callback) == "");  // the login is spent: its cookie cleared

    const auto token = f.get("/auth/token", *cookie);
    REQUIRE(token.status == 200);
    const auto body = json_of(token);
    CHECK(body["auth_method"] == "oauth");
    CHECK(body["access_token"].is_string());
    auto claims = jwt::decode(body["id_token"].get<std::string>());
    REQUIRE(claims);
    CHECK(claims->payload["email"] == "dev@example.com");
    CHECK(token.cookies.empty());  // reading changes nothing

    const auto me = f.get("/auth/me", *cookie);
    REQUIRE(me.status == 200);
    CHECK(json_of(me) ==
          nlohmann::json{{"email", "dev@example.com"}, {"sub", dev_idp_sub("dev@example.com")}, {"groups", {"admin"}}});
    CHECK(f.session_user(AuthFixture::request("POST", "/user/auth/jwt-token", *cookie)) ==
          dev_idp_sub("dev@example.com"));
    CHECK(f.count_rows() == 1);
}

TEST_CASE("auth routes: a signed-out browser gets 401 from /token, /me, /refresh and /authorize", "[s2][auth_routes]") {
    AuthFixture f;
    const nlohmann::json not_authenticated{{"error", "Not authenticated"}};
    for (const auto& r :
         {f.get("/auth/token"), f.get("/auth/me"), f.post("/auth/refresh"),
          f.post("/auth/authorize", {}, R"({"action":"read:x"})"), f.get("/auth/token", "forged.cookie")}) {
        CHECK(r.status == 401);
        CHECK(json_of(r) == not_authenticated);
        CHECK(r.cookies.empty());
    }
    CHECK(f.count_rows() == 0);
}

TEST_CASE("auth routes: an expired id token answers 401 Token expired", "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    f.clock.advance(3599);
    CHECK(f.get("/auth/token", s.cookie).status == 200);
    CHECK(f.session_user(AuthFixture::request("GET", "/", s.cookie)).has_value());
    f.clock.advance(2);
    const auto r = f.get("/auth/token", s.cookie);
    CHECK(r.status == 401);
    CHECK(json_of(r) == nlohmann::json{{"error", "Token expired"}});
    const auto authorize = f.post("/auth/authorize", s.cookie, R"({"action":"read:x"})");
    CHECK(authorize.status == 401);
    CHECK(json_of(authorize) == nlohmann::json{{"error", "Token expired"}});
    CHECK_FALSE(f.session_user(AuthFixture::request("GET", "/", s.cookie)).has_value());
}

TEST_CASE("auth routes: POST /auth/refresh gets new tokens from the IdP, even after the id token expired",
          "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    const auto before = json_of(f.get("/auth/token", s.cookie));
    f.clock.advance(3601);
    const auto r = f.post("/auth/refresh", s.cookie);
    REQUIRE(r.status == 200);
    const auto body = json_of(r);
    CHECK(body["id_token"] != before["id_token"]);
    CHECK(body["auth_method"] == "oauth");
    CHECK(f.idp.last_username == dev_idp_sub("dev@example.com"));  // cognito:username, for SECRET_HASH
    const auto token = f.get("/auth/token", s.cookie);
    REQUIRE(token.status == 200);
    CHECK(json_of(token)["id_token"] == body["id_token"]);
    // The refresh token was kept (the dev IdP sends none back): a second refresh works too.
    CHECK(f.post("/auth/refresh", s.cookie).status == 200);
}

TEST_CASE("auth routes: a refresh the IdP refuses ends the session", "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    f.idp.refresh_error = make_error(ErrorCode::invalid_token, "Refresh Token has been revoked");
    const auto r = f.post("/auth/refresh", s.cookie);
    CHECK(r.status == 401);
    CHECK(json_of(r) == nlohmann::json{{"error", "Refresh failed"}, {"message", "Refresh Token has been revoked"}});
    CHECK(clears_cookie(r));
    CHECK(f.get("/auth/token", s.cookie).status == 401);
    CHECK(f.count_rows() == 0);
}

TEST_CASE("auth routes: a refresh that cannot reach the IdP keeps the session", "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    f.idp.refresh_error = make_error(ErrorCode::endpoint_unreachable, "connection refused");
    const auto r = f.post("/auth/refresh", s.cookie);
    CHECK(r.status == 502);
    CHECK(json_of(r) == nlohmann::json{{"error", "Refresh failed"}, {"message", "connection refused"}});
    CHECK(r.cookies.empty());
    CHECK(f.get("/auth/token", s.cookie).status == 200);
}

TEST_CASE("auth routes: POST /auth/session stores verified tokens and signs the session in", "[s2][auth_routes]") {
    AuthFixture f;
    const auto tokens = f.idp_tokens(f.dev);
    const auto r = f.post("/auth/session", {}, session_body(tokens));
    REQUIRE(r.status == 200);
    CHECK(json_of(r) == nlohmann::json{{"success", true}});
    const auto cookie = set_cookie(r);
    REQUIRE(cookie);
    const auto token = json_of(f.get("/auth/token", *cookie));
    CHECK(token["id_token"] == tokens.id_token);
    CHECK(token["access_token"] == tokens.access_token);
    CHECK(token["auth_method"] == "direct");
    // With an auth_method, that one; an existing session gets a new id.
    const auto again = f.post("/auth/session", *cookie, session_body(tokens, "passkey"));
    const auto rotated = set_cookie(again);
    REQUIRE(rotated);
    CHECK(*rotated != *cookie);
    CHECK(json_of(f.get("/auth/token", *rotated))["auth_method"] == "passkey");
    CHECK(f.get("/auth/token", *cookie).status == 401);
}

TEST_CASE("auth routes: POST /auth/session refuses tokens that do not verify", "[s2][auth_routes]") {
    AuthFixture f;
    DevIdp other_issuer{idp_config("https://evil.example"), handler_idp_key(), *f.sqlite, f.clock, f.random};
    DevIdp other_pool{idp_config(cognito_issuer("us-east-1", "us-east-1_other")), handler_idp_key(), *f.sqlite, f.clock,
                      f.random};
    DevIdp other_client{idp_config(k_idp_issuer, "another-client"), handler_idp_key(), *f.sqlite, f.clock, f.random};
    DevIdp extra_audience{idp_config(k_idp_issuer, "extra-audience"), handler_idp_key(), *f.sqlite, f.clock, f.random};
    const auto good = f.idp_tokens(f.dev);
    auto as_access = good;
    as_access.id_token = good.access_token;  // token_use access
    auto tampered = good;
    auto& c = tampered.id_token[tampered.id_token.size() - 20];  // inside the signature
    c = c == 'A' ? 'B' : 'A';
    const auto hs = jwt::Key::hs256(std::string(32, 'h'), "auth-routes-test").value();
    auto forged = good;
    forged.id_token = jwt::encode(jwt::decode(good.id_token)->payload, hs).value();
    for (const auto& tokens : {f.idp_tokens(other_issuer), f.idp_tokens(other_pool), f.idp_tokens(other_client),
                               as_access, tampered, forged}) {
        const auto r = f.post("/auth/session", {}, session_body(tokens));
        CHECK(r.status == 403);
        CHECK(json_of(r) == nlohmann::json{{"error", "Token verification failed"}});
        CHECK(r.cookies.empty());
    }
    CHECK(f.post("/auth/session", {}, session_body(f.idp_tokens(extra_audience))).status == 200);
    // An id token past exp + leeway (30 s).
    const auto old = f.idp_tokens(f.dev);
    f.clock.advance(3600 + 31);
    CHECK(f.post("/auth/session", {}, session_body(old)).status == 403);
}

TEST_CASE("auth routes: POST /auth/session answers 400 for bad bodies", "[s2][auth_routes]") {
    AuthFixture f;
    for (const char* body : {"", "not json", "[1]"}) {
        const auto r = f.post("/auth/session", {}, body);
        CHECK(r.status == 400);
        CHECK(json_of(r) == nlohmann::json{{"error", "Invalid JSON body"}});
    }
    for (const char* body : {"{}", R"({"access_token":"a"})", R"({"id_token":"i"})",
                             R"({"access_token":"","id_token":"i"})", R"({"access_token":"a","id_token":5})"}) {
        const auto r = f.post("/auth/session", {}, body);
        CHECK(r.status == 400);
        CHECK(json_of(r) == nlohmann::json{{"error", "Missing access_token or id_token"}});
    }
    CHECK(f.count_rows() == 0);
}

TEST_CASE("auth routes: POST /auth/refresh without a refresh token answers 401", "[s2][auth_routes]") {
    AuthFixture f;
    auto tokens = f.idp_tokens(f.dev);
    tokens.refresh_token.reset();
    const auto cookie = set_cookie(f.post("/auth/session", {}, session_body(tokens))).value();
    const auto r = f.post("/auth/refresh", cookie);
    CHECK(r.status == 401);
    CHECK(json_of(r) == nlohmann::json{{"error", "No refresh token"}});
    CHECK(f.get("/auth/token", cookie).status == 200);
}

TEST_CASE("auth routes: POST /auth/authorize decides by the policy file", "[s2][auth_routes]") {
    AuthFixture f;
    const auto admin = f.sign_in("boss@example.com", {"admin"});
    const auto allowed = f.post("/auth/authorize", admin.cookie, R"({"action":"delete:everything"})");
    CHECK(allowed.status == 200);
    const auto body = json_of(allowed);
    CHECK(body["authorized"] == true);
    CHECK(body["reason"].is_string());
    CHECK(body["diagnostics"] == nlohmann::json::object());

    const auto user = f.sign_in("user@example.com", {"user"});
    const auto sub = dev_idp_sub("user@example.com");
    const auto own = nlohmann::json{{"action", "write:own"}, {"resource", {{"owner", sub}}}}.dump();
    CHECK(f.post("/auth/authorize", user.cookie, own).status == 200);
    const auto theirs = nlohmann::json{{"action", "write:own"}, {"resource", {{"owner", "someone"}}}}.dump();
    const auto denied = f.post("/auth/authorize", user.cookie, theirs);
    CHECK(denied.status == 403);
    CHECK(json_of(denied)["authorized"] == false);
    CHECK(f.post("/auth/authorize", user.cookie, R"({"action":"delete:everything"})").status == 403);

    for (const char* bad : {"{}", R"({"action":""})", R"({"action":5})", "not json"}) {
        const auto r = f.post("/auth/authorize", admin.cookie, bad);
        CHECK(r.status == 400);
        CHECK(json_of(r) == nlohmann::json{{"error", "Missing or invalid action"}});
    }
}

TEST_CASE("auth routes: POST /auth/authorize without a policy answers 503", "[s2][auth_routes]") {
    AuthFixture f({}, false);
    const auto s = f.sign_in();
    const auto r = f.post("/auth/authorize", s.cookie, R"({"action":"read:x"})");
    CHECK(r.status == 503);
    CHECK(json_of(r) == nlohmann::json{{"error", "Authorization engine not available"}, {"authorized", false}});
}

TEST_CASE("auth routes: POST /auth/logout deletes the session and clears the cookie", "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    const auto r = f.post("/auth/logout", s.cookie);
    CHECK(r.status == 200);
    CHECK(json_of(r) == nlohmann::json{{"success", true}});
    CHECK(clears_cookie(r));
    CHECK(f.get("/auth/token", s.cookie).status == 401);
    CHECK_FALSE(f.session_user(AuthFixture::request("GET", "/", s.cookie)).has_value());
    CHECK(f.count_rows() == 0);
    // Signed out already: still 200.
    CHECK(f.post("/auth/logout").status == 200);
}

TEST_CASE("auth routes: a callback with the IdP's error redirects to the frontend's login page", "[s2][auth_routes]") {
    AuthFixture f;
    const auto [login, query] = f.begin_login();
    const auto described = f.get(
        "/auth/callback", {},
        {{"error", "access_denied"}, {"error_description", "User cancelled & left"}, {"state", query.at("state")}},
        login);
    CHECK(described.status == 307);
    CHECK(described.headers.at("Location") == std::string(k_frontend) + "/login?error=User%20cancelled%20%26%20left");
    CHECK(only_ends_login(described));
    // No description: the error code itself.
    const auto [login2, query2] = f.begin_login();
    const auto bare_code =
        f.get("/auth/callback", {}, {{"error", "access_denied"}, {"state", query2.at("state")}}, login2);
    CHECK(bare_code.headers.at("Location") == std::string(k_frontend) + "/login?error=access_denied");
    CHECK(f.count_rows() == 0);
}

TEST_CASE("auth routes: the IdP's error passes through also for a login this handler did not begin",
          "[s2][auth_routes]") {
    // l42's auth.js (loginWithHostedUI) may build the authorize URL itself, keeping its state in
    // the page: no l42_login cookie comes back. An error signs nobody in, so it passes through
    // as the original passes it; only a code needs the handler's own login.
    AuthFixture f;
    const auto [login, query] = f.begin_login();
    struct Case {
        std::string login;
        http::Params params;
        std::string error;
    };
    const std::vector<Case> cases{
        {"",
         {{"error", "access_denied"}, {"error_description", "User cancelled the login"}},
         "User%20cancelled%20the%20login"},
        {"", {{"error", "access_denied"}, {"state", "auth-js-own-state"}}, "access_denied"},
        {"", {{"error", "server_error"}, {"error_description", "a/b?c=d&e#f\n<x>"}}, "a%2Fb%3Fc%3Dd%26e%23f%0A%3Cx%3E"},
        {"", {{"error", ""}}, ""},
        // Another state than this browser's login: passed through, the login stays under way.
        {login, {{"error", "access_denied"}, {"error_description", "no"}, {"state", "other"}}, "no"},
    };
    for (const auto& c : cases) {
        const auto r = f.get("/auth/callback", {}, c.params, c.login);
        CHECK(r.status == 307);
        CHECK(r.headers.at("Location") == std::string(k_frontend) + "/login?error=" + c.error);
        CHECK(r.cookies.empty());
    }
    // The login is still the one to finish.
    const auto code = f.idp_code(query, "dev@example.com", {});
    CHECK(set_cookie(f.get("/auth/callback", {}, {{"code", code}, {"state", query.at("state")}}, login)));
    // A code without a login begun here is still refused (login CSRF), error or not beside it.
    const auto [unused, other_query] = f.begin_login();
    const auto other_code = f.idp_code(other_query, "mallory@example.com", {});
    CHECK(f.get("/auth/callback", {}, {{"code", other_code}, {"state", other_query.at("state")}})
              .headers.at("Location") == std::string(k_frontend) + "/login?error=Invalid+OAuth+state");
    CHECK(f.count_rows() == 1);
}

TEST_CASE("auth routes: a callback's IdP error goes to the allowed request origin with CALLBACK_USE_ORIGIN",
          "[s2][auth_routes]") {
    AuthFixture f([](api::TokenHandlerConfig& c) {
        c.callback_use_origin = true;
        c.callback_allowed_origins = {"https://app.example.com"};
    });
    auto r = AuthFixture::request("GET", "/auth/callback");
    r.query = {{"error", "access_denied"}, {"error_description", "Cancelled"}};
    r.headers["Host"] = "app.example.com";
    r.headers["X-Forwarded-Proto"] = "https";
    CHECK(f.router.handle(r).headers.at("Location") == "https://app.example.com/login?error=Cancelled");
    r.headers["Host"] = "evil.example";
    CHECK(f.router.handle(r).headers.at("Location") ==
          std::string(k_frontend) + "/login?error=Invalid+callback+origin");
}

TEST_CASE("auth routes: a callback with a wrong state, no code or a bad code signs nobody in", "[s2][auth_routes]") {
    AuthFixture f;
    auto callback = [&](const std::string& login, http::Params params) {
        return f.get("/auth/callback", {}, std::move(params), login);
    };
    SECTION("wrong state") {
        const auto [login, query] = f.begin_login();
        const auto code = f.idp_code(query, "dev@example.com", {});
        const auto r = callback(login, {{"code", code}, {"state", "other"}});
        CHECK(r.headers.at("Location") == std::string(k_frontend) + "/login?error=Invalid+OAuth+state");
        CHECK(r.cookies.empty());  // not the answer to this login: it stays under way
        const auto missing = callback(login, {{"code", code}});
        CHECK(missing.headers.at("Location") == std::string(k_frontend) + "/login?error=Invalid+OAuth+state");
        CHECK(set_cookie(callback(login, {{"code", code}, {"state", query.at("state")}})));
    }
    SECTION("no code") {
        for (const bool empty_code : {false, true}) {
            const auto [login, query] = f.begin_login();
            http::Params params{{"state", query.at("state")}};
            if (empty_code) params["code"] = "";
            const auto r = callback(login, params);
            CHECK(r.status == 307);
            CHECK(r.headers.at("Location") == std::string(k_frontend) + "/login?error=Missing+authorization+code");
            CHECK(only_ends_login(r));
        }
    }
    SECTION("a code the IdP refuses") {
        const auto [login, query] = f.begin_login();
        const auto r = callback(login, {{"code", "not-a-code"}, {"state", query.at("state")}});
        CHECK(r.headers.at("Location") == std::string(k_frontend) + "/login?error=Authentication+failed");
        CHECK(only_ends_login(r));
    }
    SECTION("a code issued to another redirect_uri") {
        auto [login, query] = f.begin_login();
        query["redirect_uri"] = "http://127.0.0.1:9/cb";
        const auto code = f.idp_code(query, "dev@example.com", {});
        const auto r = callback(login, {{"code", code}, {"state", query.at("state")}});
        CHECK(r.headers.at("Location") == std::string(k_frontend) + "/login?error=Authentication+failed");
    }
    SECTION("a code redeemed twice") {
        const auto [login, query] = f.begin_login();
        const auto code = f.idp_code(query, "dev@example.com", {});
        REQUIRE(set_cookie(callback(login, {{"code", code}, {"state", query.at("state")}})));
        const auto [login2, query2] = f.begin_login();
        const auto second = callback(login2, {{"code", code}, {"state", query2.at("state")}});
        CHECK(second.headers.at("Location") == std::string(k_frontend) + "/login?error=Authentication+failed");
    }
    SECTION("another browser's login cookie, a tampered one, one over 10 minutes old") {
        const auto [login, query] = f.begin_login();
        const auto [other, other_query] = f.begin_login();
        auto tampered = login;
        tampered[query.at("state").size() + 1] = tampered[query.at("state").size() + 1] == '1' ? '2' : '1';
        const auto code = f.idp_code(query, "dev@example.com", {});
        const http::Params params{{"code", code}, {"state", query.at("state")}};
        for (const auto& cookie : {other, tampered, login.substr(0, login.size() - 1), std::string("a.b.c")}) {
            INFO(cookie);
            CHECK(callback(cookie, params).headers.at("Location") ==
                  std::string(k_frontend) + "/login?error=Invalid+OAuth+state");
        }
        f.clock.advance(599);
        const auto [fresh, fresh_query] = f.begin_login();
        f.clock.advance(1);
        CHECK(callback(login, params).headers.at("Location") ==
              std::string(k_frontend) + "/login?error=Invalid+OAuth+state");
        CHECK(callback(fresh, {{"state", fresh_query.at("state")}}).headers.at("Location") ==
              std::string(k_frontend) + "/login?error=Missing+authorization+code");
    }
    CHECK(f.count_rows() <= 1);
}

TEST_CASE("auth routes: a failed callback leaves a signed-in session and its cookie as they were",
          "[s2][auth_routes]") {
    // Any site can link a signed-in user to /auth/callback, and SameSite=Lax sends the cookie.
    AuthFixture f;
    const auto s = f.sign_in();
    const auto [login, query] = f.begin_login(s.cookie);  // a second sign-in, begun and abandoned
    const auto& state = query.at("state");
    const std::vector<std::pair<std::string, http::Params>> callbacks{
        {"", {{"state", "x"}}},
        {"", {{"code", "c"}, {"state", "x"}}},
        {"", {{"error", "access_denied"}}},
        {"", {{"error", "access_denied"}, {"error_description", "Cancelled"}, {"state", "x"}}},
        {login, {{"code", "c"}, {"state", "x"}}},
        {login, {{"error", "access_denied"}, {"state", "x"}}},
        {login, {{"error", "access_denied"}, {"state", state}}},
        {login, {{"state", state}}},
        {login, {{"code", "not-a-code"}, {"state", state}}},
    };
    for (const auto& [with_login, params] : callbacks) {
        const auto r = f.get("/auth/callback", s.cookie, params, with_login);
        CHECK(r.status == 307);
        CHECK(r.headers.at("Location").starts_with(std::string(k_frontend) + "/login?error="));
        CHECK_FALSE(set_cookie(r));  // neither cleared nor re-sent
        CHECK(f.get("/auth/token", s.cookie).status == 200);
    }
    CHECK(f.count_rows() == 1);
}

TEST_CASE("auth routes: logins store nothing, however many one client begins", "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    std::string login;
    for (int i = 0; i < 1000; ++i) {
        // Without cookies, with the last login's cookie, with a signed-in session's.
        const auto r = f.get("/auth/login", i % 3 == 2 ? s.cookie : std::string(), {}, i % 3 == 1 ? login : "");
        REQUIRE(r.status == 307);
        CHECK_FALSE(set_cookie(r));
        login = login_cookie(r).value();
        f.clock.advance(1);
    }
    CHECK(f.count_rows() == 1);  // the one signed-in session
}

TEST_CASE("auth routes: CALLBACK_USE_ORIGIN builds the callback from X-Forwarded-Host/Proto on the allow-list",
          "[s2][auth_routes]") {
    AuthFixture f([](api::TokenHandlerConfig& c) {
        c.callback_use_origin = true;
        c.callback_allowed_origins = {"https://app.example.com"};
    });
    auto from = [](http::Request r, const char* host, const char* proto) {
        r.headers["Host"] = "internal.lambda-url.example";
        r.headers["X-Forwarded-Host"] = host;
        if (*proto) r.headers["X-Forwarded-Proto"] = proto;
        return r;
    };
    const auto login = f.router.handle(from(AuthFixture::request("GET", "/auth/login"), "App.Example.com", "https"));
    REQUIRE(login.status == 307);
    const auto query = query_of(login.headers.at("Location"));
    CHECK(query.at("redirect_uri") == "https://app.example.com/auth/callback");
    const auto cookie = login_cookie(login).value();
    const auto code = f.idp_code(query, "dev@example.com", {});

    auto callback = from(AuthFixture::request("GET", "/auth/callback", {}, cookie), "app.example.com", "https");
    callback.query = {{"code", code}, {"state", query.at("state")}};
    const auto ok = f.router.handle(callback);
    CHECK(ok.headers.at("Location").starts_with("https://app.example.com/auth/success?state="));
    REQUIRE(set_cookie(ok));

    for (const auto& [host, proto] : std::vector<std::pair<const char*, const char*>>{
             {"evil.example", "https"}, {"app.example.com", "http"}, {"app.example.com", ""}}) {
        INFO(host << " " << proto);
        const auto r = f.router.handle(from(AuthFixture::request("GET", "/auth/callback"), host, proto));
        CHECK(r.headers.at("Location") == std::string(k_frontend) + "/login?error=Invalid+callback+origin");
    }
}

TEST_CASE("auth routes: CALLBACK_USE_ORIGIN with no allow-list allows only the frontend's origin",
          "[s2][auth_routes]") {
    AuthFixture f([](api::TokenHandlerConfig& c) { c.callback_use_origin = true; });
    auto with_host = [](const char* host) {
        auto r = AuthFixture::request("GET", "/auth/callback");
        r.headers["Host"] = host;
        return r;
    };
    // The frontend's own origin passes the origin check (and then fails the state check: no
    // login was begun).
    CHECK(f.router.handle(with_host("localhost:3000")).headers.at("Location") ==
          std::string(k_frontend) + "/login?error=Invalid+OAuth+state");
    CHECK(f.router.handle(with_host("evil.example")).headers.at("Location") ==
          std::string(k_frontend) + "/login?error=Invalid+callback+origin");
}

TEST_CASE("auth routes: X-Service-Token skips CSRF and stores nothing", "[s2][auth_routes]") {
    AuthFixture f([](api::TokenHandlerConfig& c) { c.service_token = "service-token-0123456789"; });
    const auto tokens = f.idp_tokens(f.dev);
    auto r = AuthFixture::request("POST", "/auth/session");
    r.headers["X-Service-Token"] = "service-token-0123456789";
    r.body = session_body(tokens);
    const auto response = f.router.handle(r);
    CHECK(response.status == 200);
    CHECK(response.cookies.empty());
    // Even a real session cookie sent along is neither read nor written.
    const auto s = f.sign_in();
    auto logout = AuthFixture::request("POST", "/auth/logout", s.cookie);
    logout.headers["X-Service-Token"] = "service-token-0123456789";
    CHECK(f.router.handle(logout).cookies.empty());
    CHECK(f.get("/auth/token", s.cookie).status == 200);
    // A wrong service token is no bypass.
    r.headers["X-Service-Token"] = "service-token-012345678";
    CHECK(f.router.handle(r).status == 403);
    CHECK(f.count_rows() == 1);  // only the browser's session
}

TEST_CASE("auth routes: POST /auth/validate-credential needs a signed-in session with an unexpired id token",
          "[s2][auth_routes]") {
    // The original reads the session before the body: 401 Not authenticated / Token expired.
    AuthFixture f;
    const nlohmann::json not_authenticated{{"error", "Not authenticated"}};
    for (const auto& body : {std::string("{}"), std::string("not json"),
                             std::string(R"({"attestation_object":"AAAA","client_data_json":"e30"})")}) {
        INFO(body);
        const auto r = f.post("/auth/validate-credential", {}, body);
        CHECK(r.status == 401);
        CHECK(json_of(r) == not_authenticated);
        CHECK(r.cookies.empty());
    }
    // A login under way is no session.
    auto pending = AuthFixture::request("POST", "/auth/validate-credential", {}, f.begin_login().first);
    pending.headers.emplace("X-L42-CSRF", "1");
    pending.body = "{}";
    CHECK(f.router.handle(pending).status == 401);
    // Nor is a service call: it has no browser session.
    AuthFixture service([](api::TokenHandlerConfig& c) { c.service_token = "service-token-0123456789"; });
    auto call = AuthFixture::request("POST", "/auth/validate-credential");
    call.headers["X-Service-Token"] = "service-token-0123456789";
    call.body = "{}";
    CHECK(service.router.handle(call).status == 401);
    // Signed in: the body is read (400 for this one); after the id token's exp, 401 again.
    const auto s = f.sign_in();
    f.clock.advance(DevIdp::k_token_ttl - 1);
    CHECK(f.post("/auth/validate-credential", s.cookie, "{}").status == 400);
    f.clock.advance(1);
    const auto expired = f.post("/auth/validate-credential", s.cookie, "{}");
    CHECK(expired.status == 401);
    CHECK(json_of(expired) == nlohmann::json{{"error", "Token expired"}});
    CHECK(f.count_rows() == 1);
}

TEST_CASE("auth routes: POST /auth/validate-credential answers 400 for missing fields and bad base64",
          "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    auto check = [&](const std::string& body, const nlohmann::json& expected) {
        INFO(body);
        const auto r = f.post("/auth/validate-credential", s.cookie, body);
        CHECK(r.status == 400);
        CHECK(json_of(r) == expected);
    };
    check("not json", {{"error", "Invalid JSON body"}});
    const nlohmann::json missing{{"error", "Missing attestation_object or client_data_json"}};
    check("{}", missing);
    check(R"({"attestation_object":"o2Nm"})", missing);
    check(R"({"client_data_json":"e30"})", missing);
    check(R"({"attestation_object":5,"client_data_json":"e30"})", missing);
    const nlohmann::json bad_base64{{"error", "Invalid base64 encoding"}};
    check(R"({"attestation_object":"!!!!","client_data_json":"e30"})", bad_base64);
    check(R"({"attestation_object":"o2Nm","client_data_json":"e3 0="})", bad_base64);
    check(R"({"attestation_object":"o2N-m/==","client_data_json":"e30"})", bad_base64);
    // Well-formed base64 of something that is no attestation: a bad request too.
    const auto garbage =
        f.post("/auth/validate-credential", s.cookie, R"({"attestation_object":"AAAA","client_data_json":"e30"})");
    CHECK(garbage.status == 400);
    CHECK(f.count_rows() == 1);
}

TEST_CASE("auth routes: session_user gives the sub of a signed-in, unexpired session only", "[s2][auth_routes]") {
    AuthFixture f;
    CHECK_FALSE(f.session_user(AuthFixture::request("GET", "/")).has_value());
    // A login under way is no user.
    CHECK_FALSE(f.session_user(AuthFixture::request("GET", "/", {}, f.begin_login().first)).has_value());
    const auto s = f.sign_in("who@example.com");
    CHECK(f.session_user(AuthFixture::request("GET", "/", s.cookie)) == dev_idp_sub("who@example.com"));
    auto tampered = s.cookie;
    tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
    CHECK_FALSE(f.session_user(AuthFixture::request("GET", "/", tampered)).has_value());
    f.clock.advance(3601);
    CHECK_FALSE(f.session_user(AuthFixture::request("GET", "/", s.cookie)).has_value());
}

TEST_CASE("auth routes: a session store that cannot be read answers 503", "[s2][auth_routes]") {
    AuthFixture f;
    const auto s = f.sign_in();
    f.session_store.failing = true;
    const nlohmann::json unavailable{{"error", "Session store unavailable"}};
    for (const auto& r : {f.get("/auth/token", s.cookie), f.post("/auth/logout", s.cookie)}) {
        CHECK(r.status == 503);
        CHECK(json_of(r) == unavailable);
    }
    f.session_store.failing = false;
    CHECK(f.get("/auth/token", s.cookie).status == 200);
}
