#include "adapters/dynamodb/dynamodb_connection_store.hpp"

#include <algorithm>

namespace otts {
namespace {

using dynamodb::Json;
using dynamodb::num;
using dynamodb::str;

Json item_of(const ConnectionInfo& info) {
    Json item = {{dynamo_schema::k_connection_key, str(info.id)},
                 {"connectedAt", num(info.connected_at)},
                 {"lastActiveAt", num(info.last_active_at)},
                 {"sourceIp", str(info.source_ip)},
                 {"userAgent", str(info.user_agent)},
                 {"owner", str(info.owner)},
                 {dynamo_schema::k_connection_ttl, num(info.connected_at + DynamoConnectionStore::k_record_lifetime)}};
    if (info.user_id) item["userId"] = str(*info.user_id);
    if (!info.queue_ids.empty()) item["queueIds"] = {{"SS", info.queue_ids}};
    return item;
}

Result<ConnectionInfo> info_of(const Json& item) {
    ConnectionInfo info;
    OTTS_TRY(info.id, dynamodb::need_str(item, dynamo_schema::k_connection_key));
    OTTS_TRY(info.user_id, dynamodb::get_str(item, "userId"));
    OTTS_TRY(info.connected_at, dynamodb::need_num(item, "connectedAt"));
    OTTS_TRY(const auto last_active, dynamodb::get_num(item, "lastActiveAt"));
    info.last_active_at = last_active.value_or(info.connected_at);
    OTTS_TRY(const auto source_ip, dynamodb::get_str(item, "sourceIp"));
    OTTS_TRY(const auto user_agent, dynamodb::get_str(item, "userAgent"));
    OTTS_TRY(const auto owner, dynamodb::get_str(item, "owner"));
    info.source_ip = source_ip.value_or("");
    info.user_agent = user_agent.value_or("");
    info.owner = owner.value_or("");
    if (auto queues = item.find("queueIds"); queues != item.end()) {
        const auto set = queues->find("SS");
        if (set == queues->end() || !set->is_array())
            return make_error(ErrorCode::store_error, "queueIds is not a string set");
        for (const auto& queue : *set) {
            if (!queue.is_string()) return make_error(ErrorCode::store_error, "queueIds holds a non-string");
            info.queue_ids.insert(queue.get<std::string>());
        }
    }
    return info;
}

}  // namespace

DynamoConnectionStore::DynamoConnectionStore(std::unique_ptr<aws::AwsClient> client, std::string table)
    : m_client(std::move(client)), m_table(*m_client, std::move(table), dynamo_schema::k_connection_key) {}

Result<std::unique_ptr<DynamoConnectionStore>> DynamoConnectionStore::open(std::unique_ptr<aws::AwsClient> client,
                                                                           std::string table, TableCheck check) {
    std::unique_ptr<DynamoConnectionStore> store(new DynamoConnectionStore(std::move(client), std::move(table)));
    if (check == TableCheck::at_open) {
        OTTS_TRY_VOID(store->m_table.call("DescribeTable", Json::object()));  // fail at start-up, naming it
    }
    return store;
}

Result<std::unique_ptr<DynamoConnectionStore>> DynamoConnectionStore::from_settings(const Settings& settings,
                                                                                    const Clock& clock,
                                                                                    TableCheck check) {
    OTTS_TRY(auto client, make_dynamodb_client(settings, clock));
    return open(std::move(client), DynamoTables::from_settings(settings).connections, check);
}

Result<void> DynamoConnectionStore::put_connection(const ConnectionInfo& info) {
    OTTS_TRY_VOID(m_table.call("PutItem", {{"Item", item_of(info)}}));
    return Ok{};
}

Result<std::optional<ConnectionInfo>> DynamoConnectionStore::get_connection(const std::string& id) {
    OTTS_TRY(const auto item, m_table.get(id));
    if (item.is_null()) return std::optional<ConnectionInfo>();
    OTTS_TRY(auto info, info_of(item));
    return std::optional<ConnectionInfo>(std::move(info));
}

Result<bool> DynamoConnectionStore::delete_connection(const std::string& id) {
    OTTS_TRY(const auto answer,
             m_table.call("DeleteItem", {{"Key", {{m_table.key(), str(id)}}}, {"ReturnValues", "ALL_OLD"}}));
    return answer.is_object() && answer.contains("Attributes");
}

Result<std::vector<ConnectionInfo>> DynamoConnectionStore::list_connections() {
    OTTS_TRY(const auto items, m_table.scan(Json()));
    std::vector<ConnectionInfo> out;
    for (const auto& item : items) {
        OTTS_TRY(auto info, info_of(item));
        out.push_back(std::move(info));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

Result<bool> DynamoConnectionStore::change_subscription(const std::string& id, const SubscriptionChange& change) {
    OTTS_TRY(const auto answer,
             m_table.write("UpdateItem", {{"Key", {{m_table.key(), str(id)}}},
                                          {"UpdateExpression", change.subscribe ? "ADD #q :q" : "DELETE #q :q"},
                                          {"ConditionExpression", "attribute_exists(#k)"},
                                          {"ExpressionAttributeNames", {{"#q", "queueIds"}, {"#k", m_table.key()}}},
                                          {"ExpressionAttributeValues", {{":q", {{"SS", {change.queue_id}}}}}}}));
    return !answer.condition_failed;
}

Result<std::vector<std::string>> DynamoConnectionStore::subscribers(const std::string& queue_id) {
    OTTS_TRY(const auto items, m_table.scan({{"FilterExpression", "contains(#q, :q)"},
                                             {"ProjectionExpression", "#k"},
                                             {"ExpressionAttributeNames", {{"#q", "queueIds"}, {"#k", m_table.key()}}},
                                             {"ExpressionAttributeValues", {{":q", str(queue_id)}}}}));
    std::vector<std::string> out;
    for (const auto& item : items) {
        OTTS_TRY(auto id, dynamodb::need_str(item, m_table.key()));
        out.push_back(std::move(id));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace otts
