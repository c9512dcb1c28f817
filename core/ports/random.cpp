#include "core/ports/random.hpp"

#include <array>
#include <limits>

namespace otts {

std::string Random::bytes(std::size_t n) {
    std::string out(n, '\0');
    fill(reinterpret_cast<std::uint8_t*>(out.data()), n);
    return out;
}

std::string Random::hex(std::size_t n_bytes) {
    static constexpr char k_digits[] = "0123456789abcdef";
    const std::string raw = bytes(n_bytes);
    std::string out;
    out.reserve(n_bytes * 2);
    for (unsigned char c : raw) {
        out.push_back(k_digits[c >> 4]);
        out.push_back(k_digits[c & 0xf]);
    }
    return out;
}

std::string Random::uuid_v4() {
    std::array<std::uint8_t, 16> b{};
    fill(b.data(), b.size());
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10xx
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(k_digits[b[i] >> 4]);
        out.push_back(k_digits[b[i] & 0xf]);
    }
    return out;
}

std::uint32_t Random::uniform(std::uint32_t bound) {
    // Reject draws from the incomplete last block so every residue is equally likely.
    const std::uint32_t limit =
        std::numeric_limits<std::uint32_t>::max() - (std::numeric_limits<std::uint32_t>::max() % bound + 1) % bound;
    for (;;) {
        std::uint32_t v = 0;
        fill(reinterpret_cast<std::uint8_t*>(&v), sizeof v);
        if (v <= limit) return v % bound;
    }
}

}  // namespace otts
