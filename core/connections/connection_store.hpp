#pragma once
// The ConnectionStore port: the durable record of each S4 WebSocket connection (who, since
// when), apart from the socket. In AWS, API Gateway holds the sockets and the Lambda only
// writes these records on $connect and deletes them on $disconnect; several `otts serve`
// instances on one DynamoDB share them the same way. The records live in the connections
// table (key `connectionId`, TTL `ttl`), the S4 original's layout.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/connections/connections.hpp"
#include "core/result.hpp"

namespace otts {

class ConnectionStore {
public:
    virtual ~ConnectionStore() = default;
    // Writes (or replaces) the record of info.id.
    virtual Result<void> put_connection(const ConnectionInfo& info) = 0;
    virtual Result<std::optional<ConnectionInfo>> get_connection(const std::string& id) = 0;
    // True if a record was deleted.
    virtual Result<bool> delete_connection(const std::string& id) = 0;
    virtual Result<std::vector<ConnectionInfo>> list_connections() = 0;
    // Adds or removes change.queue_id in the record's queue_ids, in one write (never
    // read-then-write: two subscribes at once both stay). False when there is no record of id.
    virtual Result<bool> change_subscription(const std::string& id, const SubscriptionChange& change) = 0;
    // The ids of the recorded connections subscribed to queue_id, sorted.
    virtual Result<std::vector<std::string>> subscribers(const std::string& queue_id) = 0;
};

// Records kept in the process: a single `otts serve` on SQLite, and tests. Thread-safe.
class InMemoryConnectionStore final : public ConnectionStore {
public:
    Result<void> put_connection(const ConnectionInfo& info) override;
    Result<std::optional<ConnectionInfo>> get_connection(const std::string& id) override;
    Result<bool> delete_connection(const std::string& id) override;
    Result<std::vector<ConnectionInfo>> list_connections() override;
    Result<bool> change_subscription(const std::string& id, const SubscriptionChange& change) override;
    Result<std::vector<std::string>> subscribers(const std::string& queue_id) override;

private:
    std::mutex m_mutex;
    std::map<std::string, ConnectionInfo, std::less<>> m_records;  // ordered: list() is sorted by id
};

}  // namespace otts
