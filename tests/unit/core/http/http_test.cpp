#include "core/http/http.hpp"

#include <catch2/catch.hpp>

using namespace otts;

TEST_CASE("parse_cookie_header reads name=value pairs, trimmed, the first of a name winning", "[http]") {
    http::Params cookies;
    http::parse_cookie_header(" a=1;b = two ; a=3;;=orphan; novalue; c=x=y; d=", cookies);
    CHECK(cookies == http::Params{{"a", "1"}, {"b", "two"}, {"c", "x=y"}, {"d", ""}});
}

TEST_CASE("parse_cookie_header adds to what is there and keeps it", "[http]") {
    http::Params cookies{{"a", "first"}};
    http::parse_cookie_header("a=second; l42_session=abc.def", cookies);
    CHECK(cookies == http::Params{{"a", "first"}, {"l42_session", "abc.def"}});
    http::parse_cookie_header("", cookies);
    CHECK(cookies.size() == 2);
}
