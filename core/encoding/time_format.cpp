#include "core/encoding/time_format.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace otts {

std::string iso8601(UnixSeconds t) {
    using namespace std::chrono;
    const sys_seconds tp{seconds{t}};
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss hms{tp - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

std::optional<UnixSeconds> parse_duration(std::string_view text, UnixSeconds min) {
    constexpr UnixSeconds k_max = 10LL * 366 * 24 * 3600;
    UnixSeconds value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data()) return std::nullopt;
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    UnixSeconds scale = 0;
    if (unit.empty() || unit == "s")
        scale = 1;
    else if (unit == "m")
        scale = 60;
    else if (unit == "h")
        scale = 3600;
    else if (unit == "d")
        scale = 86400;
    else
        return std::nullopt;
    if (value < 0 || value > k_max / scale || value * scale < min) return std::nullopt;
    return value * scale;
}

}  // namespace otts
