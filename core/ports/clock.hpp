#pragma once
// Time as the core sees it: seconds since the Unix epoch, from an injected Clock.
#include <cstdint>

#include "core/unix_seconds.hpp"

namespace otts {

class Clock {
public:
    virtual ~Clock() = default;
    virtual UnixSeconds now() const = 0;
    // Nanoseconds since the epoch, for ids that the originals derive from time (pin ids).
    virtual std::int64_t now_ns() const { return now() * 1'000'000'000; }
};

}  // namespace otts
