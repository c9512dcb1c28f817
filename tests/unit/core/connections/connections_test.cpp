#include "core/connections/connections.hpp"

#include <catch2/catch.hpp>

#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"
#include "tests/support/service_fixture.hpp"
#include "tests/support/recording_sink.hpp"

using namespace otts;

namespace {

using otts::test::RecordingSink;

// Records what the registry asks of a connection.
ConnectionInfo info(std::string id, std::optional<std::string> user = std::nullopt) {
    ConnectionInfo i;
    i.id = std::move(id);
    i.user_id = std::move(user);
    i.connected_at = i.last_active_at = 1000;
    i.source_ip = "127.0.0.1";
    return i;
}

}  // namespace

TEST_CASE("registry posts to a live connection and reports unknown ids as gone", "[connections]") {
    InMemoryConnectionRegistry registry;
    auto sink = std::make_shared<RecordingSink>();
    registry.add(info("abc="), sink);
    CHECK(registry.post("abc=", "hello"));
    CHECK(sink->sent == std::vector<std::string>{"hello"});
    CHECK_FALSE(registry.post("nope=", "hello"));
}

TEST_CASE("registry answers gone for a connection whose socket died unannounced", "[connections]") {
    InMemoryConnectionRegistry registry;
    auto sink = std::make_shared<RecordingSink>();
    registry.add(info("abc="), sink);
    sink.reset();
    CHECK_FALSE(registry.get("abc="));
    CHECK(registry.list().empty());
    CHECK_FALSE(registry.post("abc=", "x"));
}

TEST_CASE("registry close closes the socket and forgets the connection", "[connections]") {
    InMemoryConnectionRegistry registry;
    auto sink = std::make_shared<RecordingSink>();
    registry.add(info("abc="), sink);
    CHECK(registry.close("abc="));
    CHECK(sink->closed);
    CHECK_FALSE(registry.get("abc="));
    CHECK_FALSE(registry.close("abc="));
}

TEST_CASE("registry lists, touches and removes connections", "[connections]") {
    InMemoryConnectionRegistry registry;
    auto a = std::make_shared<RecordingSink>(), b = std::make_shared<RecordingSink>();
    registry.add(info("b=", "user-b"), b);
    registry.add(info("a="), a);
    auto all = registry.list();
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "a=");
    CHECK(all[1].user_id == "user-b");
    registry.touch("a=", 2000);
    registry.touch("a=", 1500);  // never goes backwards
    CHECK(registry.get("a=")->last_active_at == 2000);
    CHECK(registry.remove("a="));
    CHECK_FALSE(registry.remove("a="));
    CHECK(registry.list().size() == 1);
}

TEST_CASE("new connection ids look like API Gateway's and are one path segment", "[connections]") {
    test::SeededRandom random;
    auto id = new_connection_id(random);
    CHECK(id.size() == 16);
    CHECK(id.back() == '=');
    CHECK(id.find('/') == std::string::npos);
    CHECK(valid_connection_id(id));
    CHECK(new_connection_id(random) != id);
}

TEST_CASE("valid_connection_id rejects traversal, separators and oversize ids", "[connections]") {
    CHECK(valid_connection_id("L0SM9cOFvHcCIhw="));
    CHECK_FALSE(valid_connection_id(""));
    CHECK_FALSE(valid_connection_id(".."));
    CHECK_FALSE(valid_connection_id("a/b"));
    CHECK_FALSE(valid_connection_id("a%2Fb"));
    CHECK_FALSE(valid_connection_id(std::string("a\0b", 3)));
    CHECK_FALSE(valid_connection_id(std::string(129, 'a')));
}

TEST_CASE("query_parameter finds and percent-decodes the first value", "[connections]") {
    CHECK(query_parameter("/?token=abc", "token") == "abc");
    CHECK(query_parameter("/dev?x=1&token=a%2Eb&token=zz", "token") == "a.b");
    CHECK(query_parameter("/?tokens=1", "token") == std::nullopt);
    CHECK(query_parameter("/token", "token") == std::nullopt);
    CHECK(query_parameter("/?token", "token") == "");
    CHECK(query_parameter("/?token=%4", "token") == std::nullopt);
    CHECK(query_parameter("/?token=%zz", "token") == std::nullopt);
}

