#pragma once
// The Outbox port: mail kept for inspection instead of delivery (the emulator's default
// mailer, LocalStack-style), and OutboxMailer, the Mailer that writes into it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/mailer.hpp"

namespace otts {

class Outbox {
public:
    virtual ~Outbox() = default;
    // Stores the message. store_error if a message with that id exists.
    virtual Result<void> add(const Mail& mail) = 0;
    // Messages oldest first; only those addressed to `to` when given.
    virtual Result<std::vector<Mail>> list(const std::optional<std::string>& to) = 0;
    virtual Result<std::optional<Mail>> get(const std::string& id) = 0;
    // True if a message was deleted.
    virtual Result<bool> remove(const std::string& id) = 0;
    // Deletes every message; returns how many.
    virtual Result<std::int64_t> clear() = 0;
};

class OutboxMailer final : public Mailer {
public:
    explicit OutboxMailer(Outbox& outbox) : m_outbox(outbox) {}
    Result<void> send(const Mail& mail) override { return m_outbox.add(mail); }

private:
    Outbox& m_outbox;
};

}  // namespace otts
