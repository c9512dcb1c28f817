#pragma once
// Proof of work of S0 (DESIGN §4): valid iff SHA-256(prefix + nonce + solution) has at least
// `difficulty` leading zero bits, counted from the most significant bit of byte 0.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace otts::pow {

inline constexpr std::size_t k_max_solution_length = 64;
inline constexpr int k_max_difficulty = 64;  // beyond this no solver terminates; reject

int leading_zero_bits(std::string_view digest);
// False for an empty solution or one over 64 characters.
bool pow_valid(std::string_view prefix, std::string_view nonce, std::string_view solution, int difficulty);

struct Challenge {
    std::string prefix;
    std::string nonce;
    int difficulty = 0;
};

struct SolveLimits {
    unsigned threads = 0;              // 0: every core (std::thread::hardware_concurrency)
    double timeout_seconds = 0;        // 0: none
    std::uint64_t max_iterations = 0;  // 0: none; counted over all threads
};

struct SolveStats {
    std::uint64_t hashes = 0;
    double seconds = 0;
};

struct SolveResult {
    std::optional<std::string> solution;  // empty when a bound was hit first
    SolveStats stats;
};

// Searches decimal-digit solutions on `limits.threads` threads. Each candidate costs one
// SHA-256 block: the state over prefix + nonce (+ a filler of '0's when needed) is computed
// once. `progress`, if set, is called about every 200 ms from one thread with the hashes so far.
SolveResult solve(const Challenge& challenge, const SolveLimits& limits,
                  const std::function<void(std::uint64_t hashes)>& progress = {});

}  // namespace otts::pow
