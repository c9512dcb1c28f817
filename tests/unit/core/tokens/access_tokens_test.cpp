#include "core/tokens/access_tokens.hpp"

#include <catch2/catch.hpp>

#include "core/encoding/time_format.hpp"
#include "tests/support/s3_fixture.hpp"

TEST_CASE("issue gives an ES256 access and refresh token with the S3 claims", "[access_tokens]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    const auto pair = f.tokens.issue(license).value();
    CHECK(pair.expires_in == 86400);
    const auto access = f.tokens.check_access(pair.access_token).value();
    CHECK(access["type"] == "access");
    CHECK(access["email"] == "user@example.com");
    CHECK(access["sub"] == "user@example.com");
    CHECK(access["license_key_hash"] == license.key_hash);
    CHECK(access["exp"] == f.clock.now() + 86400);
    CHECK(access["license_expires_at"] == otts::iso8601(license.claims["exp"].get<otts::UnixSeconds>()));
    const auto refresh = f.tokens.check_refresh(pair.refresh_token).value();
    CHECK(refresh["type"] == "refresh");
    CHECK(refresh["exp"] == f.clock.now() + 30 * 86400);
    CHECK_FALSE(refresh.contains("license_expires_at"));
    CHECK(otts::jwt::decode(pair.access_token)->header["alg"] == "ES256");
}

TEST_CASE("access and refresh tokens are not interchangeable", "[access_tokens]") {
    otts::test::S3Fixture f;
    const auto pair = f.tokens.issue(f.license()).value();
    CHECK(f.tokens.check_access(pair.refresh_token).error().code == otts::ErrorCode::invalid_token);
    CHECK(f.tokens.check_refresh(pair.access_token).error().code == otts::ErrorCode::invalid_token);
    CHECK_FALSE(f.tokens.check_access(f.license().text).ok());
}

TEST_CASE("an access token expires after 24 h and dies with its license", "[access_tokens]") {
    otts::test::S3Fixture f;
    const auto pair = f.tokens.issue(f.license()).value();
    f.clock.advance(86400 + 31);
    CHECK(f.tokens.check_access(pair.access_token).error().code == otts::ErrorCode::token_expired);

    const auto short_license = otts::test::license_request("user@example.com", 3600);
    const auto brief = f.licenses.create(short_license).value();
    const auto early = f.tokens.issue(brief).value();
    f.clock.advance(3601);
    CHECK(f.tokens.check_access(early.access_token).error().code == otts::ErrorCode::invalid_token);
}

TEST_CASE("a refresh token rotates once", "[access_tokens]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    const auto pair = f.tokens.issue(license).value();
    const auto claims = f.tokens.check_refresh(pair.refresh_token).value();
    const auto next = f.tokens.rotate(claims, license);
    REQUIRE(next.ok());
    CHECK(next->refresh_token != pair.refresh_token);
    CHECK(f.tokens.rotate(claims, license).error().code == otts::ErrorCode::token_used);
}

TEST_CASE("parse_utc_timestamp reads exactly what iso8601 writes", "[access_tokens]") {
    CHECK(otts::parse_utc_timestamp(otts::iso8601(1'700'000'000)) == 1'700'000'000);
    CHECK(otts::parse_utc_timestamp("1970-01-01T00:00:00Z") == 0);
    CHECK_FALSE(otts::parse_utc_timestamp("2023-11-14T22:13:20+01:00"));
    CHECK_FALSE(otts::parse_utc_timestamp("2023-13-14T22:13:20Z"));
    CHECK_FALSE(otts::parse_utc_timestamp(""));
}

TEST_CASE("a refresh token rotated in its last valid second cannot rotate again", "[access_tokens][edge]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    const auto pair = f.tokens.issue(license).value();
    const auto exp = otts::jwt::expiry_of(pair.refresh_claims);
    f.clock.set(exp + otts::jwt::k_default_leeway - 1);
    const auto claims = f.tokens.check_refresh(pair.refresh_token).value();
    REQUIRE(f.tokens.rotate(claims, license).ok());
    CHECK(f.tokens.rotate(claims, license).error().code == otts::ErrorCode::token_used);
    // A verifier with the largest leeway, on the same store, still finds the tombstone.
    otts::AccessTokens lenient{f.store, f.clock, f.random, f.license_keys, otts::jwt::k_max_leeway};
    f.clock.set(exp + otts::jwt::k_max_leeway - 1);
    REQUIRE(f.sqlite->sweep(f.clock.now()).ok());
    CHECK(lenient.rotate(lenient.check_refresh(pair.refresh_token).value(), license).error().code ==
          otts::ErrorCode::token_used);
    f.clock.set(exp + otts::jwt::k_default_leeway);
    CHECK(f.tokens.check_refresh(pair.refresh_token).error().code == otts::ErrorCode::token_expired);
}
