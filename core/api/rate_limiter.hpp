#pragma once
// Per-key request limits as the originals apply them (S0: 10 POST /token per minute per source
// IP). A fixed window per key, in process memory: the emulator runs them only when asked
// (--rate-limits), and a window lost on restart only lets a few more requests through.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/ports/clock.hpp"

namespace otts::api {

class RateLimiter {
public:
    RateLimiter(int limit, UnixSeconds window) : m_limit(limit), m_window(window) {}

    // Counts one request for `key` at `now`. nullopt when allowed; otherwise the seconds until
    // the key's window ends (for Retry-After, at least 1).
    std::optional<UnixSeconds> hit(const std::string& key, UnixSeconds now);

private:
    struct Window {
        UnixSeconds start = 0;
        int count = 0;
    };
    void prune(UnixSeconds now);  // caller holds m_mutex

    int m_limit;
    UnixSeconds m_window;
    std::mutex m_mutex;
    std::unordered_map<std::string, Window> m_windows;
};

}  // namespace otts::api
