#include "core/secrets/secrets.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "core/encoding/base64.hpp"
#include "core/pow/pow.hpp"
#include "tests/support/service_fixture.hpp"

using namespace otts;
using otts::test::ServiceFixture;

namespace {

struct SecretsFixture : ServiceFixture {
    CreateTokens tokens{ports, hs_keys(), CreateTokenPolicy{.pow_difficulty = 4}};
    Secrets secrets{sqlite->secrets(), tokens, clock, random};

    // A create token and a body spending it.
    std::pair<std::string, nlohmann::json> token_and_body(int max_views = 1, UnixSeconds ttl = 900) {
        auto issued = tokens.issue().value();
        const auto nonce = issued.claims["nonce"].get<std::string>();
        std::string pow;
        for (long i = 0; pow.empty(); ++i) {
            if (pow::pow_valid("sealed:", nonce, std::to_string(i), 4)) pow = std::to_string(i);
        }
        nlohmann::json body = {{"ciphertext", base64_encode("ciphertext and its tag")},
                               {"iv", base64_encode(std::string(12, 'i'))},
                               {"salt", nullptr},
                               {"nonce", nonce},
                               {"pow", pow},
                               {"ttl", ttl},
                               {"maxViews", max_views},
                               {"passphraseProtected", false}};
        return {issued.token, body};
    }

    CreatedSecret create(int max_views = 1, UnixSeconds ttl = 900) {
        auto [token, body] = token_and_body(max_views, ttl);
        return secrets.create(token, Secrets::parse(body).value()).value();
    }

    std::optional<SecretView> read(const std::string& id, std::optional<std::string> access_token = std::nullopt) {
        return secrets.read(id, access_token).value();
    }
};

std::string parse_error(nlohmann::json body) {
    auto parsed = Secrets::parse(body);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::bad_request);
    return parsed.error().detail;
}

}  // namespace

TEST_CASE("create answers a 22-character base64url id, a 32-hex burn token and now + ttl", "[secrets]") {
    SecretsFixture f;
    const auto created = f.create(1, 3600);
    CHECK(created.id.size() == 22);
    CHECK(base64url_decode(created.id).value_or("").size() == 16);
    CHECK(created.burn_token.size() == 32);
    CHECK(hex_decode(created.burn_token).has_value());
    CHECK(created.expires_at == f.clock.now() + 3600);
}

TEST_CASE("create spends the create token: a second create with it is invalid_token", "[secrets]") {
    SecretsFixture f;
    auto [token, body] = f.token_and_body();
    const auto secret = Secrets::parse(body).value();
    REQUIRE(f.secrets.create(token, secret));
    const auto again = f.secrets.create(token, secret);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::token_used);
    // The same record /token/redeem writes: the token cannot be redeemed either.
    CHECK(f.tokens.redeem(token, body["nonce"].get<std::string>(), body["pow"].get<std::string>()).error().code ==
          ErrorCode::token_used);
}

TEST_CASE("create refuses a wrong nonce, a wrong PoW and an expired token", "[secrets]") {
    SecretsFixture f;
    auto [token, body] = f.token_and_body();
    auto secret = Secrets::parse(body).value();
    secret.nonce = std::string(32, '0');
    CHECK(f.secrets.create(token, secret).error().code == ErrorCode::invalid_token);
    secret = Secrets::parse(body).value();
    for (long i = 0;; ++i) {
        if (!pow::pow_valid("sealed:", body["nonce"].get<std::string>(), std::to_string(i), 4)) {
            secret.pow = std::to_string(i);
            break;
        }
    }
    CHECK(f.secrets.create(token, secret).error().code == ErrorCode::pow_invalid);
    f.clock.advance(300 + 30);  // exp + leeway
    CHECK(f.secrets.create(token, Secrets::parse(body).value()).error().code == ErrorCode::token_expired);
}

