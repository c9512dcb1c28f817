#include "core/tokens/licenses.hpp"

#include <catch2/catch.hpp>

#include "core/encoding/base64.hpp"
#include "core/tokens/user_tokens.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"

using namespace otts;

namespace {

jwt::KeySet license_keys() {
    static const auto pkey = crypto::PKey::generate_p256().value();
    return {jwt::Key::es256(pkey).value()};
}

}  // namespace

TEST_CASE("a license round-trips and its hash is sha256 of the text", "[license]") {
    test::FakeClock clock;
    test::SeededRandom random;
    Licenses licenses(clock, random, license_keys());
    const auto made = licenses.create({"user@example.com", 30 * 86400, 3, 5});
    REQUIRE(made.ok());
    CHECK(made->claims["workspace_limit"] == 3);
    CHECK(made->claims["seat_count"] == 5);
    CHECK(made->key_hash.rfind("sha256:", 0) == 0);
    CHECK(made->key_hash.size() == 7 + 64);
    const auto checked = licenses.verify(made->text + "\n");
    REQUIRE(checked.ok());
    CHECK(checked->key_hash == made->key_hash);
    CHECK(checked->claims["email"] == "user@example.com");
}

TEST_CASE("a license past its exp is expired; before nbf it is not yet valid", "[license]") {
    test::FakeClock clock;
    test::SeededRandom random;
    Licenses licenses(clock, random, license_keys());
    const auto made = licenses.create({"user@example.com", 86400, {}, {}});
    REQUIRE(made.ok());
    clock.advance(86400 + 31);
    CHECK(licenses.verify(made->text).error().code == ErrorCode::token_expired);
    clock.advance(-(86400 + 31) - 31);
    CHECK(licenses.verify(made->text).error().code == ErrorCode::token_not_yet_valid);
}

TEST_CASE("a license signed by another key is invalid", "[license]") {
    test::FakeClock clock;
    test::SeededRandom random;
    const auto made = Licenses(clock, random, license_keys()).create({"user@example.com", 86400, {}, {}});
    REQUIRE(made.ok());
    const jwt::KeySet other{jwt::Key::es256(crypto::PKey::generate_p256().value()).value()};
    CHECK(Licenses(clock, random, other).verify(made->text).error().code == ErrorCode::invalid_token);
}

TEST_CASE("license text that is not base64 or not a license is invalid", "[license]") {
    test::FakeClock clock;
    test::SeededRandom random;
    Licenses licenses(clock, random, license_keys());
    CHECK(licenses.verify("not base64!").error().code == ErrorCode::invalid_token);
    CHECK(licenses.verify(base64_encode("a.b.c")).error().code == ErrorCode::invalid_token);
}

TEST_CASE("a license needs a plausible email and a private key", "[license]") {
    test::FakeClock clock;
    test::SeededRandom random;
    CHECK(Licenses(clock, random, license_keys()).create({"not-an-email", 86400, {}, {}}).error().code ==
          ErrorCode::usage);
    const auto pub = crypto::PKey::from_pem(license_keys().front().pkey->public_pem()).value();
    CHECK(Licenses(clock, random, {jwt::Key::es256(pub).value()}).create({"a@b.co", 86400, {}, {}}).error().code ==
          ErrorCode::key_error);
}

TEST_CASE("user tokens carry userId, iat and exp one hour apart", "[user]") {
    test::FakeClock clock;
    const jwt::KeySet keys{jwt::Key::hs256(std::string(32, 's')).value()};
    UserTokens users(clock, keys);
    const auto issued = users.issue("user-42");
    REQUIRE(issued.ok());
    CHECK(issued->claims["userId"] == "user-42");
    CHECK(issued->claims["exp"].get<UnixSeconds>() - issued->claims["iat"].get<UnixSeconds>() == 3600);
    CHECK(users.check(issued->token).ok());
    CHECK_FALSE(users.issue("").ok());
}
