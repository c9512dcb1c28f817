#include "core/ports/random.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "tests/support/seeded_random.hpp"

using otts::test::SeededRandom;

TEST_CASE("uuid_v4 has the version and variant bits of RFC 9562", "[random]") {
    SeededRandom rnd;
    const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    for (int i = 0; i < 100; ++i) CHECK(std::regex_match(rnd.uuid_v4(), shape));
}

TEST_CASE("hex returns two lowercase digits per byte", "[random]") {
    SeededRandom rnd;
    const auto h = rnd.hex(16);
    CHECK(h.size() == 32);
    CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("uniform stays below its bound and reaches every value", "[random]") {
    SeededRandom rnd;
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 2000; ++i) {
        const auto v = rnd.uniform(10);
        REQUIRE(v < 10);
        seen.insert(v);
    }
    CHECK(seen.size() == 10);
}
