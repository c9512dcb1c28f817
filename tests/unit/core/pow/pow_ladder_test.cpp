#include "core/pow/pow_ladder.hpp"

#include <catch2/catch.hpp>

using namespace otts;
using namespace otts::pow;

TEST_CASE("parse_pow_ladder reads per-minute:bits steps and sorts them", "[pow][ladder]") {
    const auto steps = parse_pow_ladder("30:20,10:18,100:22");
    REQUIRE(steps.ok());
    REQUIRE(steps->size() == 3);
    CHECK((*steps)[0].per_minute == 10);
    CHECK((*steps)[0].difficulty == 18);
    CHECK((*steps)[2].per_minute == 100);
}

TEST_CASE("parse_pow_ladder refuses malformed ladders", "[pow][ladder]") {
    for (const char* bad : {"", ",", "10", "10:", ":18", "10:18,", "a:b", "10:65", "10:18,10:20", "-1:4", "10:18;"}) {
        INFO(bad);
        CHECK_FALSE(parse_pow_ladder(bad).ok());
    }
}

TEST_CASE("without a ladder the difficulty is the base", "[pow][ladder]") {
    PowDifficulty d(18);
    for (int i = 0; i < 1000; ++i) CHECK(d.on_issue(100) == 18);
    CHECK(d.current(100) == 18);
}

TEST_CASE("the difficulty climbs with issuances in the last minute and falls back after", "[pow][ladder]") {
    PowDifficulty d(16, parse_pow_ladder("3:18,5:20").value());
    CHECK(d.on_issue(1000) == 16);
    CHECK(d.on_issue(1000) == 16);
    CHECK(d.current(1000) == 18);  // the next one would be the third
    CHECK(d.on_issue(1010) == 18);
    CHECK(d.on_issue(1020) == 18);
    CHECK(d.on_issue(1059) == 20);
    CHECK(d.current(1059) == 20);
    CHECK(d.current(1060) == 18);  // the two at t=1000 left the window
    CHECK(d.current(1200) == 16);
}
