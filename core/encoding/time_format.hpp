#pragma once
// Timestamps and durations as users type and read them.
#include <optional>
#include <string>
#include <string_view>

#include "core/unix_seconds.hpp"

namespace otts {

// "2011-03-22T18:43:00Z" (UTC, second precision).
std::string iso8601(UnixSeconds t);

// "90", "90s", "5m", "8h", "30d" → seconds. nullopt for anything else (the empty string
// too), values under `min` (so zero, unless min is 0) or over 10 years. The one parser of every
// duration a user types: --ttl, --leeway, OTTS_LEEWAY.
std::optional<UnixSeconds> parse_duration(std::string_view text, UnixSeconds min = 1);

}  // namespace otts
