#pragma once
// Calls on one DynamoDB table, shared by the DynamoDB adapters (store, PIN store, outbox):
// attribute-value helpers, the error mapping (every AWS error becomes store_error, a missing
// table with a hint to run `otts dynamodb create-tables`), paginated scans and the deletes
// behind sweep and reset. Internal to adapters/dynamodb/.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/aws/aws_client.hpp"
#include "core/result.hpp"

namespace otts::dynamodb {

using Json = nlohmann::json;

// Attribute values in DynamoDB's JSON: {"S": "..."} and {"N": "123"}.
Json str(std::string_view value);
Json num(std::int64_t value);

// Reads attribute `name` of `item` (an attribute map). Absent → nullopt; present with the
// wrong type or a malformed number → store_error.
Result<std::optional<std::string>> get_str(const Json& item, std::string_view name);
Result<std::optional<std::int64_t>> get_num(const Json& item, std::string_view name);
// The same, for attributes every row of the table has: absent → store_error.
Result<std::string> need_str(const Json& item, std::string_view name);
Result<std::int64_t> need_num(const Json& item, std::string_view name);

// What a conditional write said: done, or its ConditionExpression did not hold. `item` is the
// row the condition saw when DynamoDB returned it (ReturnValuesOnConditionCheckFailure or
// ReturnValues), else null.
struct WriteAnswer {
    bool condition_failed = false;
    Json item;
};

class Table {
public:
    Table(aws::AwsClient& client, std::string name, std::string key)
        : m_client(client), m_name(std::move(name)), m_key(std::move(key)) {}

    const std::string& name() const { return m_name; }
    const std::string& key() const { return m_key; }

    // DynamoDB_20120810.<op> with TableName filled in. Any AWS error or missing answer is a
    // store_error naming the table and the operation.
    Result<Json> call(std::string_view op, Json body) const;
    // The same for a conditional write: ConditionalCheckFailedException is an outcome.
    Result<WriteAnswer> write(std::string_view op, Json body) const;

    // The row with key `id` read strongly consistent, or null.
    Result<Json> get(const std::string& id) const;
    // Every row that `filter` (a Scan's FilterExpression with its names and values, or null
    // for all rows) selects, strongly consistent, following LastEvaluatedKey.
    Result<std::vector<Json>> scan(const Json& filter) const;

    // Deletes, one conditional DeleteItem each, the rows whose numeric attribute `attribute` is
    // <= bound; a row rewritten since the scan with a later value is kept. Returns the count.
    Result<std::int64_t> delete_up_to(std::string_view attribute, std::int64_t bound) const;
    // Deletes every row (BatchWriteItem, 25 keys a call); returns the count.
    Result<std::int64_t> delete_all() const;

private:
    Result<void> batch_delete(std::vector<Json> keys) const;

    aws::AwsClient& m_client;
    std::string m_name;
    std::string m_key;
};

}  // namespace otts::dynamodb
