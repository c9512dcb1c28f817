#pragma once
// The Mailer port: where PIN mail goes. The emulator's outbox (default), SES, or nothing.
#include <optional>
#include <string>

#include "core/ports/clock.hpp"
#include "core/result.hpp"

namespace otts {

struct Mail {
    std::string id;  // unique per message (the outbox's key)
    std::string to;
    std::string subject;
    std::string text;
    std::optional<std::string> html;
    UnixSeconds sent_at = 0;
};

class Mailer {
public:
    virtual ~Mailer() = default;
    // Hands the message over for delivery. Errors: store_error / endpoint_unreachable from the
    // transport; the message is then not delivered.
    virtual Result<void> send(const Mail& mail) = 0;
};

}  // namespace otts
