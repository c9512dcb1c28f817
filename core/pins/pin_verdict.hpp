#pragma once
// The verdict on one PIN try (DESIGN §6): domain logic both PIN stores share. A store decides
// the race with one conditional write (the PinStore contract); this decides, from what that
// write returned, what the try means.
#include <optional>
#include <string>

#include "core/ports/pin_store.hpp"

namespace otts {

// A try the store counted; `counted` is the row as the counting write left it. consumed when
// both the PIN hash and the license hash match (the store then deletes that row); otherwise
// wrong with the tries left, or exhausted once `max_attempts` tries are counted. Both hashes are
// compared in constant time, and both always, so timing tells nothing about which differed.
PinVerdict counted_try_verdict(const PinRow& counted, const std::string& pin_hash, const std::string& license_key_hash,
                               int max_attempts);

// A try the store refused to count; `seen` is the email's row read after the refusal, if any.
// exhausted when it is live with its tries used up; otherwise not_found (no row, an expired
// one, or a new PIN written since the refusal, which this try was not made against).
PinVerdict uncounted_try_verdict(const std::optional<PinRow>& seen, UnixSeconds now, int max_attempts);

}  // namespace otts
