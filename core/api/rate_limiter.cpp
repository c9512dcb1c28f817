#include "core/api/rate_limiter.hpp"

#include <algorithm>

namespace otts::api {
namespace {
// Past this many keys, ended windows are dropped so a scan of source addresses cannot grow
// the map without bound.
constexpr std::size_t k_prune_at = 10'000;
}  // namespace

void RateLimiter::prune(UnixSeconds now) {
    std::erase_if(m_windows, [&](const auto& item) { return item.second.start + m_window <= now; });
}

std::optional<UnixSeconds> RateLimiter::hit(const std::string& key, UnixSeconds now) {
    const std::lock_guard lock(m_mutex);
    if (m_windows.size() >= k_prune_at) prune(now);
    auto& w = m_windows[key];
    if (w.start + m_window <= now) w = Window{now, 0};
    if (w.count >= m_limit) return std::max<UnixSeconds>(1, w.start + m_window - now);
    ++w.count;
    return std::nullopt;
}

}  // namespace otts::api
