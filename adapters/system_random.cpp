#include "adapters/system_random.hpp"

#include <limits>
#include <stdexcept>

#include <openssl/rand.h>

namespace otts {

void SystemRandom::fill(std::uint8_t* out, std::size_t n) {
    while (n > 0) {
        const int chunk = n > static_cast<std::size_t>(std::numeric_limits<int>::max())
                              ? std::numeric_limits<int>::max()
                              : static_cast<int>(n);
        if (RAND_bytes(out, chunk) != 1) throw std::runtime_error("RAND_bytes failed");
        out += chunk;
        n -= static_cast<std::size_t>(chunk);
    }
}

}  // namespace otts
