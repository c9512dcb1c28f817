#pragma once
// The Outbox port on a DynamoDB table (DynamoTables::outbox): key `id` (S); `to`, `subject`,
// `text`, `html` (S, absent when none); `sent_at` (N); `expires_at` (N) = sent_at + retention,
// the TTL attribute, which the store's sweep also deletes by; `added_ns` (N), the adding
// process's wall clock in nanoseconds, which orders mail of the same second in arrival order as
// SQLite's rowid does. Made and owned by DynamoStore; stateless, so any thread may call it.
//
// list() scans the table: the outbox is a test convenience holding a day of mail at most.
#include <string>

#include "adapters/dynamodb/dynamodb_table.hpp"
#include "core/ports/outbox.hpp"

namespace otts {

class DynamoOutbox final : public Outbox {
public:
    DynamoOutbox(aws::AwsClient& client, std::string table, UnixSeconds retention);

    Result<void> add(const Mail& mail) override;
    Result<std::vector<Mail>> list(const std::optional<std::string>& to) override;
    Result<std::optional<Mail>> get(const std::string& id) override;
    Result<bool> remove(const std::string& id) override;
    Result<std::int64_t> clear() override;

    // Deletes mail whose expires_at <= now (sent `retention` or more before); returns how many.
    Result<std::int64_t> sweep_mail(UnixSeconds now);

    const dynamodb::Table& table() const { return m_table; }

private:
    dynamodb::Table m_table;
    UnixSeconds m_retention;
};

}  // namespace otts
