#pragma once
// The SessionStore port on a DynamoDB table (DynamoTables::sessions), the original l42 token
// handler's layout: key `session_id` (S); `data` (S, the session's JSON text); `created_at` (N);
// `ttl` (N, the table's TTL attribute, = expires_at). Made and owned by DynamoStore; stateless,
// so any number of threads may call it.
//
// put_session is one UpdateItem whose if_not_exists keeps an existing row's created_at and ttl,
// so racing writers never move a session's end. Expiry is checked on every read: DynamoDB's TTL
// deletes late, dynalite never.
#include <string>

#include "adapters/dynamodb/dynamodb_table.hpp"
#include "core/ports/session_store.hpp"

namespace otts {

class DynamoSessionStore final : public SessionStore {
public:
    DynamoSessionStore(aws::AwsClient& client, std::string table);

    Result<std::optional<SessionRecord>> get_session(const std::string& id, UnixSeconds now) override;
    Result<void> put_session(const SessionRecord& record) override;
    Result<void> delete_session(const std::string& id) override;
    Result<std::int64_t> sweep_sessions(UnixSeconds now) override;

    const dynamodb::Table& table() const { return m_table; }

private:
    dynamodb::Table m_table;
};

}  // namespace otts
