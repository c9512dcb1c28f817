#pragma once
// Settings → policy, written once for every front end. `otts serve` turns its flags into
// Settings overrides and the Lambda reads its environment; both then call make_policy, so a
// variable means the same in both. What the two decide differently on purpose is named by the
// Deployment, and only the profile in policy.cpp says how.
#include <string>
#include <vector>

#include "adapters/settings.hpp"
#include "core/jose/jwt.hpp"
#include "core/pins/pins.hpp"
#include "core/pow/pow_ladder.hpp"

namespace otts::app {

enum class Deployment {
    emulator,  // `otts serve` on a developer's machine
    lambda,    // the Lambda bootstrap, deployed
};

struct Policy {
    int pow_difficulty = 18;
    std::vector<pow::LadderStep> pow_ladder;  // empty: a static difficulty
    // The originals' request limits: S0 10 POST /token per minute per address, S3 5 PIN
    // requests per minute per email. The PIN cooldown is pin.rate_limits.
    bool rate_limits = false;
    PinConfig pin;  // everything but hmac_key, which is a key (Keys::pin)
    UnixSeconds leeway = jwt::k_default_leeway;
    std::vector<std::string> cors_origins;  // see api::CorsPolicy
    bool cors_localhost_when_empty = true;
    std::string version;
};

// The policy from these settings, the deployment's defaults for what is unset:
//   OTTS_LEEWAY              clock leeway for exp/nbf/iat: 0, 30, 30s, 2m (30 s)
//   OTTS_POW_DIFFICULTY      create tokens' PoW bits, 0 to 64 (18)
//   OTTS_POW_LADDER          PER_MINUTE:BITS,... raising it with the issuance rate (none)
//   OTTS_RATE_LIMITS         true|false: the originals' request limits and the PIN cooldown
//   OTTS_CORS_ORIGINS        comma-separated browser origins, '*' for any
//   PIN_TTL_HOURS            a PIN's lifetime (12)
//   PIN_RATE_LIMIT_SECONDS   the PIN cooldown (300)
//   OTTS_FIXED_PIN           six digits mailed as every PIN (the emulator only)
// A bad value is a usage error that names the variable.
Result<Policy> make_policy(const Settings& settings, Deployment deployment);

// OTTS_LEEWAY alone: the CLI's own commands verify with it too.
Result<UnixSeconds> leeway_setting(const Settings& settings);

}  // namespace otts::app
