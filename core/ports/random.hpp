#pragma once
// Randomness as the core sees it. Production code injects a CSPRNG (OpenSSL RAND_bytes);
// tests inject a seeded one.
#include <cstddef>
#include <cstdint>
#include <string>

namespace otts {

class Random {
public:
    virtual ~Random() = default;
    // Fills `out` with `n` random bytes.
    virtual void fill(std::uint8_t* out, std::size_t n) = 0;

    std::string bytes(std::size_t n);
    std::string hex(std::size_t n_bytes);  // 2 * n_bytes lowercase hex characters
    std::string uuid_v4();                 // RFC 9562 version 4, lowercase
    // Uniform in [0, bound) by rejection sampling (no modulo bias). bound > 0.
    std::uint32_t uniform(std::uint32_t bound);
};

}  // namespace otts
