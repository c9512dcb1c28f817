#include "adapters/dynamodb/dynamodb_session_store.hpp"

#include "adapters/dynamodb/dynamodb_tables.hpp"

namespace otts {
namespace {

using dynamo_schema::k_session_key;
using dynamo_schema::k_session_ttl;
using dynamodb::Json;
using dynamodb::num;
using dynamodb::str;

Json session_key(const std::string& id) { return Json{{k_session_key, str(id)}}; }

Result<SessionRecord> record_of(const Json& item) {
    SessionRecord record;
    OTTS_TRY(record.id, dynamodb::need_str(item, k_session_key));
    OTTS_TRY(record.data, dynamodb::need_str(item, "data"));
    OTTS_TRY(record.created_at, dynamodb::need_num(item, "created_at"));
    OTTS_TRY(record.expires_at, dynamodb::need_num(item, k_session_ttl));
    return record;
}

}  // namespace

DynamoSessionStore::DynamoSessionStore(aws::AwsClient& client, std::string table)
    : m_table(client, std::move(table), k_session_key) {}

Result<std::optional<SessionRecord>> DynamoSessionStore::get_session(const std::string& id, UnixSeconds now) {
    OTTS_TRY(const auto item, m_table.get(id));
    if (item.is_null()) return std::optional<SessionRecord>();
    OTTS_TRY(auto record, record_of(item));
    if (record.expires_at <= now) return std::optional<SessionRecord>();
    return std::optional<SessionRecord>(std::move(record));
}

// `data` and `ttl` are DynamoDB reserved words, hence the names.
Result<void> DynamoSessionStore::put_session(const SessionRecord& record) {
    const Json body = {
        {"Key", session_key(record.id)},
        {"UpdateExpression",
         "SET #data = :data, created_at = if_not_exists(created_at, :c), #ttl = if_not_exists(#ttl, :t)"},
        {"ExpressionAttributeNames", {{"#data", "data"}, {"#ttl", k_session_ttl}}},
        {"ExpressionAttributeValues",
         {{":data", str(record.data)}, {":c", num(record.created_at)}, {":t", num(record.expires_at)}}}};
    OTTS_TRY_VOID(m_table.call("UpdateItem", body));
    return Ok{};
}

Result<void> DynamoSessionStore::delete_session(const std::string& id) {
    OTTS_TRY_VOID(m_table.call("DeleteItem", {{"Key", session_key(id)}}));
    return Ok{};
}

Result<std::int64_t> DynamoSessionStore::sweep_sessions(UnixSeconds now) {
    return m_table.delete_up_to(k_session_ttl, now);
}

}  // namespace otts
