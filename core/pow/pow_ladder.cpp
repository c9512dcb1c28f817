#include "core/pow/pow_ladder.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "core/pow/pow.hpp"

namespace otts::pow {
namespace {

std::optional<int> parse_int(std::string_view s) {
    int value = 0;
    const auto* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, value);
    if (s.empty() || ec != std::errc{} || ptr != end || value < 0) return std::nullopt;
    return value;
}

Error ladder_error(std::string_view text) {
    return make_error(ErrorCode::usage,
                      "invalid --pow-ladder '" + std::string(text) + "' (e.g. 10:18,30:20,100:22: per-minute:bits)");
}

}  // namespace

Result<std::vector<LadderStep>> parse_pow_ladder(std::string_view text) {
    std::vector<LadderStep> steps;
    std::string_view rest = text;
    while (!rest.empty() || steps.empty()) {
        const auto comma = rest.find(',');
        const auto item = rest.substr(0, comma);
        const auto colon = item.find(':');
        if (colon == std::string_view::npos) return ladder_error(text);
        const auto rate = parse_int(item.substr(0, colon));
        const auto bits = parse_int(item.substr(colon + 1));
        if (!rate || !bits || *bits > pow::k_max_difficulty) return ladder_error(text);
        steps.push_back({*rate, *bits});
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
        if (rest.empty()) return ladder_error(text);  // trailing comma
    }
    std::sort(steps.begin(), steps.end(), [](auto& a, auto& b) { return a.per_minute < b.per_minute; });
    for (std::size_t i = 1; i < steps.size(); ++i) {
        if (steps[i].per_minute == steps[i - 1].per_minute) return ladder_error(text);
    }
    return steps;
}

PowDifficulty::PowDifficulty(int base, std::vector<LadderStep> ladder) : m_base(base), m_ladder(std::move(ladder)) {}

int PowDifficulty::difficulty_for(long per_minute) const {
    int bits = m_base;
    for (const auto& step : m_ladder) {
        if (per_minute >= step.per_minute) bits = step.difficulty;
    }
    return bits;
}

long PowDifficulty::count(UnixSeconds now) const {
    long total = 0;
    for (std::size_t i = 0; i < k_window; ++i) {
        if (m_second[i] > now - static_cast<UnixSeconds>(k_window) && m_second[i] <= now) total += m_count[i];
    }
    return total;
}

int PowDifficulty::on_issue(UnixSeconds now) {
    if (m_ladder.empty()) return m_base;  // static difficulty: no counting, no lock
    const std::lock_guard lock(m_mutex);
    const auto slot = static_cast<std::size_t>(((now % k_window) + k_window) % k_window);
    if (m_second[slot] != now) {
        m_second[slot] = now;
        m_count[slot] = 0;
    }
    ++m_count[slot];
    return difficulty_for(count(now));
}

int PowDifficulty::current(UnixSeconds now) const {
    if (m_ladder.empty()) return m_base;
    const std::lock_guard lock(m_mutex);
    return difficulty_for(count(now) + 1);
}

}  // namespace otts::pow
