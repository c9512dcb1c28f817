#pragma once
// The ConnectionStore port (core/connections/connection_store.hpp) on the connections table
// (DynamoTables::connections), S4's layout: key `connectionId` (S); `userId` (S, absent when
// anonymous), `connectedAt`, `lastActiveAt` (N), `sourceIp`, `userAgent`, `owner` (S),
// `queueIds` (SS, the queues the client subscribed to; absent when none); `ttl`
// (N) = connectedAt + k_record_lifetime, after which DynamoDB's TTL may drop a record whose
// $disconnect never came. Stateless besides its client: any thread may call it.
#include <memory>

#include "adapters/aws/aws_client.hpp"
#include "adapters/dynamodb/dynamodb_table.hpp"
#include "adapters/dynamodb/dynamodb_tables.hpp"
#include "core/connections/connection_store.hpp"

namespace otts {

class DynamoConnectionStore final : public ConnectionStore {
public:
    // Takes ownership of `client`; store_error (with the create-tables hint) when `table` is missing.
    static Result<std::unique_ptr<DynamoConnectionStore>> open(std::unique_ptr<aws::AwsClient> client,
                                                               std::string table,
                                                               TableCheck check = TableCheck::at_open);
    // open() with make_dynamodb_client(settings, clock) and the table DynamoTables::from_settings
    // names. `clock` must outlive the store.
    static Result<std::unique_ptr<DynamoConnectionStore>> from_settings(const Settings& settings, const Clock& clock,
                                                                        TableCheck check = TableCheck::at_open);

    Result<void> put_connection(const ConnectionInfo& info) override;
    Result<std::optional<ConnectionInfo>> get_connection(const std::string& id) override;
    Result<bool> delete_connection(const std::string& id) override;
    // Sorted by id, as InMemoryConnectionStore lists them.
    Result<std::vector<ConnectionInfo>> list_connections() override;
    // One UpdateItem: ADD or DELETE on the queueIds set, on condition that the record exists.
    Result<bool> change_subscription(const std::string& id, const SubscriptionChange& change) override;
    // A Scan with `contains(queueIds, :q)`: subscriptions are few and short-lived (API Gateway
    // closes a socket within 2 hours), as the connections table is.
    Result<std::vector<std::string>> subscribers(const std::string& queue_id) override;

    // API Gateway closes a WebSocket after 2 hours at most; a record is not needed longer.
    static constexpr UnixSeconds k_record_lifetime = 2 * 3600;

private:
    DynamoConnectionStore(std::unique_ptr<aws::AwsClient> client, std::string table);

    std::unique_ptr<aws::AwsClient> m_client;
    dynamodb::Table m_table;
};

}  // namespace otts
