#pragma once
// Time as the core counts it: whole seconds since the Unix epoch. Its own header so that
// formatting (core/encoding) can name the type without depending on the Clock port.
#include <cstdint>

namespace otts {

using UnixSeconds = std::int64_t;

}  // namespace otts
