#include "core/pins/pin_verdict.hpp"

#include "core/jose/crypto.hpp"

namespace otts {

PinVerdict counted_try_verdict(const PinRow& counted, const std::string& pin_hash, const std::string& license_key_hash,
                               int max_attempts) {
    const bool pin_ok = crypto::equal_ct(counted.pin_hash, pin_hash);
    const bool license_ok = crypto::equal_ct(counted.license_key_hash, license_key_hash);
    if (pin_ok && license_ok) return PinVerdict{PinOutcome::consumed, 0};
    if (counted.attempts >= max_attempts) return PinVerdict{PinOutcome::exhausted, 0};
    return PinVerdict{PinOutcome::wrong, max_attempts - counted.attempts};
}

PinVerdict uncounted_try_verdict(const std::optional<PinRow>& seen, UnixSeconds now, int max_attempts) {
    if (!seen || seen->expires_at <= now || seen->attempts < max_attempts) return PinVerdict{PinOutcome::not_found, 0};
    return PinVerdict{PinOutcome::exhausted, 0};
}

}  // namespace otts
