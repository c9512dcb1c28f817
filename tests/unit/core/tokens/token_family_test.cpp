#include "core/tokens/token_family.hpp"

#include <catch2/catch.hpp>

#include "core/encoding/time_format.hpp"

using namespace otts;

TEST_CASE("family_of tells the families apart by their distinguishing claims", "[family]") {
    CHECK(family_of({{"op", "create"}, {"jti", "x"}}) == Family::create);
    CHECK(family_of({{"uuid", "x"}}) == Family::one_time);
    CHECK(family_of({{"userId", "x"}}) == Family::user);
    CHECK(family_of({{"id", "x"}, {"email", "a@b.c"}}) == Family::license);
    CHECK(family_of({{"type", "access"}}) == Family::access);
    CHECK(family_of({{"type", "refresh"}}) == Family::refresh);
    CHECK_FALSE(family_of({{"sub", "x"}}).has_value());
}

TEST_CASE("a payload that looks like two families belongs to none", "[family]") {
    CHECK_FALSE(family_of({{"uuid", "x"}, {"userId", "y"}}).has_value());
    CHECK_FALSE(family_of({{"op", "create"}, {"uuid", "x"}}).has_value());
}

// Issue 11: op and type were read with value(name, ""), which throws when the claim is there
// but not a string: a signed token of that shape answered 500 and crashed `otts verify`.
TEST_CASE("a token whose op or type claim is not a string is of no family", "[family]") {
    for (const auto& odd : {nlohmann::json(5), nlohmann::json::object(), nlohmann::json::array(), nlohmann::json()}) {
        CHECK_FALSE(family_of({{"op", odd}, {"jti", "x"}}).has_value());
        CHECK_FALSE(family_of({{"type", odd}, {"email", "a@b"}, {"sub", "a@b"}}).has_value());
        CHECK_FALSE(family_of({{"op", odd}, {"uuid", "123e4567-e89b-42d3-a456-426614174000"}}).has_value());
        CHECK_FALSE(family_of({{"type", odd}, {"userId", "u"}}).has_value());
        CHECK(check_family({{"op", odd}}, Family::create).error().code == ErrorCode::invalid_token);
        CHECK(check_family({{"type", odd}}, Family::access).error().code == ErrorCode::invalid_token);
        CHECK(check_family({{"type", odd}}, Family::refresh).error().code == ErrorCode::invalid_token);
    }
}

TEST_CASE("check_family rejects wrong families and malformed claims", "[family]") {
    const nlohmann::json one_time = {{"uuid", "123e4567-e89b-42d3-a456-426614174000"}, {"exp", 1}};
    CHECK(check_family(one_time, Family::one_time).ok());
    CHECK(check_family(one_time, Family::user).error().code == ErrorCode::invalid_token);
    CHECK_FALSE(check_family({{"uuid", "not-a-uuid"}}, Family::one_time).ok());
    CHECK_FALSE(check_family({{"op", "create"}, {"jti", "123e4567-e89b-42d3-a456-426614174000"}}, Family::create).ok());
}

TEST_CASE("iso8601 formats UTC seconds", "[time]") {
    CHECK(iso8601(1300819380) == "2011-03-22T18:43:00Z");
    CHECK(iso8601(0) == "1970-01-01T00:00:00Z");
}

TEST_CASE("parse_duration takes zero only when asked, in any unit, and never the empty string", "[time]") {
    CHECK(parse_duration("0", 0) == 0);
    CHECK(parse_duration("0s", 0) == 0);
    CHECK(parse_duration("0m", 0) == 0);
    CHECK_FALSE(parse_duration("0s"));
    CHECK_FALSE(parse_duration("", 0));
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("-1", 0));
}

TEST_CASE("parse_duration understands s, m, h and d and refuses the rest", "[time]") {
    CHECK(parse_duration("90") == 90);
    CHECK(parse_duration("5m") == 300);
    CHECK(parse_duration("8h") == 28800);
    CHECK(parse_duration("30d") == 2592000);
    CHECK_FALSE(parse_duration("").has_value());
    CHECK_FALSE(parse_duration("0").has_value());
    CHECK_FALSE(parse_duration("-5").has_value());
    CHECK_FALSE(parse_duration("5w").has_value());
    CHECK_FALSE(parse_duration("99999999999d").has_value());
}
