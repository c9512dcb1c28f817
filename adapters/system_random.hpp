#pragma once
// The CSPRNG: OpenSSL's RAND_bytes (seeded from the kernel).
#include "core/ports/random.hpp"

namespace otts {

class SystemRandom final : public Random {
public:
    // Throws std::runtime_error if the CSPRNG fails: there is no safe fallback.
    void fill(std::uint8_t* out, std::size_t n) override;
};

}  // namespace otts
