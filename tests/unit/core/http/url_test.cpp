#include "core/http/url.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <string>

using namespace otts;

namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

std::string all_bytes() {
    std::string out;
    for (int i = 0; i < 256; ++i) out += static_cast<char>(i);
    return out;
}

}  // namespace

TEST_CASE("percent_encode keeps exactly the RFC 3986 unreserved characters", "[s2][url]") {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    for (int i = 0; i < 256; ++i) {
        const auto c = static_cast<unsigned char>(i);
        const std::string encoded = url::percent_encode(std::string(1, static_cast<char>(c)));
        if (is_unreserved(c)) {
            CHECK(encoded == std::string(1, static_cast<char>(c)));
        } else {
            CHECK(encoded == std::string{'%', k_hex[c >> 4], k_hex[c & 15]});
        }
    }
    CHECK(url::percent_encode("a b+c/d?e=f&g") == "a%20b%2Bc%2Fd%3Fe%3Df%26g");
    CHECK(url::percent_encode("\xc3\xa9") == "%C3%A9");
    CHECK(url::percent_encode("") == "");
}

TEST_CASE("percent_decode reads %XX in either case and '+' as a space", "[s2][url]") {
    CHECK(url::percent_decode("a+b") == "a b");
    CHECK(url::percent_decode("%2B") == "+");
    CHECK(url::percent_decode("%2b%2F%3a") == "+/:");
    CHECK(url::percent_decode("%00") == std::string(1, '\0'));
    CHECK(url::percent_decode("%41%42C") == "ABC");
    CHECK(url::percent_decode("") == "");
    const auto bytes = all_bytes();
    CHECK(url::percent_decode(url::percent_encode(bytes)) == bytes);
}

TEST_CASE("percent_decode refuses broken escapes", "[s2][url]") {
    for (const char* text : {"%", "%2", "abc%", "abc%4", "%G0", "%0G", "%%41", "% 41", "%-1", "a%zzb"}) {
        INFO(text);
        CHECK_FALSE(url::percent_decode(text).has_value());
    }
}

TEST_CASE("encode_pairs encodes names and values in the given order", "[s2][url]") {
    CHECK(url::encode_pairs({}) == "");
    CHECK(url::encode_pairs({{"b", "x y"}, {"a", "1"}}) == "b=x%20y&a=1");
    CHECK(url::encode_pairs({{"redirect_uri", "http://localhost:3000/cb?x=1&y"}}) ==
          "redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1%26y");
    CHECK(url::encode_pairs({{"a=b", "&"}}) == "a%3Db=%26");
}

TEST_CASE("decode_pairs keeps the first value, skips empty pairs and decodes both sides", "[s2][url]") {
    auto pairs = url::decode_pairs("a=1&a=2&&b=x+y&c&d=&e=f=g&&");
    REQUIRE(pairs);
    CHECK(*pairs == http::Params{{"a", "1"}, {"b", "x y"}, {"c", ""}, {"d", ""}, {"e", "f=g"}});
    CHECK(url::decode_pairs("") == http::Params{});
    CHECK(url::decode_pairs("&&&") == http::Params{});
    CHECK(url::decode_pairs("n%20m=v%26w") == http::Params{{"n m", "v&w"}});
    const url::Pairs round{{"code", "a/b+c"}, {"redirect_uri", "https://x.example/cb?q=1"}, {"empty", ""}};
    CHECK(url::decode_pairs(url::encode_pairs(round)) ==
          http::Params{{"code", "a/b+c"}, {"redirect_uri", "https://x.example/cb?q=1"}, {"empty", ""}});
}

TEST_CASE("decode_pairs refuses a broken escape in a name or a value", "[s2][url]") {
    CHECK_FALSE(url::decode_pairs("a=%zz").has_value());
    CHECK_FALSE(url::decode_pairs("a=1&%4=2").has_value());
    CHECK_FALSE(url::decode_pairs("a=1&b=%").has_value());
}

TEST_CASE("origin_of lower-cases scheme and host and keeps the port", "[s2][url]") {
    CHECK(url::origin_of("HTTPS://App.Example.COM/Path?Q=1#F") == "https://app.example.com");
    CHECK(url::origin_of("http://localhost:3000/auth/callback") == "http://localhost:3000");
    CHECK(url::origin_of("https://a.example:8443") == "https://a.example:8443");
    CHECK(url::origin_of("https://a.example?x=1") == "https://a.example");
    CHECK(url::origin_of("https://a.example#frag") == "https://a.example");
    CHECK(url::origin_of("http://[::1]:8080/x") == "http://[::1]:8080");
}

TEST_CASE("origin_of refuses userinfo, other schemes and relative URLs", "[s2][url]") {
    for (const char* text : {"https://good@evil", "https://good.example@evil.example/", "https://user:pw@a.example/",
                             "ftp://a.example/", "javascript:alert(1)", "//evil.example/", "evil.example", "https://",
                             "https:///path", "http:/a.example", "", "data:text/html,x"}) {
        INFO(text);
        CHECK_FALSE(url::origin_of(text).has_value());
    }
}

TEST_CASE("percent_decode_lenient keeps broken escapes and reads '+' as asked", "[url]") {
    CHECK(url::percent_decode_lenient("a+b%20c", url::Plus::space) == "a b c");
    CHECK(url::percent_decode_lenient("a+b%20c", url::Plus::literal) == "a+b c");
    CHECK(url::percent_decode_lenient("%2b%2F", url::Plus::literal) == "+/");
    for (const char* text : {"%", "%2", "abc%", "%G0", "%0G", "% 41", "a%zzb", "50%"}) {
        INFO(text);
        CHECK(url::percent_decode_lenient(text, url::Plus::space) == text);
    }
    CHECK(url::percent_decode_lenient("%%41", url::Plus::space) == "%A");
    const auto bytes = all_bytes();
    CHECK(url::percent_decode_lenient(url::percent_encode(bytes), url::Plus::literal) == bytes);
}

TEST_CASE("split_pairs cuts a query into raw pieces, in order, repeats kept", "[url]") {
    CHECK(url::split_pairs("a=1&&b&c=x%20y&a=2&d=e=f") ==
          url::RawPairs{{"a", "1"}, {"b", ""}, {"c", "x%20y"}, {"a", "2"}, {"d", "e=f"}});
    CHECK(url::split_pairs("").empty());
    CHECK(url::split_pairs("&&").empty());
    CHECK(url::split_pairs("=v") == url::RawPairs{{"", "v"}});
}

TEST_CASE("parse_query decodes percent escapes and '+', and keeps broken escapes", "[url]") {
    CHECK(url::parse_query("a=1+2&b=%41%2f&&flag&c=50%&d=%zz") ==
          url::Pairs{{"a", "1 2"}, {"b", "A/"}, {"flag", ""}, {"c", "50%"}, {"d", "%zz"}});
    CHECK(url::parse_query("").empty());
    // SigV4 reads '+' as itself.
    CHECK(url::parse_query("k=a+b%2B", url::Plus::literal) == url::Pairs{{"k", "a+b+"}});
}
