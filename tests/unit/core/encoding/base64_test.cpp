#include "core/encoding/base64.hpp"

#include <catch2/catch.hpp>

using namespace otts;

namespace {

// RFC 4648 §10 test vectors.
struct Vector {
    const char* bytes;
    const char* std;
    const char* url;
};
constexpr Vector k_rfc4648[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

}  // namespace

TEST_CASE("base64 and base64url match the RFC 4648 vectors", "[base64]") {
    for (const auto& v : k_rfc4648) {
        CHECK(base64_encode(v.bytes) == v.std);
        CHECK(base64url_encode(v.bytes) == v.url);
        CHECK(base64_decode(v.std) == std::optional<std::string>(v.bytes));
        CHECK(base64url_decode(v.url) == std::optional<std::string>(v.bytes));
    }
}

TEST_CASE("the two alphabets differ only in 62 and 63", "[base64]") {
    const std::string bytes("\xfb\xff\xbf", 3);
    CHECK(base64_encode(bytes) == "+/+/");
    CHECK(base64url_encode(bytes) == "-_-_");
    CHECK(base64url_decode("-_-_") == bytes);
    CHECK_FALSE(base64url_decode("+/+/"));
    CHECK_FALSE(base64_decode("-_-_"));
}

TEST_CASE("base64url decode rejects padding, whitespace and stray characters", "[base64]") {
    for (const char* bad :
         {"Zg==", "Zm8=", "Zm9v ", " Zm9v", "Zm\n9v", "Zm9v\r\n", "Zm9v.", "Zm9v=", "Zm*v", "Zm9v\t"}) {
        INFO(bad);
        CHECK_FALSE(base64url_decode(bad));
    }
    CHECK_FALSE(base64url_decode(std::string("Zm9v\0", 5)));
}

TEST_CASE("base64url decode rejects a length of 1 mod 4", "[base64]") {
    CHECK_FALSE(base64url_decode("Z"));
    CHECK_FALSE(base64url_decode("Zm9vY"));
    CHECK(base64url_decode("Zm9vYg"));
}

TEST_CASE("base64url decode rejects non-zero unused trailing bits", "[base64]") {
    CHECK(base64url_decode("Zg") == "f");
    CHECK_FALSE(base64url_decode("Zh"));  // also 'f', with a stray low bit
    CHECK_FALSE(base64url_decode("Zv"));
    CHECK(base64url_decode("Zm8") == "fo");
    CHECK_FALSE(base64url_decode("Zm9"));
    CHECK_FALSE(base64url_decode("Zm-"));
}

TEST_CASE("base64 decode requires exact padding", "[base64]") {
    for (const char* bad :
         {"Zg", "Zg=", "Zg===", "Zm8", "Zm9vYg=", "=", "====", "Z===", "Zg==Zg==", "Zm9v ", "Zm\n9v", "Zh==", "Zm9="}) {
        INFO(bad);
        CHECK_FALSE(base64_decode(bad));
    }
}

TEST_CASE("base64 and base64url round-trip every byte string length", "[base64]") {
    std::string bytes;
    for (int n = 0; n < 70; ++n) {
        CHECK(base64_decode(base64_encode(bytes)) == bytes);
        CHECK(base64url_decode(base64url_encode(bytes)) == bytes);
        bytes += static_cast<char>(n * 37 + 11);
    }
}

TEST_CASE("hex encodes lowercase and decodes either case", "[base64]") {
    CHECK(hex_encode(std::string("\x00\x9f\xff", 3)) == "009fff");
    CHECK(hex_decode("009FfF") == std::string("\x00\x9f\xff", 3));
    CHECK(hex_decode("") == "");
    CHECK_FALSE(hex_decode("abc"));
    CHECK_FALSE(hex_decode("zz"));
    CHECK_FALSE(hex_decode("0x12"));
    CHECK_FALSE(hex_decode("12 "));
}
