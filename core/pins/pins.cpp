#include "core/pins/pins.hpp"

#include <algorithm>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

namespace otts {
namespace {

bool is_six_digits(std::string_view s) {
    return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const std::string& email_of(const License& license) { return license.claims.at("email").get_ref<const std::string&>(); }

}  // namespace

Result<void> PinConfig::check() const {
    if (hmac_key.size() < 32) return make_error(ErrorCode::key_error, "the PIN key must be at least 32 bytes");
    if (fixed_pin && !is_six_digits(*fixed_pin)) return make_error(ErrorCode::usage, "a fixed PIN must be 6 digits");
    if (ttl <= 0) return make_error(ErrorCode::usage, "the PIN lifetime must be positive");
    return Ok{};
}

std::string generate_pin(Random& random) {
    // uniform() rejects the incomplete top block, so every PIN is equally likely.
    std::string pin = std::to_string(random.uniform(1'000'000));
    return std::string(6 - pin.size(), '0') + pin;
}

std::string mask_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0) return "***";
    return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

Pins::Pins(PinStore& store, Mailer& mailer, const Clock& clock, Random& random, PinConfig config)
    : m_store(store), m_mailer(mailer), m_clock(clock), m_random(random), m_config(std::move(config)) {}

std::string Pins::hash(std::string_view email, std::string_view pin) const {
    std::string input(email);
    input += '\n';
    input += pin;
    return hex_encode(crypto::hmac_sha256(m_config.hmac_key, input));
}

std::string Pins::next_pin() { return m_config.fixed_pin ? *m_config.fixed_pin : generate_pin(m_random); }

Mail Pins::pin_mail(const std::string& email, const std::string& pin, const std::string& pin_id) {
    const auto hours = m_config.ttl / 3600;
    const std::string lifetime =
        hours > 0 ? std::to_string(hours) + " hours" : std::to_string(m_config.ttl / 60) + " minutes";
    std::string text = "Hello,\n\nYour authentication PIN for " + m_config.product + " is: " + pin +
                       "\n\nThis PIN will expire in " + lifetime +
                       ".\n\nIf you did not request this PIN, please ignore this email.\n";
    return Mail{"mail_" + pin_id.substr(4) + "_" + m_random.hex(4),
                email,
                "Your " + m_config.product + " Authentication PIN",
                std::move(text),
                std::nullopt,
                m_clock.now()};
}

Result<PinRequestOutcome> Pins::request(const License& license) {
    const std::string& email = email_of(license);
    const UnixSeconds now = m_clock.now();
    const std::string pin = next_pin();
    const std::string pin_id = "pin_" + std::to_string(m_clock.now_ns());
    const PinRow row{email, hash(email, pin), license.key_hash, pin_id, now, now + m_config.ttl, 0};
    const UnixSeconds cooldown = m_config.rate_limits ? m_config.cooldown : 0;
    OTTS_TRY(const auto put, m_store.put_pin(row, cooldown));
    if (!put.stored) {
        const UnixSeconds since = put.blocking_created_at ? now - *put.blocking_created_at : 0;
        return PinRequestOutcome{PinCoolingDown{std::max<UnixSeconds>(1, cooldown - since), cooldown}};
    }
    PinIssued issued{email, pin_id, row.expires_at, std::nullopt};
    if (auto sent = m_mailer.send(pin_mail(email, pin, pin_id)); !sent) issued.mail_error = sent.error();
    return PinRequestOutcome{std::move(issued)};
}

Result<void> Pins::verify(const License& license, std::string_view pin) {
    const std::string& email = email_of(license);
    // A malformed PIN still counts as a try: probing the format must cost what guessing does.
    OTTS_TRY(const auto verdict,
             m_store.consume_pin(email, hash(email, pin), license.key_hash, m_clock.now(), PinStore::k_max_attempts));
    switch (verdict.outcome) {
        case PinOutcome::consumed: return Ok{};
        case PinOutcome::wrong: return make_error(ErrorCode::pin_invalid, "Invalid PIN");
        case PinOutcome::exhausted: return make_error(ErrorCode::pin_invalid, "Too many wrong PINs; request a new PIN");
        case PinOutcome::not_found: return make_error(ErrorCode::pin_invalid, "Invalid or expired PIN");
    }
    return make_error(ErrorCode::internal, "unknown PIN outcome");
}

}  // namespace otts
