#pragma once
// S3 PINs (DESIGN §6): a 6-digit PIN mailed for a verified license, later exchanged once for
// access/refresh tokens. The PIN is drawn from the Random port without modulo bias and stored
// only as HMAC-SHA256 under a server key, bound to the license (license_key_hash); it lives
// `ttl` seconds, dies after 5 wrong tries, and a new one supersedes the old. The request
// cooldown applies only when rate limits are on (the emulator leaves them off unless asked).
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/ports/clock.hpp"
#include "core/tokens/licenses.hpp"
#include "core/ports/mailer.hpp"
#include "core/ports/pin_store.hpp"
#include "core/ports/random.hpp"

namespace otts {

struct PinConfig {
    std::string hmac_key;                  // server key for PIN hashes, >= 32 bytes
    UnixSeconds ttl = 12 * 3600;           // PIN_TTL_HOURS
    UnixSeconds cooldown = 300;            // PIN_RATE_LIMIT_SECONDS
    bool rate_limits = false;              // the cooldown applies only when true
    std::optional<std::string> fixed_pin;  // tests only; the front end refuses it outside the emulator
    std::string product = "otts";          // named in the mail's subject and text

    // key_error for a short key, usage for a fixed PIN that is not 6 digits.
    Result<void> check() const;
};

struct PinIssued {
    std::string email;
    std::string pin_id;  // "pin_<unix nanoseconds>"
    UnixSeconds expires_at = 0;
    // Why the mail could not be handed over, if it could not. As the original, the request
    // still succeeds (the PIN is stored); front ends log this.
    std::optional<Error> mail_error;
};

struct PinCoolingDown {
    UnixSeconds retry_after = 0;  // seconds until a new PIN may be requested
    UnixSeconds cooldown = 0;
};

using PinRequestOutcome = std::variant<PinIssued, PinCoolingDown>;

class Pins {
public:
    // `config` must pass check(). The ports must outlive the service.
    Pins(PinStore& store, Mailer& mailer, const Clock& clock, Random& random, PinConfig config);

    // Makes, stores and mails a PIN for the (already verified) license.
    Result<PinRequestOutcome> request(const License& license);

    // Consumes the email's PIN iff `pin` and the license match. pin_invalid (detail says why:
    // wrong, tries used up, or no live PIN) otherwise; store_error from the store.
    Result<void> verify(const License& license, std::string_view pin);

    // HMAC-SHA256(key, email "\n" pin) as lowercase hex: what the store keeps.
    std::string hash(std::string_view email, std::string_view pin) const;

    const PinConfig& config() const { return m_config; }

private:
    std::string next_pin();
    Mail pin_mail(const std::string& email, const std::string& pin, const std::string& pin_id);

    PinStore& m_store;
    Mailer& m_mailer;
    const Clock& m_clock;
    Random& m_random;
    PinConfig m_config;
};

// Six decimal digits, uniform over 000000..999999.
std::string generate_pin(Random& random);

// "user@example.com" → "u***@example.com" (the address in responses; the mail has it whole).
std::string mask_email(std::string_view email);

}  // namespace otts
