#pragma once
// The real clock.
#include "core/ports/clock.hpp"

namespace otts {

class SystemClock final : public Clock {
public:
    UnixSeconds now() const override;
    std::int64_t now_ns() const override;
};

}  // namespace otts
