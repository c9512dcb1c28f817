// The Lambda's composition: everything from the environment, nothing from a data home.
#include "adapters/key_config.hpp"
#include "adapters/system_clock.hpp"
#include "adapters/system_random.hpp"
#include "app/services.hpp"
#include "core/crypto.hpp"

namespace otts::app {
namespace {

// key_config falls back to the data home's files; a Lambda has none, so each fallback is
// pointed at a directory that cannot exist and every required variable is checked first, with
// a message that names it.
const DataHome k_no_home{"/nonexistent/otts-lambda-has-no-data-home"};

Result<void> require(const Settings& settings, std::initializer_list<std::string_view> names) {
    if (settings.get(names)) return Ok{};
    std::string list;
    for (auto name : names) list += (list.empty() ? "" : " or ") + std::string(name);
    return make_error(ErrorCode::key_error, list + " must be set (a Lambda has no data home to keep a key in)");
}

Result<Keys> lambda_keys(const Settings& settings) {
    OTTS_TRY_VOID(require(settings, {"OTTS_SECRET_FILE", "OTTS_SECRET", "JWT_SECRET"}));
    OTTS_TRY_VOID(require(settings, {"OTTS_LICENSE_PUBLIC_KEY", "LICENSE_PUBLIC_KEY"}));
    OTTS_TRY_VOID(require(settings, {"OTTS_AUTH_TOKEN_KEY"}));
    Keys keys;
    OTTS_TRY(keys.create, hs_family_keys(Family::create, settings, k_no_home));
    OTTS_TRY(keys.user, hs_family_keys(Family::user, settings, k_no_home));
    // S1's SECRET_KEY when set, else the same secret as the other HS256 families.
    Settings one_time = settings;
    if (!settings.get({"OTTS_SECRET_FILE", "OTTS_SECRET", "SECRET_KEY"})) {
        one_time.set_override("SECRET_KEY", *settings.get("JWT_SECRET"));
    }
    OTTS_TRY(keys.one_time, hs_family_keys(Family::one_time, one_time, k_no_home));
    OTTS_TRY(keys.license, license_verifying_keys(settings, k_no_home));
    OTTS_TRY(keys.auth, auth_token_keys(settings, k_no_home));
    return keys;
}

// OTTS_PIN_KEY, else derived from the HS256 secret the way the data home's is.
Result<PinConfig> lambda_pin_config(const Settings& settings, const Keys& keys) {
    std::string hmac_key;
    if (settings.get("OTTS_PIN_KEY")) {
        OTTS_TRY(hmac_key, pin_hash_key(settings, k_no_home));
    } else {
        hmac_key = crypto::hmac_sha256(keys.create.front().secret, "otts pin hash key");
    }
    return pin_config(settings, std::move(hmac_key), /*rate_limits=*/true);  // deployed: the original's cooldown
}

}  // namespace

Result<std::unique_ptr<Stack>> lambda_stack(const Settings& settings) {
    auto clock = std::make_unique<SystemClock>();
    OTTS_TRY(auto keys, lambda_keys(settings));
    OTTS_TRY(auto pin, lambda_pin_config(settings, keys));
    OTTS_TRY(auto backend, open_backend(settings.get("OTTS_STORE").value_or("dynamodb"), settings, *clock));
    std::unique_ptr<Mailer> mailer;  // null: the outbox (OTTS_MAILER=outbox)
    if (settings.get("OTTS_MAILER").value_or("ses") != "outbox") {
        OTTS_TRY(mailer, open_ses_mailer(settings, *clock));
    }
    Policy policy;
    policy.pin = std::move(pin);
    policy.version = OTTS_VERSION;
    StackParts parts{
        .backend = std::move(backend),
        .mailer = std::move(mailer),
        .keys = std::move(keys),
        .policy = std::move(policy),
        .clock = std::move(clock),
        .random = std::make_unique<SystemRandom>(),
    };
    OTTS_TRY(auto stack, Stack::create(std::move(parts)));
    stack->add_routes(std::nullopt);  // no outbox, reset or /@connections in a deployment
    return stack;
}

}  // namespace otts::app
