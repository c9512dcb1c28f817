// DynamoStore (with its PIN store, outbox and session store) and DynamoConnectionStore against a real DynamoDB
// API (dynalite in tests/blackbox/test_dynamodb_store.sh), held to the same contract suites as
// SqliteStore.
// Hidden ("[.dynamodb]"): they need DYNAMODB_ENDPOINT and AWS_* credentials in the environment,
// and run with `otts_unit_tests "[dynamodb]"`. Every fixture works on freshly created tables
// with a name prefix of its own and drops them afterwards, so runs and sections never meet.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "adapters/dynamodb/dynamodb_connection_store.hpp"
#include "adapters/dynamodb/dynamodb_outbox.hpp"
#include "adapters/dynamodb/dynamodb_store.hpp"
#include "adapters/system_clock.hpp"
#include "tests/support/pin_store_contract.hpp"
#include "tests/support/secret_store_contract.hpp"
#include "tests/support/session_store_contract.hpp"
#include "tests/support/store_contract.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/outbox_mail.hpp"

using otts::ConsumeOutcome;
using otts::DynamoStore;
using otts::DynamoTables;
using otts::Mail;
using otts::TokenKind;

namespace {

using otts::test::ids;
using otts::test::mail;

using otts::test::k_now;

const otts::SystemClock& system_clock() {
    static const otts::SystemClock clock;
    return clock;
}

std::unique_ptr<otts::aws::AwsClient> make_client() {
    const char* endpoint = std::getenv("DYNAMODB_ENDPOINT");
    if (endpoint == nullptr || *endpoint == '\0')
        FAIL("set DYNAMODB_ENDPOINT (tests/blackbox/test_dynamodb_store.sh does)");
    // The script's AWS_* (dynalite takes any keys).
    auto client =
        otts::make_dynamodb_client(otts::Settings(otts::process_environment()), system_clock(), std::string(endpoint));
    if (!client) FAIL(client.error().message());
    return std::move(client).value();
}

// Unique across processes (pid, start time) and within one (a counter).
std::string unique_prefix() {
    static const auto started = std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000;
    static int counter = 0;
    return "otts-test-" + std::to_string(getpid()) + "-" + std::to_string(started) + "-" + std::to_string(++counter) +
           "-";
}

// Fresh tables and a store on them; the tables are dropped when it goes.
class DynamoFixture {
public:
    DynamoFixture() : m_admin(make_client()), m_tables(DynamoTables{}.with_prefix(unique_prefix())) {
        const auto created = otts::create_tables(*m_admin, m_tables, {std::chrono::milliseconds(10)});
        if (!created) FAIL(created.error().message());
        auto store = DynamoStore::open(make_client(), m_tables);
        if (!store) FAIL(store.error().message());
        m_store = std::move(store).value();
    }
    ~DynamoFixture() {
        m_store.reset();
        for (const auto* name :
             {&m_tables.tokens, &m_tables.pins, &m_tables.outbox, &m_tables.connections, &m_tables.sessions})
            (void)m_admin->call_target("DynamoDB_20120810.DeleteTable", {{"TableName", *name}});
    }
    DynamoFixture(const DynamoFixture&) = delete;
    DynamoFixture& operator=(const DynamoFixture&) = delete;

    DynamoStore& store() { return *m_store; }
    otts::aws::AwsClient& admin() { return *m_admin; }
    const DynamoTables& tables() const { return m_tables; }

private:
    std::unique_ptr<otts::aws::AwsClient> m_admin;
    DynamoTables m_tables;
    std::unique_ptr<DynamoStore> m_store;
};

// A Store that owns its fixture, for the contract suite's unique_ptr<Store>.
class FixtureStore final : public otts::Store {
public:
    otts::Result<void> put_token(const otts::TokenRow& row) override { return s().put_token(row); }
    otts::Result<ConsumeOutcome> consume_token(TokenKind kind, const std::string& id, otts::UnixSeconds now) override {
        return s().consume_token(kind, id, now);
    }
    otts::Result<ConsumeOutcome> record_once(TokenKind kind, const std::string& id, otts::UnixSeconds expires_at,
                                             otts::UnixSeconds now) override {
        return s().record_once(kind, id, expires_at, now);
    }
    otts::Result<std::optional<otts::TokenRow>> get_token(TokenKind kind, const std::string& id,
                                                          otts::UnixSeconds now) override {
        return s().get_token(kind, id, now);
    }
    otts::Result<std::int64_t> sweep(otts::UnixSeconds now) override { return s().sweep(now); }

private:
    DynamoStore& s() { return m_fixture.store(); }
    DynamoFixture m_fixture;
};

// The stored item, read around the store.
nlohmann::json raw_item(DynamoFixture& f, const std::string& table, const nlohmann::json& key) {
    auto answer = f.admin().call_target("DynamoDB_20120810.GetItem",
                                        {{"TableName", table}, {"Key", key}, {"ConsistentRead", true}});
    REQUIRE(answer.ok());
    REQUIRE(answer->ok());
    return answer->body.value("Item", nlohmann::json());
}

}  // namespace

