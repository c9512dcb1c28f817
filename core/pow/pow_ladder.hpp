#pragma once
// Adaptive PoW difficulty of S0 (DESIGN §4): a static base difficulty, optionally raised by a
// ladder of issuance-rate thresholds. The rate is the number of create tokens issued in the
// last 60 seconds, counted in one-second buckets in process memory (a ladder protects one
// server; several instances each count their own issuances).
#include <array>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/result.hpp"

namespace otts::pow {

struct LadderStep {
    int per_minute = 0;  // at or above this many issuances in the last minute ...
    int difficulty = 0;  // ... tokens carry this difficulty
};

// "10:18,30:20,100:22" → steps sorted by threshold. usage error for anything else (empty
// items, non-numbers, difficulty outside 0..64, repeated thresholds).
Result<std::vector<LadderStep>> parse_pow_ladder(std::string_view text);

class PowDifficulty {
public:
    explicit PowDifficulty(int base, std::vector<LadderStep> ladder = {});

    // Counts one issuance at `now` and returns the difficulty for it (the count includes it).
    int on_issue(UnixSeconds now);
    // The difficulty the next issuance would get, without counting one.
    int current(UnixSeconds now) const;
    int base() const { return m_base; }

private:
    static constexpr std::size_t k_window = 60;
    int difficulty_for(long per_minute) const;
    long count(UnixSeconds now) const;  // caller holds m_mutex

    int m_base;
    std::vector<LadderStep> m_ladder;
    mutable std::mutex m_mutex;
    std::array<UnixSeconds, k_window> m_second{};  // which second each bucket counts
    std::array<long, k_window> m_count{};
};

}  // namespace otts::pow