TEST_CASE("parse enforces sealed.fyi's rules on every member", "[secrets]") {
    SecretsFixture f;
    const auto body = f.token_and_body().second;
    CHECK(Secrets::parse(body));
    auto with = [&](const char* name, nlohmann::json value) {
        auto changed = body;
        changed[name] = std::move(value);
        return changed;
    };
    auto without = [&](const char* name) {
        auto changed = body;
        changed.erase(name);
        return changed;
    };
    CHECK(parse_error(with("ciphertext", "not base64!")).find("ciphertext") == 0);
    CHECK(parse_error(with("ciphertext", "")).find("ciphertext") == 0);
    CHECK(parse_error(with("ciphertext", 12)).find("ciphertext") == 0);
    CHECK(parse_error(with("ciphertext", std::string(Secrets::k_max_ciphertext + 4, 'A'))).find("ciphertext") == 0);
    CHECK(Secrets::parse(with("ciphertext", std::string(Secrets::k_max_ciphertext, 'A'))));
    CHECK(parse_error(with("iv", base64_encode(std::string(16, 'i')))).find("iv") == 0);
    CHECK(parse_error(without("iv")).find("iv") == 0);
    CHECK(parse_error(with("salt", base64_encode(std::string(12, 's')))).find("salt") == 0);
    CHECK(Secrets::parse(with("salt", base64_encode(std::string(16, 's'))))->salt);
    CHECK_FALSE(Secrets::parse(without("salt"))->salt);
    CHECK(parse_error(with("ttl", 899)).find("ttl") == 0);
    CHECK(parse_error(with("ttl", 7'776'001)).find("ttl") == 0);
    CHECK(parse_error(with("ttl", 900.5)).find("ttl") == 0);
    CHECK(parse_error(with("ttl", "900")).find("ttl") == 0);
    CHECK(parse_error(with("ttl", 18446744073709551615ULL)).find("ttl") == 0);
    CHECK(Secrets::parse(with("ttl", 7'776'000)));
    CHECK(parse_error(with("maxViews", 0)).find("maxViews") == 0);
    CHECK(parse_error(with("maxViews", 6)).find("maxViews") == 0);
    CHECK(parse_error(with("maxViews", -1)).find("maxViews") == 0);
    CHECK(Secrets::parse(with("maxViews", 5)));
    CHECK(parse_error(with("passphraseProtected", "false")).find("passphraseProtected") == 0);
    CHECK(parse_error(without("nonce")).find("nonce") == 0);
    CHECK(parse_error(with("pow", "")).find("pow") == 0);
    CHECK(parse_error(nlohmann::json::array()).find("the body") == 0);
}

TEST_CASE("read returns the secret maxViews times, then never again", "[secrets]") {
    SecretsFixture f;
    const auto created = f.create(3);
    for (int i = 0; i < 3; ++i) {
        const auto view = f.read(created.id);
        REQUIRE(view);
        CHECK(view->ciphertext == base64_encode("ciphertext and its tag"));
        CHECK(view->iv == base64_encode(std::string(12, 'i')));
        CHECK_FALSE(view->salt);
        CHECK_FALSE(view->passphrase_protected);
        CHECK(view->access_token.size() == 32);
    }
    CHECK_FALSE(f.read(created.id));
}

TEST_CASE("the access token re-reads without a view for 30 seconds, to the second", "[secrets]") {
    SecretsFixture f;
    const auto created = f.create(2);
    const auto first = f.read(created.id).value();
    f.clock.advance(29);
    const auto again = f.read(created.id, first.access_token);
    REQUIRE(again);
    CHECK(again->access_token == first.access_token);
    f.clock.advance(1);  // 30 s after the view: the token no longer re-reads, a view is spent
    const auto second = f.read(created.id, first.access_token);
    REQUIRE(second);
    CHECK(second->access_token != first.access_token);
    CHECK_FALSE(f.read(created.id));  // two views spent, the re-read spent none
}

TEST_CASE("the last view's access token re-reads a used-up secret within the window only", "[secrets]") {
    SecretsFixture f;
    const auto created = f.create(1);
    const auto view = f.read(created.id).value();
    CHECK_FALSE(f.read(created.id));
    CHECK_FALSE(f.read(created.id, std::string(32, '0')));
    f.clock.advance(29);
    CHECK(f.read(created.id, view.access_token));
    f.clock.advance(1);
    CHECK_FALSE(f.read(created.id, view.access_token));
}

TEST_CASE("a secret is unavailable at exactly its expiresAt", "[secrets]") {
    SecretsFixture f;
    const auto created = f.create(5, 900);
    f.clock.set(created.expires_at - 1);
    const auto view = f.read(created.id);
    REQUIRE(view);
    f.clock.set(created.expires_at);
    CHECK_FALSE(f.read(created.id));
    CHECK_FALSE(f.read(created.id, view->access_token));
}

TEST_CASE("burn deletes only with the matching burn token", "[secrets]") {
    SecretsFixture f;
    const auto created = f.create(5);
    REQUIRE(f.secrets.burn(created.id, std::string(32, 'f')));
    REQUIRE(f.secrets.burn(created.id, created.burn_token.substr(0, 31)));
    REQUIRE(f.secrets.burn(created.id, ""));
    CHECK(f.read(created.id));
    REQUIRE(f.secrets.burn(created.id, created.burn_token));
    CHECK_FALSE(f.read(created.id));
    CHECK(f.secrets.burn(created.id, created.burn_token));  // again: nothing, no error
}

TEST_CASE("malformed ids are unavailable, not errors", "[secrets]") {
    SecretsFixture f;
    f.create(5);
    for (const std::string id :
         std::vector<std::string>{"", "x", "AAAAAAAAAAAAAAAAAAAAAQ", "AAAAAAAAAAAAAAAAAAAAA=", std::string(23, 'A'),
                                  std::string("\xff\xfe", 2), std::string(5000, 'a')}) {
        const auto read = f.secrets.read(id, std::nullopt);
        REQUIRE(read);
        CHECK_FALSE(*read);
        CHECK(f.secrets.burn(id, "x"));
    }
}
