#include "adapters/dynamodb/dynamodb_table.hpp"

#include <charconv>
#include <chrono>
#include <thread>

namespace otts::dynamodb {
namespace {

constexpr std::size_t k_batch_size = 25;  // BatchWriteItem's limit
constexpr int k_batch_rounds = 8;         // UnprocessedItems retries before giving up

Error bad_attribute(std::string_view name, std::string_view why) {
    return make_error(ErrorCode::store_error, "DynamoDB attribute '" + std::string(name) + "' " + std::string(why));
}

// The value of a typed attribute ("S", "N"), or null when absent.
Result<const Json*> typed(const Json& item, std::string_view name, const char* type) {
    if (!item.is_object()) return static_cast<const Json*>(nullptr);
    const auto it = item.find(name);
    if (it == item.end() || it->is_null()) return static_cast<const Json*>(nullptr);
    const auto value = it->find(type);
    if (!it->is_object() || value == it->end() || !value->is_string())
        return bad_attribute(name, std::string("is not of type ") + type);
    return &*value;
}

Error aws_error(const std::string& table, std::string_view op, const aws::AwsResponse& answer,
                const std::string& endpoint) {
    if (answer.error_type == "ResourceNotFoundException")
        return make_error(ErrorCode::store_error, "DynamoDB table '" + table + "' does not exist at " + endpoint +
                                                      "; create it with `otts dynamodb create-tables`");
    const std::string type = answer.error_type.empty() ? "HTTP " + std::to_string(answer.status) : answer.error_type;
    std::string detail = "DynamoDB " + std::string(op) + " on table '" + table + "' failed: " + type;
    if (!answer.error_message.empty()) detail += ": " + answer.error_message;
    return make_error(ErrorCode::store_error, std::move(detail));
}

}  // namespace

Json str(std::string_view value) { return Json{{"S", value}}; }
Json num(std::int64_t value) { return Json{{"N", std::to_string(value)}}; }

Result<std::optional<std::string>> get_str(const Json& item, std::string_view name) {
    OTTS_TRY(const Json* value, typed(item, name, "S"));
    if (!value) return std::optional<std::string>();
    return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<std::int64_t>> get_num(const Json& item, std::string_view name) {
    OTTS_TRY(const Json* value, typed(item, name, "N"));
    if (!value) return std::optional<std::int64_t>();
    const auto& text = value->get_ref<const std::string&>();
    std::int64_t parsed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec != std::errc() || end != text.data() + text.size()) return bad_attribute(name, "is not an integer");
    return std::optional<std::int64_t>(parsed);
}

Result<std::string> need_str(const Json& item, std::string_view name) {
    OTTS_TRY(auto value, get_str(item, name));
    if (!value) return bad_attribute(name, "is missing");
    return std::move(*value);
}

Result<std::int64_t> need_num(const Json& item, std::string_view name) {
    OTTS_TRY(auto value, get_num(item, name));
    if (!value) return bad_attribute(name, "is missing");
    return *value;
}

Result<Json> Table::call(std::string_view op, Json body) const {
    OTTS_TRY(auto answer, write(op, std::move(body)));
    if (answer.condition_failed)  // only reached by a conditional write sent through call()
        return make_error(ErrorCode::store_error, "DynamoDB " + std::string(op) + " on table '" + m_name +
                                                      "': unexpected ConditionalCheckFailedException");
    return std::move(answer.item);
}

Result<WriteAnswer> Table::write(std::string_view op, Json body) const {
    if (!body.contains("RequestItems")) body["TableName"] = m_name;
    auto answer = m_client.call_target("DynamoDB_20120810." + std::string(op), body);
    if (!answer)
        return make_error(ErrorCode::store_error,
                          "DynamoDB " + std::string(op) + " on table '" + m_name + "': " + answer.error().message());
    if (answer->ok()) return WriteAnswer{false, std::move(answer->body)};
    if (answer->error_type != "ConditionalCheckFailedException")
        return aws_error(m_name, op, *answer, m_client.endpoint());
    Json item;
    if (answer->body.is_object() && answer->body.contains("Item")) item = std::move(answer->body["Item"]);
    return WriteAnswer{true, std::move(item)};
}

Result<Json> Table::get(const std::string& id) const {
    OTTS_TRY(auto answer, call("GetItem", {{"Key", {{m_key, str(id)}}}, {"ConsistentRead", true}}));
    if (!answer.is_object() || !answer.contains("Item")) return Json();
    return std::move(answer["Item"]);
}

Result<std::vector<Json>> Table::scan(const Json& filter) const {
    Json body = filter.is_null() ? Json::object() : filter;
    body["ConsistentRead"] = true;
    std::vector<Json> rows;
    for (;;) {
        OTTS_TRY(auto page, call("Scan", body));
        for (auto& item : page.value("Items", Json::array())) rows.push_back(std::move(item));
        if (!page.contains("LastEvaluatedKey")) return rows;
        body["ExclusiveStartKey"] = std::move(page["LastEvaluatedKey"]);
    }
}

// The condition is repeated on each delete because a scan is no decision: between it and the
// delete, record_once may have replaced an expired row with a live one.
Result<std::int64_t> Table::delete_up_to(std::string_view attribute, std::int64_t bound) const {
    const Json names = {{"#a", attribute}};
    const Json values = {{":b", num(bound)}};
    OTTS_TRY(const auto rows, scan({{"FilterExpression", "#a <= :b"},
                                    {"ProjectionExpression", "#k"},
                                    {"ExpressionAttributeNames", {{"#a", attribute}, {"#k", m_key}}},
                                    {"ExpressionAttributeValues", values}}));
    std::int64_t deleted = 0;
    for (const auto& row : rows) {
        OTTS_TRY(const auto answer, write("DeleteItem", {{"Key", {{m_key, row.at(m_key)}}},
                                                         {"ConditionExpression", "#a <= :b"},
                                                         {"ExpressionAttributeNames", names},
                                                         {"ExpressionAttributeValues", values}}));
        if (!answer.condition_failed) ++deleted;
    }
    return deleted;
}

Result<std::int64_t> Table::delete_all() const {
    OTTS_TRY(const auto rows, scan({{"ProjectionExpression", "#k"}, {"ExpressionAttributeNames", {{"#k", m_key}}}}));
    for (std::size_t i = 0; i < rows.size(); i += k_batch_size) {
        std::vector<Json> keys;
        for (std::size_t j = i; j < rows.size() && j < i + k_batch_size; ++j) keys.push_back(rows[j]);
        OTTS_TRY_VOID(batch_delete(std::move(keys)));
    }
    return static_cast<std::int64_t>(rows.size());
}

// DynamoDB may hand back part of a batch as UnprocessedItems when busy; those are sent again
// after a short, growing pause.
Result<void> Table::batch_delete(std::vector<Json> keys) const {
    Json requests = Json::array();
    for (auto& key : keys) requests.push_back({{"DeleteRequest", {{"Key", std::move(key)}}}});
    for (int round = 0; round < k_batch_rounds; ++round) {
        OTTS_TRY(auto answer, write("BatchWriteItem", {{"RequestItems", {{m_name, requests}}}}));
        const auto& left = answer.item.value("UnprocessedItems", Json::object());
        if (!left.contains(m_name) || left[m_name].empty()) return Ok{};
        requests = left[m_name];
        std::this_thread::sleep_for(std::chrono::milliseconds(20) * (1 << round));
    }
    return make_error(ErrorCode::store_error, "DynamoDB kept rows of table '" + m_name + "' unprocessed");
}

}  // namespace otts::dynamodb
