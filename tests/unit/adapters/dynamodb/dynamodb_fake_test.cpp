// The DynamoDB adapters against a scripted HttpClient: what they send (one conditional write
// per decision) and how they read answers a local peer never gives (the row DynamoDB returns
// with ReturnValuesOnConditionCheckFailure). Runs without any peer; the same adapters against
// dynalite are in dynamodb_store_test.cpp.
#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/dynamodb/dynamodb_store.hpp"
#include "tests/support/fake_clock.hpp"

using otts::ConsumeOutcome;
using otts::DynamoStore;
using otts::DynamoTables;
using otts::TokenKind;
using Json = nlohmann::json;

namespace {

using otts::test::k_now;

// Answers each request with `reply(target, body)` and keeps what was sent.
struct Script {
    std::function<otts::http::Response(const std::string& target, const Json& body)> reply;
    std::vector<std::pair<std::string, Json>> sent;
};

class ScriptedClient final : public otts::HttpClient {
public:
    explicit ScriptedClient(std::shared_ptr<Script> script) : m_script(std::move(script)) {}
    otts::Result<otts::http::Response> send(const otts::http::Request& request) override {
        auto target = std::string(request.header("X-Amz-Target").value_or(""));
        target = target.substr(target.find('.') + 1);
        auto body = Json::parse(request.body);
        m_script->sent.emplace_back(target, body);
        return m_script->reply(target, body);
    }

private:
    std::shared_ptr<Script> m_script;
};

otts::http::Response json_answer(int status, const Json& body) {
    otts::http::Response response;
    response.status = status;
    response.headers["Content-Type"] = "application/x-amz-json-1.0";
    response.body = body.dump();
    return response;
}

otts::http::Response aws_error(const std::string& type, Json extra = Json::object()) {
    extra["__type"] = "com.amazonaws.dynamodb.v20120810#" + type;
    extra["message"] = "scripted " + type;
    return json_answer(400, extra);
}

struct Harness {
    std::shared_ptr<Script> script = std::make_shared<Script>();
    otts::test::FakeClock clock{k_now};
    std::unique_ptr<DynamoStore> store;

    Harness() {
        script->reply = [](const std::string&, const Json&) { return json_answer(200, Json::object()); };
        auto shared = script;
        otts::aws::HttpClientFactory factory = [shared](const std::string&) {
            return otts::Result<std::unique_ptr<otts::HttpClient>>(std::make_unique<ScriptedClient>(shared));
        };
        otts::aws::AwsConfig config;
        config.credentials.access_key_id = "AKIDEXAMPLE";
        config.credentials.secret_access_key = "secret";
        otts::aws::RetryPolicy once;
        once.max_attempts = 1;
        auto client = std::make_unique<otts::aws::AwsClient>(std::move(config), "dynamodb", "http://127.0.0.1:1", clock,
                                                             factory, once);
        auto opened = DynamoStore::open(std::move(client), DynamoTables{});
        REQUIRE(opened.ok());
        store = std::move(opened).value();
        script->sent.clear();
    }
};

Json token_item(const std::string& key, otts::UnixSeconds expiry, std::optional<otts::UnixSeconds> consumed) {
    Json item = {{"uuid", {{"S", key}}}, {"expiry", {{"N", std::to_string(expiry)}}}};
    if (consumed) item["consumed_at"] = {{"N", std::to_string(*consumed)}};
    return item;
}

}  // namespace

TEST_CASE("one-time ids are stored bare; other kinds and look-alike ids get a kind prefix", "[dynamodb]") {
    using otts::dynamo_token_key;
    CHECK(dynamo_token_key(TokenKind::one_time, "6f1c") == "6f1c");
    CHECK(dynamo_token_key(TokenKind::create_jti, "6f1c") == "create_jti#6f1c");
    CHECK(dynamo_token_key(TokenKind::refresh_jti, "6f1c") == "refresh_jti#6f1c");
    CHECK(dynamo_token_key(TokenKind::one_time, "create_jti#6f1c") == "one_time#create_jti#6f1c");
    CHECK(dynamo_token_key(TokenKind::one_time, "one_time#x") == "one_time#one_time#x");
    CHECK(dynamo_token_key(TokenKind::one_time, "a#b") == "a#b");
}

