#pragma once
// A clock the test sets by hand.
#include "core/ports/clock.hpp"

namespace otts::test {

// The instant tests start from (2023-11-14T22:13:20Z), unless they need another.
inline constexpr UnixSeconds k_now = 1'700'000'000;

class FakeClock final : public Clock {
public:
    explicit FakeClock(UnixSeconds start = k_now) : m_now(start) {}
    UnixSeconds now() const override { return m_now; }
    void set(UnixSeconds t) { m_now = t; }
    void advance(UnixSeconds d) { m_now += d; }

private:
    UnixSeconds m_now;
};

}  // namespace otts::test
