#include "core/pow/pow.hpp"

#include <catch2/catch.hpp>

#include <string>

using otts::pow::Challenge;
using otts::pow::leading_zero_bits;
using otts::pow::pow_valid;
using otts::pow::solve;
using otts::pow::SolveLimits;

namespace {

const std::string k_nonce = "0123456789abcdef0123456789abcdef";

std::string bytes(std::initializer_list<unsigned char> values) { return std::string(values.begin(), values.end()); }

}  // namespace

TEST_CASE("leading_zero_bits counts from the most significant bit of byte 0", "[pow]") {
    CHECK(leading_zero_bits(bytes({0x80, 0x00})) == 0);
    CHECK(leading_zero_bits(bytes({0x01, 0xff})) == 7);
    CHECK(leading_zero_bits(bytes({0x00, 0x00, 0x10})) == 19);
    CHECK(leading_zero_bits(bytes({0x00, 0xff})) == 8);
    CHECK(leading_zero_bits(std::string(32, '\0')) == 256);
    CHECK(leading_zero_bits("") == 0);
}

// Solutions found and their zero-bit counts computed independently with Python's hashlib:
// the smallest decimal counter whose digest has exactly that many leading zero bits.
TEST_CASE("pow_valid accepts known solutions at exactly their difficulty", "[pow]") {
    CHECK(pow_valid("otts:", k_nonce, "108", 8));
    CHECK(pow_valid("otts:", k_nonce, "6068", 12));
    CHECK(pow_valid("otts:", k_nonce, "675535", 16));
    CHECK(pow_valid("", "n", "436", 8));
    CHECK(pow_valid("", "n", "3305", 16));
    CHECK_FALSE(pow_valid("otts:", k_nonce, "108", 9));
    CHECK_FALSE(pow_valid("otts:", k_nonce, "675535", 17));
    CHECK_FALSE(pow_valid("", "n", "3305", 17));
}

TEST_CASE("pow_valid rejects a solution valid for another nonce or prefix", "[pow]") {
    CHECK_FALSE(pow_valid("otts:", "n", "675535", 16));
    CHECK_FALSE(pow_valid("x", "n", "3305", 16));
}

TEST_CASE("pow_valid rejects empty or over-long solutions and out-of-range difficulties", "[pow]") {
    CHECK_FALSE(pow_valid("otts:", k_nonce, "", 0));
    CHECK(pow_valid("otts:", k_nonce, std::string(64, '1'), 0));
    CHECK_FALSE(pow_valid("otts:", k_nonce, std::string(65, '1'), 0));
    CHECK_FALSE(pow_valid("otts:", k_nonce, "108", -1));
    CHECK_FALSE(pow_valid("otts:", k_nonce, "108", otts::pow::k_max_difficulty + 1));
}

TEST_CASE("solve finds valid decimal solutions for every block alignment of the prefix", "[pow]") {
    const auto prefix_length = GENERATE(0, 7, 50, 55, 56, 63, 64, 100);
    const std::string prefix(static_cast<std::size_t>(prefix_length), 'p');
    for (int difficulty = 0; difficulty <= 20; ++difficulty) {
        CAPTURE(prefix_length, difficulty);
        const auto result = solve(Challenge{prefix, "nonce", difficulty}, SolveLimits{});
        REQUIRE(result.solution);
        CHECK(result.solution->size() <= otts::pow::k_max_solution_length);
        CHECK(result.solution->find_first_not_of("0123456789") == std::string::npos);
        CHECK(pow_valid(prefix, "nonce", *result.solution, difficulty));
        CHECK(result.stats.hashes >= 1);
    }
}

TEST_CASE("solve works for every tail length of prefix + nonce", "[pow]") {
    for (std::size_t length = 0; length < 130; ++length) {
        CAPTURE(length);
        const std::string prefix(length, 'q');
        const auto result = solve(Challenge{prefix, k_nonce, 10}, SolveLimits{.threads = 1});
        REQUIRE(result.solution);
        CHECK(pow_valid(prefix, k_nonce, *result.solution, 10));
    }
}

TEST_CASE("solve on one thread finds a solution", "[pow]") {
    const auto result = solve(Challenge{"otts:", k_nonce, 16}, SolveLimits{.threads = 1});
    REQUIRE(result.solution);
    CHECK(pow_valid("otts:", k_nonce, *result.solution, 16));
}

TEST_CASE("solve stops at max_iterations counted over all threads", "[pow]") {
    const auto result = solve(Challenge{"otts:", k_nonce, 40}, SolveLimits{.max_iterations = 100000});
    CHECK_FALSE(result.solution);
    CHECK(result.stats.hashes == 100000);
}

TEST_CASE("solve gives up after timeout_seconds", "[pow]") {
    const auto result = solve(Challenge{"otts:", k_nonce, 64}, SolveLimits{.timeout_seconds = 0.3});
    CHECK_FALSE(result.solution);
    CHECK(result.stats.seconds < 10);
    CHECK(result.stats.hashes > 0);
}

TEST_CASE("solve reports progress from one thread while searching", "[pow]") {
    int calls = 0;
    const auto result = solve(Challenge{"otts:", k_nonce, 64}, SolveLimits{.timeout_seconds = 0.7},
                              [&calls](std::uint64_t) { ++calls; });
    CHECK_FALSE(result.solution);
    CHECK(calls >= 1);
}

TEST_CASE("solve returns no solution for a difficulty out of range", "[pow]") {
    CHECK_FALSE(solve(Challenge{"", "n", -1}, SolveLimits{}).solution);
    CHECK_FALSE(solve(Challenge{"", "n", otts::pow::k_max_difficulty + 1}, SolveLimits{}).solution);
}
