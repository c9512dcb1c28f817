#include "adapters/dynamodb/dynamodb_store.hpp"

#include <array>
#include <string_view>

#include "adapters/dynamodb/dynamodb_outbox.hpp"
#include "adapters/dynamodb/dynamodb_pin_store.hpp"
#include "adapters/dynamodb/dynamodb_secret_store.hpp"
#include "adapters/dynamodb/dynamodb_session_store.hpp"

namespace otts {
namespace {

using dynamodb::Json;
using dynamodb::num;
using dynamodb::str;
using namespace dynamo_schema;

constexpr const char* k_consumed_at = "consumed_at";

std::string_view prefix_of(TokenKind kind) {
    switch (kind) {
        case TokenKind::one_time: return "one_time#";
        case TokenKind::create_jti: return "create_jti#";
        case TokenKind::refresh_jti: return "refresh_jti#";
        case TokenKind::idp_code: return "idp_code#";
    }
    return "unknown#";
}

// A one-time id is stored bare only if it cannot be mistaken for a prefixed key.
bool needs_escape(const std::string& id) {
    constexpr std::array kinds = {TokenKind::one_time, TokenKind::create_jti, TokenKind::refresh_jti,
                                  TokenKind::idp_code};
    for (const auto kind : kinds) {
        if (id.rfind(prefix_of(kind), 0) == 0) return true;
    }
    return false;
}

Json token_key(TokenKind kind, const std::string& id) { return Json{{k_token_key, str(dynamo_token_key(kind, id))}}; }

Result<TokenRow> token_from(TokenKind kind, const std::string& id, const Json& item) {
    OTTS_TRY(const auto expiry, dynamodb::need_num(item, k_token_ttl));
    OTTS_TRY(auto consumed_at, dynamodb::get_num(item, k_consumed_at));
    return TokenRow{kind, id, expiry, consumed_at};
}

}  // namespace

std::string dynamo_token_key(TokenKind kind, const std::string& id) {
    if (kind == TokenKind::one_time && !needs_escape(id)) return id;
    return std::string(prefix_of(kind)) + id;
}

DynamoStore::DynamoStore(std::unique_ptr<aws::AwsClient> client, DynamoTables tables)
    : m_client(std::move(client)),
      m_tables(std::move(tables)),
      m_tokens(*m_client, m_tables.tokens, k_token_key),
      m_pins(std::make_unique<DynamoPinStore>(*m_client, m_tables.pins)),
      m_outbox(std::make_unique<DynamoOutbox>(*m_client, m_tables.outbox, k_outbox_retention)),
      m_sessions(std::make_unique<DynamoSessionStore>(*m_client, m_tables.sessions)),
      m_secrets(std::make_unique<DynamoSecretStore>(*m_client, m_tables.secrets)) {}

DynamoStore::~DynamoStore() = default;

Result<std::unique_ptr<DynamoStore>> DynamoStore::open(std::unique_ptr<aws::AwsClient> client, DynamoTables tables,
                                                       TableCheck check) {
    std::unique_ptr<DynamoStore> store(new DynamoStore(std::move(client), std::move(tables)));
    if (check == TableCheck::on_first_use) return store;
    // Fails at start-up, naming the table, rather than on the first request.
    const std::array<const dynamodb::Table*, 5> owned = {&store->m_tokens, &store->m_pins->table(),
                                                         &store->m_outbox->table(), &store->m_sessions->table(),
                                                         &store->m_secrets->table()};
    for (const auto* table : owned) {
        OTTS_TRY_VOID(table->call("DescribeTable", Json::object()));
    }
    return store;
}

Result<std::unique_ptr<DynamoStore>> DynamoStore::from_settings(const Settings& settings, const Clock& clock,
                                                                TableCheck check) {
    OTTS_TRY(auto client, make_dynamodb_client(settings, clock));
    return open(std::move(client), DynamoTables::from_settings(settings), check);
}

PinStore& DynamoStore::pins() { return *m_pins; }
Outbox& DynamoStore::outbox() { return *m_outbox; }
SessionStore& DynamoStore::sessions() { return *m_sessions; }
SecretStore& DynamoStore::secrets() { return *m_secrets; }

Result<void> DynamoStore::put_token(const TokenRow& row) {
    Json item = token_key(row.kind, row.id);
    item[k_token_ttl] = num(row.expires_at);
    if (row.consumed_at) item[k_consumed_at] = num(*row.consumed_at);
    OTTS_TRY(const auto answer, m_tokens.write("PutItem", {{"Item", item},
                                                           {"ConditionExpression", "attribute_not_exists(#k)"},
                                                           {"ExpressionAttributeNames", {{"#k", k_token_key}}}}));
    if (answer.condition_failed) return make_error(ErrorCode::store_error, "token already exists");
    return Ok{};
}

// One UpdateItem decides; ALL_OLD hands back the row the condition saw, so a loss is explained
// by the same write that decided it.
Result<ConsumeOutcome> DynamoStore::consume_token(TokenKind kind, const std::string& id, UnixSeconds now) {
    const Json body = {{"Key", token_key(kind, id)},
                       {"UpdateExpression", "SET #c = :now"},
                       {"ConditionExpression", "attribute_exists(#k) AND attribute_not_exists(#c) AND #e > :now"},
                       {"ExpressionAttributeNames", {{"#k", k_token_key}, {"#c", k_consumed_at}, {"#e", k_token_ttl}}},
                       {"ExpressionAttributeValues", {{":now", num(now)}}},
                       {"ReturnValuesOnConditionCheckFailure", "ALL_OLD"}};
    OTTS_TRY(const auto answer, m_tokens.write("UpdateItem", body));
    if (!answer.condition_failed) return ConsumeOutcome::consumed;
    return classify_failed_consume(dynamo_token_key(kind, id), answer.item, now);
}

// Without the old row in the answer there was none, or the endpoint ignores
// ReturnValuesOnConditionCheckFailure (dynalite does): then a consistent read explains the
// loss. Either way it only picks the message, as SqliteStore's classify does: a row that reads
// live here was inserted after the write and answers not_found.
Result<ConsumeOutcome> DynamoStore::classify_failed_consume(const std::string& key, const Json& seen,
                                                            UnixSeconds now) const {
    Json row = seen;
    if (row.is_null()) {
        OTTS_TRY(row, m_tokens.get(key));
    }
    if (row.is_null()) return ConsumeOutcome::not_found;
    OTTS_TRY(const auto expiry, dynamodb::need_num(row, k_token_ttl));
    if (expiry <= now) return ConsumeOutcome::expired;
    OTTS_TRY(const auto consumed_at, dynamodb::get_num(row, k_consumed_at));
    return consumed_at ? ConsumeOutcome::already_used : ConsumeOutcome::not_found;
}

// One PutItem: a live row blocks it, an expired one is replaced by the same write.
Result<ConsumeOutcome> DynamoStore::record_once(TokenKind kind, const std::string& id, UnixSeconds expires_at,
                                                UnixSeconds now) {
    Json item = token_key(kind, id);
    item[k_token_ttl] = num(expires_at);
    item[k_consumed_at] = num(now);
    OTTS_TRY(const auto answer,
             m_tokens.write("PutItem", {{"Item", item},
                                        {"ConditionExpression", "attribute_not_exists(#k) OR #e <= :now"},
                                        {"ExpressionAttributeNames", {{"#k", k_token_key}, {"#e", k_token_ttl}}},
                                        {"ExpressionAttributeValues", {{":now", num(now)}}}}));
    return answer.condition_failed ? ConsumeOutcome::already_used : ConsumeOutcome::consumed;
}

Result<std::optional<TokenRow>> DynamoStore::get_token(TokenKind kind, const std::string& id, UnixSeconds now) {
    OTTS_TRY(const auto item, m_tokens.get(dynamo_token_key(kind, id)));
    if (item.is_null()) return std::optional<TokenRow>();
    OTTS_TRY(auto row, token_from(kind, id, item));
    if (row.expires_at <= now) return std::optional<TokenRow>();
    return std::optional<TokenRow>(std::move(row));
}

// One call cleans every table, so the emulator's periodic sweep needs to know only the Store.
Result<std::int64_t> DynamoStore::sweep(UnixSeconds now) {
    OTTS_TRY(const auto tokens, m_tokens.delete_up_to(k_token_ttl, now));
    OTTS_TRY(const auto pins, m_pins->sweep_pins(now));
    OTTS_TRY(const auto mail, m_outbox->sweep_mail(now));
    OTTS_TRY(const auto sessions, m_sessions->sweep_sessions(now));
    OTTS_TRY(const auto secrets, m_secrets->sweep_secrets(now));
    return tokens + pins + mail + sessions + secrets;
}

Result<std::int64_t> DynamoStore::reset() {
    OTTS_TRY(const auto tokens, m_tokens.delete_all());
    OTTS_TRY(const auto pins, m_pins->table().delete_all());
    OTTS_TRY(const auto mail, m_outbox->clear());
    OTTS_TRY(const auto sessions, m_sessions->table().delete_all());
    OTTS_TRY(const auto secrets, m_secrets->table().delete_all());
    return tokens + pins + mail + sessions + secrets;
}

}  // namespace otts
