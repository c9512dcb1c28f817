#pragma once
// Deterministic randomness for tests (splitmix64). Never use outside tests.
#include <cstdint>

#include "core/ports/random.hpp"

namespace otts::test {

class SeededRandom final : public Random {
public:
    explicit SeededRandom(std::uint64_t seed = 42) : m_state(seed) {}
    void fill(std::uint8_t* out, std::size_t n) override {
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 8 == 0) m_word = next();
            out[i] = static_cast<std::uint8_t>(m_word >> (8 * (i % 8)));
        }
    }

private:
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t m_state;
    std::uint64_t m_word = 0;
};

}  // namespace otts::test