TEST_CASE("DynamoStore meets the Store contract", "[.dynamodb][store]") {
    otts::test::run_store_contract([] { return std::make_unique<FixtureStore>(); });
}

TEST_CASE("DynamoPinStore meets the PinStore contract", "[.dynamodb][pins]") {
    otts::test::run_pin_store_contract([] {
        auto fixture = std::make_shared<DynamoFixture>();
        auto* pins = &fixture->store().pins();
        return std::shared_ptr<otts::PinStore>(std::move(fixture), pins);
    });
}

TEST_CASE("DynamoSessionStore meets the SessionStore contract", "[.dynamodb][sessions]") {
    otts::test::run_session_store_contract([] {
        auto fixture = std::make_shared<DynamoFixture>();
        auto* sessions = &fixture->store().sessions();
        return std::shared_ptr<otts::SessionStore>(std::move(fixture), sessions);
    });
}

TEST_CASE("DynamoDB session items follow the l42 token handler's table: data, created_at, ttl",
          "[.dynamodb][sessions]") {
    DynamoFixture f;
    auto& sessions = f.store().sessions();
    REQUIRE(sessions.put_session({"s-1_", R"({"a":1})", k_now, k_now + 60}).ok());
    REQUIRE(sessions.put_session({"s-1_", R"({"a":2})", k_now + 5, k_now + 65}).ok());
    const auto item = raw_item(f, f.tables().sessions, {{"session_id", {{"S", "s-1_"}}}});
    CHECK(item["data"] == nlohmann::json{{"S", R"({"a":2})"}});
    CHECK(item["created_at"] == nlohmann::json{{"N", std::to_string(k_now)}});
    CHECK(item["ttl"] == nlohmann::json{{"N", std::to_string(k_now + 60)}});
}

TEST_CASE("the DynamoDB outbox lists mail oldest first, optionally for one address", "[.dynamodb][outbox]") {
    DynamoFixture f;
    auto& outbox = f.store().outbox();
    REQUIRE(outbox.add(mail("b", "x@example.com", k_now + 1)).ok());
    REQUIRE(outbox.add(mail("a", "y@example.com", k_now)).ok());
    REQUIRE(outbox.add(mail("c", "x@example.com", k_now + 1)).ok());
    CHECK(ids(*outbox.list(std::nullopt)) == std::vector<std::string>{"a", "b", "c"});
    CHECK(ids(*outbox.list(std::string("x@example.com"))) == std::vector<std::string>{"b", "c"});
    CHECK(outbox.list(std::string("nobody@example.com"))->empty());
}

