#include "adapters/dynamodb/dynamodb_secret_store.hpp"

#include "adapters/dynamodb/dynamodb_tables.hpp"

namespace otts {
namespace {

using dynamo_schema::k_secret_key;
using dynamo_schema::k_secret_ttl;
using dynamodb::Json;
using dynamodb::num;
using dynamodb::str;

Json secret_key(const std::string& id) { return Json{{k_secret_key, str(id)}}; }

Result<SecretRecord> secret_of(const Json& item) {
    SecretRecord r;
    OTTS_TRY(r.id, dynamodb::need_str(item, k_secret_key));
    OTTS_TRY(r.ciphertext, dynamodb::need_str(item, "ciphertext"));
    OTTS_TRY(r.iv, dynamodb::need_str(item, "iv"));
    OTTS_TRY(r.salt, dynamodb::get_str(item, "salt"));
    const auto flag = item.find("passphraseProtected");
    if (flag == item.end() || !flag->contains("BOOL") || !(*flag)["BOOL"].is_boolean()) {
        return make_error(ErrorCode::store_error, "secret item without a BOOL passphraseProtected");
    }
    r.passphrase_protected = (*flag)["BOOL"].get<bool>();
    OTTS_TRY(const auto views, dynamodb::need_num(item, "remainingViews"));
    r.remaining_views = static_cast<int>(views);
    OTTS_TRY(r.burn_token, dynamodb::need_str(item, "burnToken"));
    OTTS_TRY(r.created_at, dynamodb::need_num(item, "createdAt"));
    OTTS_TRY(r.expires_at, dynamodb::need_num(item, k_secret_ttl));
    OTTS_TRY(r.last_access_at, dynamodb::get_num(item, "lastAccessAt"));
    OTTS_TRY(r.last_access_token, dynamodb::get_str(item, "lastAccessToken"));
    return r;
}

}  // namespace

DynamoSecretStore::DynamoSecretStore(aws::AwsClient& client, std::string table)
    : m_table(client, std::move(table), k_secret_key) {}

Result<void> DynamoSecretStore::put_secret(const SecretRecord& r) {
    Json item = secret_key(r.id);
    item["ciphertext"] = str(r.ciphertext);
    item["iv"] = str(r.iv);
    if (r.salt) item["salt"] = str(*r.salt);  // sealed.fyi omits a null salt
    item["passphraseProtected"] = Json{{"BOOL", r.passphrase_protected}};
    item["remainingViews"] = num(r.remaining_views);
    item["burnToken"] = str(r.burn_token);
    item["createdAt"] = num(r.created_at);
    item[k_secret_ttl] = num(r.expires_at);
    OTTS_TRY(const auto answer, m_table.write("PutItem", {{"Item", std::move(item)},
                                                          {"ConditionExpression", "attribute_not_exists(#k)"},
                                                          {"ExpressionAttributeNames", {{"#k", k_secret_key}}}}));
    if (answer.condition_failed) return make_error(ErrorCode::store_error, "secret id already exists");
    return Ok{};
}

Result<std::optional<SecretRecord>> DynamoSecretStore::take_view(const std::string& id, const std::string& access_token,
                                                                 UnixSeconds now) {
    const Json body = {{"Key", secret_key(id)},
                       {"UpdateExpression", "SET #r = #r - :one, #la = :now, #lt = :token"},
                       {"ConditionExpression", "attribute_exists(#k) AND #r > :zero AND #e > :now"},
                       {"ExpressionAttributeNames",
                        {{"#k", k_secret_key},
                         {"#r", "remainingViews"},
                         {"#la", "lastAccessAt"},
                         {"#lt", "lastAccessToken"},
                         {"#e", k_secret_ttl}}},
                       {"ExpressionAttributeValues",
                        {{":one", num(1)}, {":zero", num(0)}, {":now", num(now)}, {":token", str(access_token)}}},
                       {"ReturnValues", "ALL_NEW"}};
    OTTS_TRY(const auto answer, m_table.write("UpdateItem", body));
    if (answer.condition_failed) return std::optional<SecretRecord>();
    if (!answer.item.contains("Attributes")) return make_error(ErrorCode::store_error, "UpdateItem returned no item");
    OTTS_TRY(auto record, secret_of(answer.item["Attributes"]));
    return std::optional<SecretRecord>(std::move(record));
}

Result<std::optional<SecretRecord>> DynamoSecretStore::get_secret(const std::string& id, UnixSeconds now) {
    OTTS_TRY(const auto item, m_table.get(id));
    if (item.is_null()) return std::optional<SecretRecord>();
    OTTS_TRY(auto record, secret_of(item));
    if (record.expires_at <= now) return std::optional<SecretRecord>();
    return std::optional<SecretRecord>(std::move(record));
}

Result<void> DynamoSecretStore::delete_secret(const std::string& id, const std::string& burn_token) {
    // A failed condition (another burn token, or no row) deletes nothing, as sealed.fyi ignores it.
    OTTS_TRY_VOID(m_table.write("DeleteItem", {{"Key", secret_key(id)},
                                               {"ConditionExpression", "#b = :b"},
                                               {"ExpressionAttributeNames", {{"#b", "burnToken"}}},
                                               {"ExpressionAttributeValues", {{":b", str(burn_token)}}}}));
    return Ok{};
}

// Expired rows, and used-up rows whose last view's re-read window has passed; each delete is
// conditional on the same test, so a row rewritten since the scan is kept.
Result<std::int64_t> DynamoSecretStore::sweep_secrets(UnixSeconds now) {
    const std::string condition = "#e <= :now OR (#r <= :zero AND #la <= :bound)";
    const Json names = {{"#e", k_secret_ttl}, {"#r", "remainingViews"}, {"#la", "lastAccessAt"}};
    const Json values = {{":now", num(now)}, {":zero", num(0)}, {":bound", num(now - k_access_window)}};
    Json scan_names = names;
    scan_names["#k"] = k_secret_key;
    OTTS_TRY(const auto rows, m_table.scan({{"FilterExpression", condition},
                                            {"ProjectionExpression", "#k"},
                                            {"ExpressionAttributeNames", scan_names},
                                            {"ExpressionAttributeValues", values}}));
    std::int64_t deleted = 0;
    for (const auto& row : rows) {
        OTTS_TRY(const auto answer, m_table.write("DeleteItem", {{"Key", {{k_secret_key, row.at(k_secret_key)}}},
                                                                 {"ConditionExpression", condition},
                                                                 {"ExpressionAttributeNames", names},
                                                                 {"ExpressionAttributeValues", values}}));
        if (!answer.condition_failed) ++deleted;
    }
    return deleted;
}

}  // namespace otts
