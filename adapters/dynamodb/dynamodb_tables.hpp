#pragma once
// The DynamoDB tables otts owns (DESIGN §8), their names from the settings, the client that
// reaches them, and their creation (`otts dynamodb create-tables`).
//
// | table       | setting (first found wins)              | default          | key (S)        | TTL (N)    |
// |-------------|-----------------------------------------|------------------|----------------|------------|
// | tokens      | OTTS_TOKEN_TABLE, TOKEN_TABLE            | TokenTable       | uuid           | expiry     |
// | pins        | OTTS_PINS_TABLE, PINS_TABLE              | otts-pins        | email          | expires_at |
// | outbox      | OTTS_OUTBOX_TABLE                        | otts-outbox      | id             | expires_at |
// | connections | OTTS_CONNECTIONS_TABLE, CONNECTIONS_TABLE | otts-connections | connectionId   | ttl        |
// | sessions    | OTTS_SESSIONS_TABLE, DYNAMODB_TABLE      | l42_sessions     | session_id     | ttl        |
// | secrets     | OTTS_SECRETS_TABLE, SECRETS_TABLE         | sealed-secrets   | id             | expiresAt  |
//
// DYNAMODB_TABLE is the variable of the original l42 token handler (S2), whose only table this is.
//
// The endpoint is OTTS_DYNAMODB_ENDPOINT or DYNAMODB_ENDPOINT (a local peer such as dynalite),
// else the public regional one. Nothing here reads the rows.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/aws/aws_client.hpp"
#include "adapters/settings.hpp"
#include "core/ports/clock.hpp"
#include "core/result.hpp"

namespace otts {

// Whether opening a store checks (DescribeTable) that its tables exist: at_open for a server,
// which should fail at start naming the table; on_first_use for the Lambda, whose init is
// cold-start latency (a missing table then fails the request, with the same message).
enum class TableCheck { at_open, on_first_use };

struct DynamoTables {
    std::string tokens = "TokenTable";
    std::string pins = "otts-pins";
    std::string outbox = "otts-outbox";
    std::string connections = "otts-connections";
    std::string sessions = "l42_sessions";
    std::string secrets = "sealed-secrets";  // S0: sealed.fyi's table name

    // The names the settings give, defaults for the rest.
    static DynamoTables from_settings(const Settings& settings);
    // Every name with `prefix` in front (tests; several stacks in one account).
    DynamoTables with_prefix(const std::string& prefix) const;
};

// Key and TTL attribute names, as the adapters write them.
namespace dynamo_schema {
inline constexpr const char* k_token_key = "uuid";
inline constexpr const char* k_token_ttl = "expiry";
inline constexpr const char* k_pin_key = "email";
inline constexpr const char* k_pin_ttl = "expires_at";
inline constexpr const char* k_outbox_key = "id";
inline constexpr const char* k_outbox_ttl = "expires_at";
inline constexpr const char* k_connection_key = "connectionId";
inline constexpr const char* k_connection_ttl = "ttl";  // S4's layout (core/connections/connection_store.hpp)
inline constexpr const char* k_session_key = "session_id";
inline constexpr const char* k_session_ttl = "ttl";  // S2's layout (core/ports/session_store.hpp)
inline constexpr const char* k_secret_key = "id";
inline constexpr const char* k_secret_ttl = "expiresAt";  // S0's layout (core/ports/secret_store.hpp)
}  // namespace dynamo_schema

// OTTS_DYNAMODB_ENDPOINT / DYNAMODB_ENDPOINT, if set.
std::optional<std::string> dynamodb_endpoint(const Settings& settings);

// A DynamoDB client: credentials and region by aws::AwsConfig::from_settings (key_error when
// missing), endpoint `endpoint` if given, else dynamodb_endpoint(), else the regional one.
// `clock` signs the requests and must outlive the client.
Result<std::unique_ptr<aws::AwsClient>> make_dynamodb_client(const Settings& settings, const Clock& clock,
                                                             const std::optional<std::string>& endpoint = {});

struct TableReport {
    std::string name;
    std::string key;
    std::string ttl_attribute;
    bool created = false;    // false: it existed already
    std::string status;      // TableStatus at the end ("ACTIVE")
    std::string ttl_status;  // "ENABLED", "ENABLING", or "unsupported" (the endpoint has no TTL API)
};

struct CreateTablesOptions {
    std::chrono::milliseconds poll_interval{200};
    std::chrono::milliseconds timeout{120'000};  // per table, until ACTIVE
};

// Creates the six tables (PAY_PER_REQUEST, hash key only), waits until each is ACTIVE and turns
// on its TTL. Idempotent: an existing table with the expected key is fine, and TTL already on
// the expected attribute is left alone. store_error when a table exists with another key, its
// TTL is on another attribute, it does not become ACTIVE within the timeout, or AWS refuses.
Result<std::vector<TableReport>> create_tables(aws::AwsClient& client, const DynamoTables& tables,
                                               const CreateTablesOptions& options = {});

}  // namespace otts
