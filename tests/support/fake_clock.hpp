#pragma once
// A clock the test sets by hand.
#include "core/clock.hpp"

namespace otts::test {

class FakeClock final : public Clock {
public:
    explicit FakeClock(UnixSeconds start = 1'700'000'000) : m_now(start) {}
    UnixSeconds now() const override { return m_now; }
    void set(UnixSeconds t) { m_now = t; }
    void advance(UnixSeconds d) { m_now += d; }

private:
    UnixSeconds m_now;
};

}  // namespace otts::test