TEST_CASE("DynamoDB outbox get, remove, clear and duplicate ids", "[.dynamodb][outbox]") {
    DynamoFixture f;
    auto& outbox = f.store().outbox();
    auto with_html = mail("a", "x@example.com");
    with_html.html = "<p>hi</p>";
    REQUIRE(outbox.add(with_html).ok());
    REQUIRE(outbox.add(mail("b", "x@example.com")).ok());
    const auto again = outbox.add(mail("a", "x@example.com"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == otts::ErrorCode::store_error);
    const auto got = *outbox.get("a");
    REQUIRE(got);
    CHECK(got->subject == "subject a");
    CHECK(got->html == std::optional<std::string>("<p>hi</p>"));
    CHECK_FALSE(outbox.get("b")->value().html);
    CHECK_FALSE(*outbox.get("zzz"));
    CHECK(*outbox.remove("a"));
    CHECK_FALSE(*outbox.remove("a"));
    CHECK(*outbox.clear() == 1);
    CHECK(outbox.list(std::nullopt)->empty());
}

TEST_CASE("DynamoStore's sweep covers tokens, PINs, sessions and old mail; reset empties all",
          "[.dynamodb][outbox][pins][sessions]") {
    DynamoFixture f;
    auto& store = f.store();
    REQUIRE(store.put_token({TokenKind::one_time, "t", k_now + 10, std::nullopt}).ok());
    REQUIRE(store.pins().put_pin({"u@example.com", "h", "l", "pin_1", k_now, k_now + 10, 0}, 0).ok());
    REQUIRE(store.sessions().put_session({"old", "{}", k_now, k_now + 10}).ok());
    REQUIRE(store.sessions().put_session({"live", "{}", k_now, k_now + 20}).ok());
    REQUIRE(store.outbox().add(mail("old", "u@example.com", k_now - DynamoStore::k_outbox_retention + 10)).ok());
    REQUIRE(store.outbox().add(mail("new", "u@example.com", k_now)).ok());
    CHECK(*store.sweep(k_now + 9) == 0);
    CHECK(*store.sweep(k_now + 10) == 4);
    CHECK(ids(*store.outbox().list(std::nullopt)) == std::vector<std::string>{"new"});
    REQUIRE(store.put_token({TokenKind::create_jti, "j", k_now + 10, k_now}).ok());
    otts::Resettable& resettable = store;
    CHECK(*resettable.reset() == 3);
    CHECK_FALSE(*store.sessions().get_session("live", k_now));
    CHECK(store.outbox().list(std::nullopt)->empty());
    CHECK_FALSE(*store.get_token(TokenKind::create_jti, "j", k_now));
}

TEST_CASE("DynamoDB rows follow DESIGN §8: uuid key, expiry and consumed_at numbers", "[.dynamodb][store]") {
    DynamoFixture f;
    auto& store = f.store();
    REQUIRE(store.put_token({TokenKind::one_time, "6f1c", k_now + 60, std::nullopt}).ok());
    REQUIRE(*store.consume_token(TokenKind::one_time, "6f1c", k_now) == ConsumeOutcome::consumed);
    REQUIRE(*store.record_once(TokenKind::create_jti, "6f1c", k_now + 60, k_now) == ConsumeOutcome::consumed);
    const auto one_time = raw_item(f, f.tables().tokens, {{"uuid", {{"S", "6f1c"}}}});
    CHECK(one_time["expiry"] == nlohmann::json{{"N", std::to_string(k_now + 60)}});
    CHECK(one_time["consumed_at"] == nlohmann::json{{"N", std::to_string(k_now)}});
    CHECK_FALSE(raw_item(f, f.tables().tokens, {{"uuid", {{"S", "create_jti#6f1c"}}}}).is_null());
    // A one-time id dressed as another kind's key stays a different row.
    CHECK(*store.consume_token(TokenKind::one_time, "create_jti#6f1c", k_now) == ConsumeOutcome::not_found);
}

TEST_CASE("a missing DynamoDB table is a clear store_error", "[.dynamodb][store]") {
    const auto tables = DynamoTables{}.with_prefix(unique_prefix() + "absent-");
    const auto opened = DynamoStore::open(make_client(), tables);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == otts::ErrorCode::store_error);
    CHECK_THAT(opened.error().detail,
               Catch::Contains("'" + tables.tokens + "'") && Catch::Contains("otts dynamodb create-tables"));

    DynamoFixture f;  // tables that vanish after open: every call says which one is gone
    (void)f.admin().call_target("DynamoDB_20120810.DeleteTable", {{"TableName", f.tables().pins}});
    bool gone = false;
    for (int i = 0; i < 100 && !gone; ++i) {  // dynalite deletes after --deleteTableMs
        const auto got = f.store().pins().get_pin("u@example.com", k_now);
        gone = !got.ok();
        if (gone) CHECK_THAT(got.error().detail, Catch::Contains("'" + f.tables().pins + "'"));
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(gone);
}

TEST_CASE("create_tables is idempotent and reports each table", "[.dynamodb][tables]") {
    DynamoFixture f;  // created them once
    const auto again = otts::create_tables(f.admin(), f.tables(), {std::chrono::milliseconds(10)});
    REQUIRE(again.ok());
    REQUIRE(again->size() == 6);
    for (const auto& report : *again) {
        CHECK_FALSE(report.created);
        CHECK(report.status == "ACTIVE");
    }
    CHECK((*again)[0].key == "uuid");
    CHECK((*again)[0].ttl_attribute == "expiry");
    CHECK((*again)[1].key == "email");
    CHECK((*again)[4].key == "session_id");
    CHECK((*again)[4].ttl_attribute == "ttl");
}

TEST_CASE("DynamoConnectionStore keeps S4 connection records", "[.dynamodb][connections]") {
    DynamoFixture f;
    auto opened = otts::DynamoConnectionStore::open(make_client(), f.tables().connections);
    REQUIRE(opened.ok());
    auto& connections = **opened;
    const otts::ConnectionInfo anonymous{"b=", std::nullopt, k_now, k_now + 5, "127.0.0.1", "curl", ""};
    const otts::ConnectionInfo user{"a=", std::string("u1"), k_now, k_now, "::1", "ws", "http://10.0.0.5:8080"};
    REQUIRE(connections.put_connection(anonymous).ok());
    REQUIRE(connections.put_connection(user).ok());
    const auto got = *connections.get_connection("a=");
    REQUIRE(got);
    CHECK(got->user_id == std::optional<std::string>("u1"));
    CHECK(got->owner == "http://10.0.0.5:8080");
    CHECK_FALSE(connections.get_connection("b=")->value().user_id);
    CHECK(connections.get_connection("b=")->value().last_active_at == k_now + 5);
    const auto listed = *connections.list_connections();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == "a=");
    CHECK(*connections.delete_connection("a="));
    CHECK_FALSE(*connections.delete_connection("a="));
    CHECK_FALSE(*connections.get_connection("a="));
    const auto ttl = raw_item(f, f.tables().connections, {{"connectionId", {{"S", "b="}}}})["ttl"];
    CHECK(ttl == nlohmann::json{{"N", std::to_string(k_now + otts::DynamoConnectionStore::k_record_lifetime)}});
}

