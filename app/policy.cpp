#include "app/policy.hpp"

#include <charconv>
#include <limits>
#include <optional>

#include "core/encoding/text.hpp"
#include "core/encoding/time_format.hpp"
#include "core/pow/pow.hpp"

namespace otts::app {
namespace {

// Every default the emulator and a deployment choose differently, and nothing else.
struct Profile {
    // A developer's pages run on any localhost port; a deployment allows no browser origin
    // until told which (DESIGN §7).
    bool cors_localhost_when_empty;
    // The emulator leaves the originals' limits off unless asked, so that tests may hammer it.
    // A deployment keeps the originals' PIN cooldown (kept in the store) but not the per-minute
    // windows: those live in process memory, which in a Lambda counts per container, not per
    // client. OTTS_RATE_LIMITS turns both on or off in either.
    bool request_limits;
    bool pin_cooldown;
    // A fixed PIN is a test convenience; a deployment mails random PINs whatever is set.
    bool fixed_pin;
};

Profile profile_of(Deployment deployment) {
    if (deployment == Deployment::emulator) {
        return {.cors_localhost_when_empty = true, .request_limits = false, .pin_cooldown = false, .fixed_pin = true};
    }
    return {.cors_localhost_when_empty = false, .request_limits = false, .pin_cooldown = true, .fixed_pin = false};
}

Error setting_error(std::string_view name, std::string_view expected, std::string_view got) {
    return make_error(ErrorCode::usage,
                      std::string(name) + " must be " + std::string(expected) + ", got '" + std::string(got) + "'");
}

// NAME as a whole number from `min` to `max`, or `fallback` when unset.
Result<long long> whole_number(const Settings& settings, std::string_view name, long long min, long long max,
                               long long fallback, std::string_view expected) {
    const auto text = settings.get(name);
    if (!text) return fallback;
    long long value = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc{} || ptr != end || value < min || value > max) return setting_error(name, expected, *text);
    return value;
}

// NAME in whole `unit`s of seconds (a positive number), or `fallback` seconds when unset.
Result<UnixSeconds> positive_seconds(const Settings& settings, std::string_view name, UnixSeconds unit,
                                     UnixSeconds fallback) {
    const long long max = std::numeric_limits<UnixSeconds>::max() / unit;
    OTTS_TRY(const auto count, whole_number(settings, name, 1, max, fallback / unit, "a positive whole number"));
    return static_cast<UnixSeconds>(count) * unit;
}

// NAME as true/false (also 1/0); nullopt when unset.
Result<std::optional<bool>> on_off(const Settings& settings, std::string_view name) {
    const auto text = settings.get(name);
    if (!text) return std::optional<bool>{};
    if (*text == "true" || *text == "1") return std::optional<bool>(true);
    if (*text == "false" || *text == "0") return std::optional<bool>(false);
    return setting_error(name, "true or false", *text);
}

Result<std::vector<pow::LadderStep>> pow_ladder(const Settings& settings) {
    const auto text = settings.get("OTTS_POW_LADDER");
    if (!text) return std::vector<pow::LadderStep>{};
    auto ladder = pow::parse_pow_ladder(*text);
    if (!ladder) return setting_error("OTTS_POW_LADDER", "PER_MINUTE:BITS,... (e.g. 10:18,30:20,100:22)", *text);
    return ladder;
}

// DESIGN §6 with the originals' variables. The fixed PIN is checked with the key, by the Stack.
Result<PinConfig> pin_config(const Settings& settings, const Profile& profile, bool cooldown) {
    PinConfig pin;
    OTTS_TRY(pin.ttl, positive_seconds(settings, "PIN_TTL_HOURS", 3600, pin.ttl));
    OTTS_TRY(pin.cooldown, positive_seconds(settings, "PIN_RATE_LIMIT_SECONDS", 1, pin.cooldown));
    pin.rate_limits = cooldown;
    if (profile.fixed_pin) pin.fixed_pin = settings.get("OTTS_FIXED_PIN");
    return pin;
}

}  // namespace

Result<UnixSeconds> leeway_setting(const Settings& settings) {
    const auto text = settings.get("OTTS_LEEWAY");
    if (!text) return jwt::k_default_leeway;
    const auto seconds = parse_duration(*text, 0);
    // Single-use records outlive exp by k_max_leeway: a larger leeway could outlive them.
    if (!seconds || *seconds > jwt::k_max_leeway)
        return setting_error("OTTS_LEEWAY", "a duration from 0 to 5m, such as 0, 30, 30s or 2m", *text);
    return *seconds;
}

Result<Policy> make_policy(const Settings& settings, Deployment deployment) {
    const Profile profile = profile_of(deployment);
    Policy policy;
    OTTS_TRY(policy.leeway, leeway_setting(settings));
    OTTS_TRY(policy.pow_difficulty, whole_number(settings, "OTTS_POW_DIFFICULTY", 0, pow::k_max_difficulty,
                                                 policy.pow_difficulty, "a whole number of bits from 0 to 64"));
    OTTS_TRY(policy.pow_ladder, pow_ladder(settings));
    OTTS_TRY(const auto limits, on_off(settings, "OTTS_RATE_LIMITS"));
    policy.rate_limits = limits.value_or(profile.request_limits);
    OTTS_TRY(policy.pin, pin_config(settings, profile, limits.value_or(profile.pin_cooldown)));
    policy.cors_origins = comma_list(settings.get("OTTS_CORS_ORIGINS").value_or(""));
    policy.cors_localhost_when_empty = profile.cors_localhost_when_empty;
    policy.version = OTTS_VERSION;
    return policy;
}

}  // namespace otts::app
