#pragma once
// Mails for the outbox tests, and the ids of a listing, so outboxes compare by id.
#include <string>
#include <vector>

#include "core/ports/mailer.hpp"
#include "tests/support/fake_clock.hpp"

namespace otts::test {

inline Mail mail(const std::string& id, const std::string& to, UnixSeconds sent_at = k_now) {
    return Mail{id, to, "subject " + id, "text " + id, std::nullopt, sent_at};
}

inline std::vector<std::string> ids(const std::vector<Mail>& mails) {
    std::vector<std::string> out;
    for (const auto& m : mails) out.push_back(m.id);
    return out;
}

}  // namespace otts::test
