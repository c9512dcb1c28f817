#pragma once
// The Store port on DynamoDB (DESIGN §5, §8), with the PinStore (pins()), Outbox (outbox()),
// SessionStore (sessions()) and SecretStore (secrets()) ports on the same client, so it has SqliteStore's shape.
// Stateless besides the client: any number of threads and processes (several `otts serve`, Lambdas) may share the
// tables, and every single-use decision is one conditional write that DynamoDB serialises per item.
//
// Token table (DynamoTables::tokens): key `uuid` (S); `expiry` (N, epoch seconds, the TTL
// attribute); `consumed_at` (N) once consumed. The key is the id for one-time tokens (S1's rows
// are `uuid` + `expiry`, so a table S1 wrote stays readable) and "<kind>#<id>" for the other
// kinds: "create_jti#<jti>", "refresh_jti#<jti>". A one-time id that itself starts with one of
// those prefixes, or with "one_time#", is stored as "one_time#<id>", so kinds never collide.
//
// Expiry is checked on every read and in every condition: DynamoDB's TTL deletes late (up to
// days), dynalite never. sweep() deletes expired rows at once.
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/aws/aws_client.hpp"
#include "adapters/dynamodb/dynamodb_table.hpp"
#include "adapters/dynamodb/dynamodb_tables.hpp"
#include "core/ports/outbox.hpp"
#include "core/ports/pin_store.hpp"
#include "core/ports/resettable.hpp"
#include "core/ports/secret_store.hpp"
#include "core/ports/session_store.hpp"
#include "core/ports/store.hpp"

namespace otts {

class DynamoPinStore;
class DynamoOutbox;
class DynamoSessionStore;
class DynamoSecretStore;

// The `uuid` key a token of `kind` with `id` is stored under.
std::string dynamo_token_key(TokenKind kind, const std::string& id);

class DynamoStore final : public Store, public Resettable {
public:
    // Takes ownership of `client` and checks (DescribeTable) that the tokens, pins, outbox,
    // sessions and secrets tables exist: store_error naming the first missing one and `otts dynamodb create-tables`.
    static Result<std::unique_ptr<DynamoStore>> open(std::unique_ptr<aws::AwsClient> client, DynamoTables tables,
                                                     TableCheck check = TableCheck::at_open);
    // open() with make_dynamodb_client(settings, clock) and DynamoTables::from_settings(settings).
    // key_error without AWS credentials. `clock` must outlive the store.
    static Result<std::unique_ptr<DynamoStore>> from_settings(const Settings& settings, const Clock& clock,
                                                              TableCheck check = TableCheck::at_open);

    ~DynamoStore() override;
    DynamoStore(const DynamoStore&) = delete;
    DynamoStore& operator=(const DynamoStore&) = delete;

    // Store: semantics as core/ports/store.hpp and SqliteStore, errors store_error.
    Result<void> put_token(const TokenRow& row) override;
    Result<ConsumeOutcome> consume_token(TokenKind kind, const std::string& id, UnixSeconds now) override;
    Result<ConsumeOutcome> record_once(TokenKind kind, const std::string& id, UnixSeconds expires_at,
                                       UnixSeconds now) override;
    Result<std::optional<TokenRow>> get_token(TokenKind kind, const std::string& id, UnixSeconds now) override;
    // Deletes expired tokens, PINs, sessions and secrets (used-up secrets past their re-read
    // window too), and outbox mail sent k_outbox_retention or more
    // before `now` (its `expires_at`). Returns the number of rows deleted in all five tables.
    Result<std::int64_t> sweep(UnixSeconds now) override;

    // Deletes every row of the tokens, pins, outbox, sessions and secrets tables; returns how many. Unlike
    // SQLite this is not one transaction: a failure part way leaves the rows deleted so far
    // deleted, and rows written while it runs may survive.
    Result<std::int64_t> reset() override;

    // The PIN, outbox and session ports on this client; valid while this store lives.
    PinStore& pins();
    Outbox& outbox();
    SessionStore& sessions();
    SecretStore& secrets();

    const DynamoTables& tables() const { return m_tables; }
    const std::string& endpoint() const { return m_client->endpoint(); }

    // Same retention as SqliteStore::k_outbox_retention: mail is written with
    // expires_at = sent_at + this, which DynamoDB's TTL also honours.
    static constexpr UnixSeconds k_outbox_retention = 24 * 3600;

private:
    DynamoStore(std::unique_ptr<aws::AwsClient> client, DynamoTables tables);
    Result<ConsumeOutcome> classify_failed_consume(const std::string& key, const nlohmann::json& seen,
                                                   UnixSeconds now) const;

    std::unique_ptr<aws::AwsClient> m_client;
    DynamoTables m_tables;
    dynamodb::Table m_tokens;
    std::unique_ptr<DynamoPinStore> m_pins;
    std::unique_ptr<DynamoOutbox> m_outbox;
    std::unique_ptr<DynamoSessionStore> m_sessions;
    std::unique_ptr<DynamoSecretStore> m_secrets;
};

}  // namespace otts