TEST_CASE("table names come from the originals' variables, else defaults", "[dynamodb]") {
    otts::Settings settings;
    CHECK(DynamoTables::from_settings(settings).tokens == "TokenTable");
    settings.set_override("TOKEN_TABLE", "s1-tokens");
    settings.set_override("PINS_TABLE", "s3-pins");
    settings.set_override("OTTS_OUTBOX_TABLE", "mail");
    settings.set_override("CONNECTIONS_TABLE", "s4-connections");
    const auto tables = DynamoTables::from_settings(settings);
    CHECK(tables.tokens == "s1-tokens");
    CHECK(tables.pins == "s3-pins");
    CHECK(tables.outbox == "mail");
    CHECK(tables.connections == "s4-connections");
    CHECK(tables.with_prefix("t-").pins == "t-s3-pins");
    settings.set_override("DYNAMODB_ENDPOINT", "http://127.0.0.1:4567");
    CHECK(otts::dynamodb_endpoint(settings) == std::optional<std::string>("http://127.0.0.1:4567"));
}

TEST_CASE("consume_token is one conditional UpdateItem asking for the old row on failure", "[dynamodb]") {
    Harness h;
    REQUIRE(*h.store->consume_token(TokenKind::create_jti, "j", k_now) == ConsumeOutcome::consumed);
    REQUIRE(h.script->sent.size() == 1);
    const auto& [target, body] = h.script->sent.front();
    CHECK(target == "UpdateItem");
    CHECK(body["TableName"] == "TokenTable");
    CHECK(body["Key"] == Json{{"uuid", {{"S", "create_jti#j"}}}});
    CHECK(body["ConditionExpression"] == "attribute_exists(#k) AND attribute_not_exists(#c) AND #e > :now");
    CHECK(body["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD");
}

TEST_CASE("a failed consume is classified from the returned old row without a second read", "[dynamodb]") {
    Harness h;
    Json old;
    h.script->reply = [&old](const std::string&, const Json&) {
        return aws_error("ConditionalCheckFailedException", {{"Item", old}});
    };
    old = token_item("t", k_now + 60, k_now - 5);
    CHECK(*h.store->consume_token(TokenKind::one_time, "t", k_now) == ConsumeOutcome::already_used);
    old = token_item("t", k_now, std::nullopt);
    CHECK(*h.store->consume_token(TokenKind::one_time, "t", k_now) == ConsumeOutcome::expired);
    old = token_item("t", k_now - 1, k_now - 9);
    CHECK(*h.store->consume_token(TokenKind::one_time, "t", k_now) == ConsumeOutcome::expired);
    CHECK(h.script->sent.size() == 3);  // no GetItem
}

TEST_CASE("a failed consume without an old row reads once to explain it", "[dynamodb]") {
    Harness h;
    h.script->reply = [](const std::string& target, const Json&) {
        if (target == "GetItem") return json_answer(200, Json::object());
        return aws_error("ConditionalCheckFailedException");
    };
    CHECK(*h.store->consume_token(TokenKind::one_time, "t", k_now) == ConsumeOutcome::not_found);
    REQUIRE(h.script->sent.size() == 2);
    CHECK(h.script->sent[1].first == "GetItem");
    CHECK(h.script->sent[1].second["ConsistentRead"] == true);
}

TEST_CASE("record_once is one conditional PutItem that replaces only an expired row", "[dynamodb]") {
    Harness h;
    CHECK(*h.store->record_once(TokenKind::create_jti, "j", k_now + 300, k_now) == ConsumeOutcome::consumed);
    const auto& body = h.script->sent.front().second;
    CHECK(h.script->sent.front().first == "PutItem");
    CHECK(body["ConditionExpression"] == "attribute_not_exists(#k) OR #e <= :now");
    CHECK(body["Item"]["consumed_at"] == Json{{"N", std::to_string(k_now)}});
    h.script->reply = [](const std::string&, const Json&) { return aws_error("ConditionalCheckFailedException"); };
    CHECK(*h.store->record_once(TokenKind::create_jti, "j", k_now + 300, k_now) == ConsumeOutcome::already_used);
}

TEST_CASE("a missing table is a store_error naming it and the command that creates it", "[dynamodb]") {
    Harness h;
    h.script->reply = [](const std::string&, const Json&) { return aws_error("ResourceNotFoundException"); };
    const auto result = h.store->get_token(TokenKind::one_time, "t", k_now);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == otts::ErrorCode::store_error);
    CHECK_THAT(result.error().detail,
               Catch::Contains("'TokenTable'") && Catch::Contains("otts dynamodb create-tables"));
    const auto put = h.store->pins().put_pin({"u@example.com", "h", "l", "pin_1", k_now, k_now + 10, 0}, 0);
    REQUIRE_FALSE(put.ok());
    CHECK_THAT(put.error().detail, Catch::Contains("'otts-pins'"));
}

