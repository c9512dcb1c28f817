#include "adapters/dynamodb/dynamodb_tables.hpp"

#include <thread>

#include <nlohmann/json.hpp>

namespace otts {
namespace {

using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

struct TableSpec {
    const std::string& name;
    const char* key;
    const char* ttl;
};

// One table-management call. Only a missing answer is an error here: what an AWS error type
// means (ResourceInUseException when creating is fine) is for the caller to say.
Result<aws::AwsResponse> manage(aws::AwsClient& client, const std::string& op, Json body) {
    auto answer = client.call_target("DynamoDB_20120810." + op, body);
    // Keeps the client's code (endpoint_unreachable): for the CLI that says more than store_error.
    if (!answer)
        return make_error(answer.error().code,
                          "DynamoDB " + op + " at " + client.endpoint() + ": " + answer.error().message());
    return std::move(answer).value();
}

Error refused(const std::string& op, const std::string& table, const aws::AwsResponse& answer) {
    std::string detail = "DynamoDB " + op + " on table '" + table + "' failed: " +
                         (answer.error_type.empty() ? "HTTP " + std::to_string(answer.status) : answer.error_type);
    if (!answer.error_message.empty()) detail += ": " + answer.error_message;
    return make_error(ErrorCode::store_error, std::move(detail));
}

// True when this call created the table, false when it existed.
Result<bool> create(aws::AwsClient& client, const TableSpec& spec) {
    const Json body = {{"TableName", spec.name},
                       {"AttributeDefinitions", {{{"AttributeName", spec.key}, {"AttributeType", "S"}}}},
                       {"KeySchema", {{{"AttributeName", spec.key}, {"KeyType", "HASH"}}}},
                       {"BillingMode", "PAY_PER_REQUEST"}};
    OTTS_TRY(const auto answer, manage(client, "CreateTable", body));
    if (answer.ok()) return true;
    if (answer.error_type == "ResourceInUseException") return false;
    return refused("CreateTable", spec.name, answer);
}

// The table's hash key must be the one the adapters write, or every call would fail later.
Result<void> check_key(const TableSpec& spec, const Json& table) {
    for (const auto& element : table.value("KeySchema", Json::array())) {
        if (element.value("KeyType", "") != "HASH") continue;
        const auto found = element.value("AttributeName", "");
        if (found == spec.key) return Ok{};
        return make_error(ErrorCode::store_error, "DynamoDB table '" + spec.name + "' exists with key '" + found +
                                                      "'; otts needs key '" + spec.key + "'");
    }
    return make_error(ErrorCode::store_error, "DynamoDB table '" + spec.name + "' has no hash key");
}

// Polls DescribeTable until ACTIVE. A table just created may not be visible yet
// (ResourceNotFoundException) on AWS, so that answer means "not yet" too.
Result<std::string> wait_active(aws::AwsClient& client, const TableSpec& spec, const CreateTablesOptions& options) {
    const auto deadline = SteadyClock::now() + options.timeout;
    std::string status = "unknown";
    for (;;) {
        OTTS_TRY(const auto answer, manage(client, "DescribeTable", {{"TableName", spec.name}}));
        if (answer.ok()) {
            const auto& table = answer.body.at("Table");
            OTTS_TRY_VOID(check_key(spec, table));
            status = table.value("TableStatus", "unknown");
            if (status == "ACTIVE") return status;
        } else if (answer.error_type != "ResourceNotFoundException") {
            return refused("DescribeTable", spec.name, answer);
        }
        if (SteadyClock::now() >= deadline)
            return make_error(ErrorCode::store_error,
                              "DynamoDB table '" + spec.name + "' is still " + status + " after waiting");
        std::this_thread::sleep_for(options.poll_interval);
    }
}

// Turns TTL on unless it is on already. Endpoints without the TTL API (dynalite) answer
// UnknownOperationException: that is reported, not failed, since otts sweeps expired rows itself.
Result<std::string> enable_ttl(aws::AwsClient& client, const TableSpec& spec) {
    OTTS_TRY(const auto described, manage(client, "DescribeTimeToLive", {{"TableName", spec.name}}));
    if (described.error_type == "UnknownOperationException") return std::string("unsupported");
    if (!described.ok()) return refused("DescribeTimeToLive", spec.name, described);
    const auto description = described.body.value("TimeToLiveDescription", Json::object());
    const auto status = description.value("TimeToLiveStatus", "DISABLED");
    if (status == "ENABLED" || status == "ENABLING") {
        const auto attribute = description.value("AttributeName", "");
        if (attribute == spec.ttl) return status;
        return make_error(ErrorCode::store_error, "DynamoDB table '" + spec.name + "' has TTL on '" + attribute +
                                                      "'; otts writes expiry to '" + spec.ttl + "'");
    }
    const Json body = {{"TableName", spec.name},
                       {"TimeToLiveSpecification", {{"Enabled", true}, {"AttributeName", spec.ttl}}}};
    OTTS_TRY(const auto updated, manage(client, "UpdateTimeToLive", body));
    if (updated.error_type == "UnknownOperationException") return std::string("unsupported");
    if (!updated.ok()) return refused("UpdateTimeToLive", spec.name, updated);
    return std::string("ENABLED");
}

Result<TableReport> ensure(aws::AwsClient& client, const TableSpec& spec, const CreateTablesOptions& options) {
    TableReport report;
    report.name = spec.name;
    report.key = spec.key;
    report.ttl_attribute = spec.ttl;
    OTTS_TRY(report.created, create(client, spec));
    OTTS_TRY(report.status, wait_active(client, spec, options));
    OTTS_TRY(report.ttl_status, enable_ttl(client, spec));
    return report;
}

}  // namespace

DynamoTables DynamoTables::from_settings(const Settings& settings) {
    DynamoTables tables;
    tables.tokens = settings.get({"OTTS_TOKEN_TABLE", "TOKEN_TABLE"}).value_or(tables.tokens);
    tables.pins = settings.get({"OTTS_PINS_TABLE", "PINS_TABLE"}).value_or(tables.pins);
    tables.outbox = settings.get("OTTS_OUTBOX_TABLE").value_or(tables.outbox);
    tables.connections = settings.get({"OTTS_CONNECTIONS_TABLE", "CONNECTIONS_TABLE"}).value_or(tables.connections);
    tables.sessions = settings.get({"OTTS_SESSIONS_TABLE", "DYNAMODB_TABLE"}).value_or(tables.sessions);
    tables.secrets = settings.get({"OTTS_SECRETS_TABLE", "SECRETS_TABLE"}).value_or(tables.secrets);
    return tables;
}

DynamoTables DynamoTables::with_prefix(const std::string& prefix) const {
    return DynamoTables{prefix + tokens,      prefix + pins,     prefix + outbox,
                        prefix + connections, prefix + sessions, prefix + secrets};
}

std::optional<std::string> dynamodb_endpoint(const Settings& settings) {
    return settings.get({"OTTS_DYNAMODB_ENDPOINT", "DYNAMODB_ENDPOINT"});
}

Result<std::unique_ptr<aws::AwsClient>> make_dynamodb_client(const Settings& settings, const Clock& clock,
                                                             const std::optional<std::string>& endpoint) {
    OTTS_TRY(auto config, aws::AwsConfig::from_settings(settings));
    auto url = endpoint ? endpoint : dynamodb_endpoint(settings);
    if (!url) url = aws::AwsClient::default_endpoint("dynamodb", config.region);
    return std::make_unique<aws::AwsClient>(std::move(config), "dynamodb", *url, clock);
}

Result<std::vector<TableReport>> create_tables(aws::AwsClient& client, const DynamoTables& tables,
                                               const CreateTablesOptions& options) {
    using namespace dynamo_schema;
    const TableSpec specs[] = {
        {tables.tokens, k_token_key, k_token_ttl},       {tables.pins, k_pin_key, k_pin_ttl},
        {tables.outbox, k_outbox_key, k_outbox_ttl},     {tables.connections, k_connection_key, k_connection_ttl},
        {tables.sessions, k_session_key, k_session_ttl}, {tables.secrets, k_secret_key, k_secret_ttl}};
    std::vector<TableReport> reports;
    for (const auto& spec : specs) {
        OTTS_TRY(auto report, ensure(client, spec, options));
        reports.push_back(std::move(report));
    }
    return reports;
}

}  // namespace otts