namespace {

struct IdentityFixture {
    test::FakeClock clock;
    UserTokens tokens{clock, test::ServiceFixture::hs_keys()};
    std::string valid = tokens.issue("user-1").value().token;
};

}  // namespace

TEST_CASE("connect identity takes the user from ?token=", "[connections]") {
    IdentityFixture f;
    auto id = resolve_connect_identity(f.tokens, f.valid, std::nullopt);
    CHECK(id.user_id == "user-1");
    CHECK_FALSE(id.protocol);
}

TEST_CASE("connect identity falls back to anonymous for bad, expired or missing tokens", "[connections]") {
    IdentityFixture f;
    CHECK_FALSE(resolve_connect_identity(f.tokens, std::nullopt, std::nullopt).user_id);
    CHECK_FALSE(resolve_connect_identity(f.tokens, "garbage", std::nullopt).user_id);
    CHECK_FALSE(resolve_connect_identity(f.tokens, "", std::nullopt).user_id);
    f.clock.advance(3600 + 31);
    CHECK_FALSE(resolve_connect_identity(f.tokens, f.valid, std::nullopt).user_id);
}

TEST_CASE("connect identity accepts the token as a subprotocol and echoes that entry", "[connections]") {
    IdentityFixture f;
    auto id = resolve_connect_identity(f.tokens, std::nullopt, "access_token, " + f.valid);
    CHECK(id.user_id == "user-1");
    CHECK(id.protocol == f.valid);
}

TEST_CASE("connect identity echoes the first offered subprotocol when none verifies", "[connections]") {
    IdentityFixture f;
    auto id = resolve_connect_identity(f.tokens, "bad", std::string_view("chat, other"));
    CHECK_FALSE(id.user_id);
    CHECK(id.protocol == "chat");
    // A query token wins; an offered protocol is still echoed so the handshake completes.
    auto both = resolve_connect_identity(f.tokens, f.valid, std::string_view("chat"));
    CHECK(both.user_id == "user-1");
    CHECK(both.protocol == "chat");
}

TEST_CASE("connected message names the connection and a null user for anonymous", "[connections]") {
    auto anonymous = connected_message(info("abc="));
    CHECK(anonymous == nlohmann::json{{"message", "Connected"}, {"connectionId", "abc="}, {"userId", nullptr}});
    CHECK(connected_message(info("abc=", "u1"))["userId"] == "u1");
}

TEST_CASE("registry pushes to a queue's subscribers only, until they unsubscribe or leave", "[connections][s4]") {
    InMemoryConnectionRegistry registry;
    auto a = std::make_shared<RecordingSink>(), b = std::make_shared<RecordingSink>();
    auto c = std::make_shared<RecordingSink>();
    registry.add(info("a="), a);
    registry.add(info("b="), b);
    registry.add(info("c="), c);
    CHECK(registry.change_subscription("a=", {true, "q"}) == SubscriptionOutcome::done);
    CHECK(registry.change_subscription("b=", {true, "q"}) == SubscriptionOutcome::done);
    CHECK(registry.change_subscription("c=", {true, "other"}) == SubscriptionOutcome::done);
    CHECK(registry.change_subscription("nope=", {true, "q"}) == SubscriptionOutcome::connection_not_found);
    CHECK(registry.post_to_queue("q", "one") == 2);
    CHECK(a->sent == std::vector<std::string>{"one"});
    CHECK(b->sent == std::vector<std::string>{"one"});
    CHECK(c->sent.empty());
    CHECK(registry.change_subscription("b=", {false, "q"}) == SubscriptionOutcome::done);
    CHECK(registry.post_to_queue("q", "two") == 1);
    CHECK(b->sent.size() == 1);
    CHECK(registry.remove("a="));
    CHECK(registry.post_to_queue("q", "three") == 0);
    CHECK(registry.post_to_queue("nobody", "x") == 0);
}