TEST_CASE("a refused put_pin names the blocking row from the returned old row", "[dynamodb]") {
    Harness h;
    h.script->reply = [](const std::string&, const Json&) {
        return aws_error("ConditionalCheckFailedException",
                         {{"Item", {{"email", {{"S", "u@example.com"}}}, {"created_at", {{"N", "1699999990"}}}}}});
    };
    const auto put = h.store->pins().put_pin({"u@example.com", "h", "l", "pin_1", k_now, k_now + 10, 0}, 300);
    REQUIRE(put.ok());
    CHECK_FALSE(put->stored);
    CHECK(put->blocking_created_at == std::optional<otts::UnixSeconds>(1'699'999'990));
    const auto& body = h.script->sent.front().second;
    CHECK(body["ConditionExpression"] == "attribute_not_exists(#k) OR #c <= :cutoff OR #e <= :now");
    CHECK(body["ExpressionAttributeValues"][":cutoff"] == Json{{"N", std::to_string(k_now - 300)}});
}

TEST_CASE("a malformed number in a row is a store_error, not a crash", "[dynamodb]") {
    Harness h;
    h.script->reply = [](const std::string&, const Json&) {
        return json_answer(200, {{"Item", {{"uuid", {{"S", "t"}}}, {"expiry", {{"N", "soon"}}}}}});
    };
    const auto row = h.store->get_token(TokenKind::one_time, "t", k_now);
    REQUIRE_FALSE(row.ok());
    CHECK(row.error().code == otts::ErrorCode::store_error);
}

TEST_CASE("the sessions table is DYNAMODB_TABLE (the l42 token handler's variable), else l42_sessions",
          "[dynamodb][sessions]") {
    otts::Settings settings;
    CHECK(DynamoTables::from_settings(settings).sessions == "l42_sessions");
    settings.set_override("DYNAMODB_TABLE", "s2-sessions");
    CHECK(DynamoTables::from_settings(settings).sessions == "s2-sessions");
    CHECK(DynamoTables::from_settings(settings).with_prefix("t-").sessions == "t-s2-sessions");
}

TEST_CASE("put_session is one UpdateItem that keeps an existing row's created_at and ttl", "[dynamodb][sessions]") {
    Harness h;
    REQUIRE(h.store->sessions().put_session({"s", R"({"a":1})", k_now, k_now + 60}).ok());
    REQUIRE(h.script->sent.size() == 1);
    const auto& [target, body] = h.script->sent.front();
    CHECK(target == "UpdateItem");
    CHECK(body["TableName"] == "l42_sessions");
    CHECK(body["Key"] == Json{{"session_id", {{"S", "s"}}}});
    CHECK(body["UpdateExpression"] ==
          "SET #data = :data, created_at = if_not_exists(created_at, :c), #ttl = if_not_exists(#ttl, :t)");
    CHECK(body["ExpressionAttributeValues"][":t"] == Json{{"N", std::to_string(k_now + 60)}});
}

TEST_CASE("a session whose ttl has passed reads as absent though DynamoDB still returns it", "[dynamodb][sessions]") {
    Harness h;
    h.script->reply = [](const std::string&, const Json&) {
        return json_answer(200, {{"Item",
                                  {{"session_id", {{"S", "s"}}},
                                   {"data", {{"S", "{}"}}},
                                   {"created_at", {{"N", std::to_string(k_now - 60)}}},
                                   {"ttl", {{"N", std::to_string(k_now)}}}}}});
    };
    CHECK_FALSE(*h.store->sessions().get_session("s", k_now));
    CHECK(h.store->sessions().get_session("s", k_now - 1)->value().created_at == k_now - 60);
    CHECK(h.script->sent.back().second["ConsistentRead"] == true);
}

TEST_CASE("the secrets table is SECRETS_TABLE, else sealed.fyi's sealed-secrets", "[dynamodb][secrets]") {
    Settings settings;
    CHECK(DynamoTables::from_settings(settings).secrets == "sealed-secrets");
    settings.set_override("SECRETS_TABLE", "s0-secrets");
    CHECK(DynamoTables::from_settings(settings).secrets == "s0-secrets");
    CHECK(DynamoTables::from_settings(settings).with_prefix("t-").secrets == "t-s0-secrets");
}
