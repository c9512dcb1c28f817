#include "adapters/dynamodb/dynamodb_outbox.hpp"

#include <algorithm>
#include <chrono>
#include <tuple>

#include "adapters/dynamodb/dynamodb_tables.hpp"

namespace otts {
namespace {

using dynamodb::Json;
using dynamodb::num;
using dynamodb::str;

// Ties within one second are broken by arrival; the clock only orders, it decides nothing.
std::int64_t arrival_ns() {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
}

struct Stored {
    Mail mail;
    std::int64_t added_ns = 0;
};

Result<Stored> stored_of(const Json& item) {
    Stored out;
    Mail& mail = out.mail;
    OTTS_TRY(mail.id, dynamodb::need_str(item, dynamo_schema::k_outbox_key));
    OTTS_TRY(mail.to, dynamodb::need_str(item, "to"));
    OTTS_TRY(mail.subject, dynamodb::need_str(item, "subject"));
    OTTS_TRY(mail.text, dynamodb::need_str(item, "text"));
    OTTS_TRY(mail.html, dynamodb::get_str(item, "html"));
    OTTS_TRY(mail.sent_at, dynamodb::need_num(item, "sent_at"));
    OTTS_TRY(const auto added, dynamodb::get_num(item, "added_ns"));
    out.added_ns = added.value_or(0);
    return out;
}

}  // namespace

DynamoOutbox::DynamoOutbox(aws::AwsClient& client, std::string table, UnixSeconds retention)
    : m_table(client, std::move(table), dynamo_schema::k_outbox_key), m_retention(retention) {}

Result<void> DynamoOutbox::add(const Mail& mail) {
    Json item = {{dynamo_schema::k_outbox_key, str(mail.id)},
                 {"to", str(mail.to)},
                 {"subject", str(mail.subject)},
                 {"text", str(mail.text)},
                 {"sent_at", num(mail.sent_at)},
                 {dynamo_schema::k_outbox_ttl, num(mail.sent_at + m_retention)},
                 {"added_ns", num(arrival_ns())}};
    if (mail.html) item["html"] = str(*mail.html);
    OTTS_TRY(const auto answer, m_table.write("PutItem", {{"Item", item},
                                                          {"ConditionExpression", "attribute_not_exists(#k)"},
                                                          {"ExpressionAttributeNames", {{"#k", m_table.key()}}}}));
    if (answer.condition_failed) return make_error(ErrorCode::store_error, "mail id already in the outbox");
    return Ok{};
}

Result<std::vector<Mail>> DynamoOutbox::list(const std::optional<std::string>& to) {
    Json filter;
    if (to) {
        filter = {{"FilterExpression", "#t = :t"},
                  {"ExpressionAttributeNames", {{"#t", "to"}}},
                  {"ExpressionAttributeValues", {{":t", str(*to)}}}};
    }
    OTTS_TRY(const auto items, m_table.scan(filter));
    std::vector<Stored> stored;
    for (const auto& item : items) {
        OTTS_TRY(auto one, stored_of(item));
        stored.push_back(std::move(one));
    }
    std::sort(stored.begin(), stored.end(), [](const Stored& a, const Stored& b) {
        return std::tie(a.mail.sent_at, a.added_ns, a.mail.id) < std::tie(b.mail.sent_at, b.added_ns, b.mail.id);
    });
    std::vector<Mail> mails;
    for (auto& one : stored) mails.push_back(std::move(one.mail));
    return mails;
}

Result<std::optional<Mail>> DynamoOutbox::get(const std::string& id) {
    OTTS_TRY(const auto item, m_table.get(id));
    if (item.is_null()) return std::optional<Mail>();
    OTTS_TRY(auto stored, stored_of(item));
    return std::optional<Mail>(std::move(stored.mail));
}

Result<bool> DynamoOutbox::remove(const std::string& id) {
    OTTS_TRY(const auto answer,
             m_table.call("DeleteItem", {{"Key", {{m_table.key(), str(id)}}}, {"ReturnValues", "ALL_OLD"}}));
    return answer.is_object() && answer.contains("Attributes");
}

Result<std::int64_t> DynamoOutbox::clear() { return m_table.delete_all(); }

Result<std::int64_t> DynamoOutbox::sweep_mail(UnixSeconds now) {
    return m_table.delete_up_to(dynamo_schema::k_outbox_ttl, now);
}

}  // namespace otts
