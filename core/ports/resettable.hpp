#pragma once
// Something whose whole state can be wiped: the emulator's POST /_otts/reset calls it on the
// store so that a test suite starts from nothing without restarting the server.
#include <cstdint>

#include "core/result.hpp"

namespace otts {

class Resettable {
public:
    virtual ~Resettable() = default;
    // Deletes every row of every table (schema and keys stay) and returns how many. store_error
    // on failure, in which case nothing was deleted.
    virtual Result<std::int64_t> reset() = 0;
};

}  // namespace otts
