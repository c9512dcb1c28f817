#pragma once
// The SecretStore port on a DynamoDB table (DynamoTables::secrets), sealed.fyi's
// `sealed-secrets` layout (its docs/SCHEMA.md): key `id` (S); `ciphertext`, `iv`, `salt` (S,
// absent when null), `passphraseProtected` (BOOL), `remainingViews` (N), `burnToken` (S),
// `createdAt` (N), `expiresAt` (N, the table's TTL attribute), `lastAccessAt` (N),
// `lastAccessToken` (S). Made and owned by DynamoStore; stateless, so any number of threads
// (and instances) may call it.
//
// take_view is one UpdateItem with ConditionExpression `remainingViews > 0 AND expiresAt >
// now` and ReturnValues ALL_NEW: DynamoDB applies conditional writes to an item one at a time,
// so N racing readers of an N-view secret win exactly once each. Expiry is checked on every
// read: DynamoDB's TTL deletes late, dynalite never.
#include <string>

#include "adapters/dynamodb/dynamodb_table.hpp"
#include "core/ports/secret_store.hpp"

namespace otts {

class DynamoSecretStore final : public SecretStore {
public:
    DynamoSecretStore(aws::AwsClient& client, std::string table);

    Result<void> put_secret(const SecretRecord& record) override;
    Result<std::optional<SecretRecord>> take_view(const std::string& id, const std::string& access_token,
                                                  UnixSeconds now) override;
    Result<std::optional<SecretRecord>> get_secret(const std::string& id, UnixSeconds now) override;
    Result<void> delete_secret(const std::string& id, const std::string& burn_token) override;
    Result<std::int64_t> sweep_secrets(UnixSeconds now) override;

    const dynamodb::Table& table() const { return m_table; }

private:
    dynamodb::Table m_table;
};

}  // namespace otts
