#include "core/tokens/one_time_tokens.hpp"

#include <catch2/catch.hpp>

#include "tests/support/service_fixture.hpp"

using namespace otts;
using otts::test::ServiceFixture;

TEST_CASE("a one-time token is accepted once, then answers already used", "[one-time]") {
    ServiceFixture f;
    OneTimeTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue();
    REQUIRE(issued.ok());
    CHECK(issued->expires_at == f.clock.now() + OneTimeTokens::k_default_ttl);
    CHECK(tokens.consume(issued->token).ok());
    const auto again = tokens.consume(issued->token);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::token_used);
}

TEST_CASE("a validly signed one-time token that was never issued here is not found", "[one-time]") {
    ServiceFixture f;
    ServiceFixture other;  // same key, different store
    const auto issued = OneTimeTokens(other.ports, ServiceFixture::hs_keys()).issue();
    REQUIRE(issued.ok());
    const auto result = OneTimeTokens(f.ports, ServiceFixture::hs_keys()).consume(issued->token);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::token_not_found);
}

TEST_CASE("an expired one-time token is refused as expired", "[one-time]") {
    ServiceFixture f;
    OneTimeTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(60);
    REQUIRE(issued.ok());
    f.clock.advance(60 + jwt::k_default_leeway + 1);
    const auto result = tokens.consume(issued->token);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::token_expired);
}

TEST_CASE("check does not consume, but reads the store", "[one-time]") {
    ServiceFixture f;
    OneTimeTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue();
    REQUIRE(issued.ok());
    CHECK(tokens.check(issued->token).ok());
    CHECK(tokens.check(issued->token).ok());
    CHECK(tokens.consume(issued->token).ok());
    const auto used = tokens.check(issued->token);
    REQUIRE_FALSE(used.ok());
    CHECK(used.error().code == ErrorCode::token_used);
}

TEST_CASE("check of a token this store never issued is not found", "[one-time]") {
    ServiceFixture f;
    ServiceFixture other;
    const auto issued = OneTimeTokens(other.ports, ServiceFixture::hs_keys()).issue();
    REQUIRE(issued.ok());
    const auto result = OneTimeTokens(f.ports, ServiceFixture::hs_keys()).check(issued->token);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::token_not_found);
}

TEST_CASE("no one-time token is handed out when the store cannot record it", "[one-time]") {
    ServiceFixture f;
    f.store.failing = true;
    const auto issued = OneTimeTokens(f.ports, ServiceFixture::hs_keys()).issue();
    REQUIRE_FALSE(issued.ok());
    CHECK(issued.error().code == ErrorCode::store_error);
}

TEST_CASE("extra claims are added but may not replace reserved ones", "[one-time]") {
    ServiceFixture f;
    OneTimeTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(60, {{"scope", "deploy"}});
    REQUIRE(issued.ok());
    CHECK(issued->claims["scope"] == "deploy");
    const auto bad = tokens.issue(60, {{"exp", 1}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorCode::usage);
}

TEST_CASE("a token of another family signed with the same key is refused", "[one-time]") {
    ServiceFixture f;
    const auto user = jwt::encode({{"userId", "u1"}, {"iat", f.clock.now()}, {"exp", f.clock.now() + 60}},
                                  ServiceFixture::hs_keys().front());
    REQUIRE(user.ok());
    const auto result = OneTimeTokens(f.ports, ServiceFixture::hs_keys()).consume(*user);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::invalid_token);
}

TEST_CASE("a one-time token consumed in its last valid second stays used for every verifier", "[one-time][edge]") {
    ServiceFixture f;
    OneTimeTokens strict(f.ports, ServiceFixture::hs_keys(), 0);
    OneTimeTokens lenient(f.ports, ServiceFixture::hs_keys(), jwt::k_max_leeway);
    const auto issued = strict.issue(60);
    REQUIRE(issued.ok());
    f.clock.set(issued->expires_at - 1);
    REQUIRE(strict.consume(issued->token).ok());
    f.clock.set(issued->expires_at);
    CHECK(strict.consume(issued->token).error().code == ErrorCode::token_expired);
    // The tombstone is still there, and not swept, while the lenient verifier accepts the token.
    f.clock.set(issued->expires_at + jwt::k_max_leeway - 1);
    CHECK(f.sqlite->sweep(f.clock.now()).value() == 0);
    CHECK(lenient.consume(issued->token).error().code == ErrorCode::token_used);
    f.clock.set(issued->expires_at + jwt::k_max_leeway);
    CHECK(lenient.consume(issued->token).error().code == ErrorCode::token_expired);
}