TEST_CASE("DynamoSecretStore meets the SecretStore contract", "[.dynamodb][secrets]") {
    otts::test::run_secret_store_contract([] {
        auto fixture = std::make_shared<DynamoFixture>();
        auto* secrets = &fixture->store().secrets();
        return std::shared_ptr<otts::SecretStore>(std::move(fixture), secrets);
    });
}

TEST_CASE("DynamoDB secret items follow sealed.fyi's sealed-secrets table", "[.dynamodb][secrets]") {
    DynamoFixture f;
    auto& secrets = f.store().secrets();
    REQUIRE(secrets
                .put_secret({.id = "Ab3dEf6hIj9kLmNoPqRsTu",
                             .ciphertext = "Y2lwaGVy",
                             .iv = "AAECAwQFBgcICQoL",
                             .salt = std::nullopt,
                             .passphrase_protected = true,
                             .remaining_views = 2,
                             .burn_token = std::string(32, 'b'),
                             .created_at = k_now,
                             .expires_at = k_now + 900,
                             .last_access_at = std::nullopt,
                             .last_access_token = std::nullopt})
                .ok());
    REQUIRE(secrets.take_view("Ab3dEf6hIj9kLmNoPqRsTu", "tok", k_now + 1).value());
    const auto item = raw_item(f, f.tables().secrets, {{"id", {{"S", "Ab3dEf6hIj9kLmNoPqRsTu"}}}});
    CHECK(item["passphraseProtected"] == nlohmann::json{{"BOOL", true}});
    CHECK(item["remainingViews"] == nlohmann::json{{"N", "1"}});
    CHECK(item["expiresAt"] == nlohmann::json{{"N", std::to_string(k_now + 900)}});
    CHECK(item["createdAt"] == nlohmann::json{{"N", std::to_string(k_now)}});
    CHECK(item["lastAccessAt"] == nlohmann::json{{"N", std::to_string(k_now + 1)}});
    CHECK(item["lastAccessToken"] == nlohmann::json{{"S", "tok"}});
    CHECK_FALSE(item.contains("salt"));
}
