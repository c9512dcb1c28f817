#include "core/pow/pow.hpp"

#include <bit>

#include "core/jose/crypto.hpp"

namespace otts::pow {

int leading_zero_bits(std::string_view digest) {
    int bits = 0;
    for (const char c : digest) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte != 0) return bits + std::countl_zero(byte);
        bits += 8;
    }
    return bits;
}

bool pow_valid(std::string_view prefix, std::string_view nonce, std::string_view solution, int difficulty) {
    if (solution.empty() || solution.size() > k_max_solution_length) return false;
    // Issuers never sign a difficulty outside this range; treat one as a challenge nobody meets.
    if (difficulty < 0 || difficulty > k_max_difficulty) return false;
    std::string message;
    message.reserve(prefix.size() + nonce.size() + solution.size());
    message.append(prefix).append(nonce).append(solution);
    return leading_zero_bits(crypto::sha256(message)) >= difficulty;
}

}  // namespace otts::pow
