#include "adapters/dynamodb/dynamodb_pin_store.hpp"

#include "adapters/dynamodb/dynamodb_tables.hpp"
#include "core/pins/pin_verdict.hpp"

namespace otts {
namespace {

using dynamodb::Json;
using dynamodb::num;
using dynamodb::str;

Json item_of(const PinRow& row) {
    return Json{{dynamo_schema::k_pin_key, str(row.email)},
                {"pin_hash", str(row.pin_hash)},
                {"license_key_hash", str(row.license_key_hash)},
                {"pin_id", str(row.pin_id)},
                {"created_at", num(row.created_at)},
                {"expires_at", num(row.expires_at)},
                {"attempts", num(row.attempts)}};
}

Result<PinRow> row_of(const Json& item) {
    PinRow row;
    OTTS_TRY(row.email, dynamodb::need_str(item, dynamo_schema::k_pin_key));
    OTTS_TRY(row.pin_hash, dynamodb::need_str(item, "pin_hash"));
    OTTS_TRY(row.license_key_hash, dynamodb::need_str(item, "license_key_hash"));
    OTTS_TRY(row.pin_id, dynamodb::need_str(item, "pin_id"));
    OTTS_TRY(row.created_at, dynamodb::need_num(item, "created_at"));
    OTTS_TRY(row.expires_at, dynamodb::need_num(item, "expires_at"));
    OTTS_TRY(const auto attempts, dynamodb::get_num(item, "attempts"));
    row.attempts = static_cast<int>(attempts.value_or(0));
    return row;
}

Json email_key(const std::string& email) { return Json{{dynamo_schema::k_pin_key, str(email)}}; }

}  // namespace

DynamoPinStore::DynamoPinStore(aws::AwsClient& client, std::string table)
    : m_table(client, std::move(table), dynamo_schema::k_pin_key) {}

// The row a failed condition saw: from the answer when the endpoint returned it, otherwise
// (dynalite ignores ReturnValuesOnConditionCheckFailure) a consistent read, which only
// explains the refusal and decides nothing.
Result<Json> DynamoPinStore::seen_or_read(const std::string& email, Json seen) const {
    if (!seen.is_null()) return seen;
    return m_table.get(email);
}

Result<PinPut> DynamoPinStore::put_pin(const PinRow& row, UnixSeconds cooldown) {
    Json body = {{"Item", item_of(row)}};
    body["Item"]["attempts"] = num(0);  // a new PIN starts with fresh tries
    if (cooldown > 0) {                 // cooldown 0 always supersedes: no condition at all
        body["ConditionExpression"] = "attribute_not_exists(#k) OR #c <= :cutoff OR #e <= :now";
        body["ExpressionAttributeNames"] = {
            {"#k", dynamo_schema::k_pin_key}, {"#c", "created_at"}, {"#e", "expires_at"}};
        body["ExpressionAttributeValues"] = {{":cutoff", num(row.created_at - cooldown)},
                                             {":now", num(row.created_at)}};
        body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
    }
    OTTS_TRY(auto answer, m_table.write("PutItem", std::move(body)));
    if (!answer.condition_failed) return PinPut{true, std::nullopt};
    OTTS_TRY(const auto seen, seen_or_read(row.email, std::move(answer.item)));
    if (seen.is_null()) return PinPut{false, std::nullopt};  // removed since: still refused
    OTTS_TRY(const auto created_at, dynamodb::get_num(seen, "created_at"));
    return PinPut{false, created_at};
}

// Counts the try first (UpdateItem ADD, only while tries remain and the PIN is live), then
// compares what that same write returned.
Result<PinVerdict> DynamoPinStore::consume_pin(const std::string& email, const std::string& pin_hash,
                                               const std::string& license_key_hash, UnixSeconds now, int max_attempts) {
    const Json body = {
        {"Key", email_key(email)},
        {"UpdateExpression", "ADD #a :one"},
        {"ConditionExpression", "#a < :max AND #e > :now"},
        {"ExpressionAttributeNames", {{"#a", "attempts"}, {"#e", "expires_at"}}},
        {"ExpressionAttributeValues", {{":one", num(1)}, {":max", num(max_attempts)}, {":now", num(now)}}},
        {"ReturnValues", "ALL_NEW"},
        {"ReturnValuesOnConditionCheckFailure", "ALL_OLD"}};
    OTTS_TRY(auto answer, m_table.write("UpdateItem", body));
    if (answer.condition_failed) return classify_uncounted(email, answer.item, now, max_attempts);
    return compare_counted(answer.item.value("Attributes", Json::object()), pin_hash, license_key_hash, max_attempts);
}

Result<PinVerdict> DynamoPinStore::compare_counted(const Json& row, const std::string& pin_hash,
                                                   const std::string& license_key_hash, int max_attempts) {
    OTTS_TRY(const auto counted, row_of(row));
    const auto verdict = counted_try_verdict(counted, pin_hash, license_key_hash, max_attempts);
    if (verdict.outcome != PinOutcome::consumed) return verdict;
    // Deletes the very row that was counted; if it is gone (a racing right guess consumed it)
    // or superseded, there is no PIN left for this caller.
    const Json body = {{"Key", email_key(counted.email)},
                       {"ConditionExpression", "#p = :p AND #h = :h"},
                       {"ExpressionAttributeNames", {{"#p", "pin_id"}, {"#h", "pin_hash"}}},
                       {"ExpressionAttributeValues", {{":p", str(counted.pin_id)}, {":h", str(counted.pin_hash)}}}};
    OTTS_TRY(const auto removed, m_table.write("DeleteItem", body));
    if (removed.condition_failed) return PinVerdict{PinOutcome::not_found, 0};
    return verdict;
}

// No try was counted: the row the refusal saw says whether there was a PIN to try.
Result<PinVerdict> DynamoPinStore::classify_uncounted(const std::string& email, const Json& seen, UnixSeconds now,
                                                      int max_attempts) {
    OTTS_TRY(const auto item, seen_or_read(email, seen));
    std::optional<PinRow> row;
    if (!item.is_null()) {
        OTTS_TRY(row, row_of(item));
    }
    return uncounted_try_verdict(row, now, max_attempts);
}

Result<std::optional<PinRow>> DynamoPinStore::get_pin(const std::string& email, UnixSeconds now) {
    OTTS_TRY(const auto item, m_table.get(email));
    if (item.is_null()) return std::optional<PinRow>();
    OTTS_TRY(auto row, row_of(item));
    if (row.expires_at <= now) return std::optional<PinRow>();
    return std::optional<PinRow>(std::move(row));
}

Result<std::int64_t> DynamoPinStore::sweep_pins(UnixSeconds now) {
    return m_table.delete_up_to(dynamo_schema::k_pin_ttl, now);
}

}  // namespace otts
