#include "core/connections/shared_connections.hpp"
#include "tests/support/recording_sink.hpp"
#include "tests/unit/lambda/fake_connection_store.hpp"

#include <catch2/catch.hpp>

using namespace otts;

namespace {

using otts::test::RecordingSink;

ConnectionInfo connection_info(std::string id) {
    ConnectionInfo i;
    i.id = std::move(id);
    i.user_id = "alice";
    i.connected_at = i.last_active_at = 1000;
    return i;
}

// Two instances on one store; each forwards to the other by calling its registry, as the
// owner's /@connections/{id} route would.
struct TwoInstances {
    InMemoryConnectionStore store;
    std::vector<std::string> forwarded;  // "METHOD owner path"
    SharedConnectionRegistry a{store, "http://a",
                               [this](const std::string& owner, const http::Request& r) { return route(owner, r); }};
    SharedConnectionRegistry b{store, "http://b",
                               [this](const std::string& owner, const http::Request& r) { return route(owner, r); }};

    Result<int> route(const std::string& owner, const http::Request& r) {
        forwarded.push_back(r.method + " " + owner + " " + r.path);
        auto& target = owner == "http://a" ? a : b;
        const std::string id = r.path.substr(std::string("/@connections/").size());
        const bool ok = r.method == "POST" ? target.post(id, r.body) : target.close(id);
        return ok ? 200 : 410;
    }
};

}  // namespace

TEST_CASE("shared registry: a connection held by one instance is visible to the other", "[connections]") {
    TwoInstances t;
    auto sink = std::make_shared<RecordingSink>();
    t.a.add(connection_info("abc="), sink);
    auto seen = t.b.get("abc=");
    REQUIRE(seen);
    CHECK(seen->owner == "http://a");
    CHECK(seen->user_id == "alice");
    REQUIRE(t.b.list().size() == 1);
}

TEST_CASE("shared registry: a push through another instance reaches the socket once", "[connections]") {
    TwoInstances t;
    auto sink = std::make_shared<RecordingSink>();
    t.a.add(connection_info("abc="), sink);
    CHECK(t.b.post("abc=", "hello"));
    CHECK(sink->sent == std::vector<std::string>{"hello"});
    CHECK(t.forwarded == std::vector<std::string>{"POST http://a /@connections/abc="});
    // The owner itself delivers locally, without forwarding.
    CHECK(t.a.post("abc=", "again"));
    CHECK(t.forwarded.size() == 1);
}

TEST_CASE("shared registry: close through another instance closes and forgets", "[connections]") {
    TwoInstances t;
    auto sink = std::make_shared<RecordingSink>();
    t.a.add(connection_info("abc="), sink);
    CHECK(t.b.close("abc="));
    CHECK(sink->closed);
    CHECK_FALSE(t.b.get("abc="));
    CHECK_FALSE(t.b.post("abc=", "late"));
}

TEST_CASE("shared registry: a socket that died unannounced is gone everywhere", "[connections]") {
    TwoInstances t;
    auto sink = std::make_shared<RecordingSink>();
    t.a.add(connection_info("abc="), sink);
    sink.reset();
    // b still has the record, so it forwards; a answers gone without forwarding back.
    CHECK_FALSE(t.b.post("abc=", "x"));
    CHECK(t.forwarded.size() == 1);
    CHECK(t.a.list().empty());
}

TEST_CASE("shared registry: unknown ids are gone without any forwarding", "[connections]") {
    TwoInstances t;
    CHECK_FALSE(t.a.post("nope=", "x"));
    CHECK_FALSE(t.a.close("nope="));
    CHECK(t.forwarded.empty());
}

TEST_CASE("shared registry: a queue push through either instance reaches only its subscribers", "[connections][s4]") {
    TwoInstances t;
    auto on_a = std::make_shared<RecordingSink>(), on_b = std::make_shared<RecordingSink>();
    auto idle = std::make_shared<RecordingSink>();
    t.a.add(connection_info("a1="), on_a);
    t.b.add(connection_info("b1="), on_b);
    t.b.add(connection_info("b2="), idle);
    CHECK(t.a.change_subscription("a1=", {true, "q"}) == SubscriptionOutcome::done);
    CHECK(t.b.change_subscription("b1=", {true, "q"}) == SubscriptionOutcome::done);
    // Only the instance holding the socket changes its subscriptions.
    CHECK(t.a.change_subscription("b2=", {true, "q"}) == SubscriptionOutcome::connection_not_found);
    CHECK(t.a.post_to_queue("q", "progress") == 2);
    CHECK(on_a->sent == std::vector<std::string>{"progress"});
    CHECK(on_b->sent == std::vector<std::string>{"progress"});
    CHECK(idle->sent.empty());
    CHECK(t.b.change_subscription("b1=", {false, "q"}) == SubscriptionOutcome::done);
    CHECK(t.b.post_to_queue("q", "done") == 1);
    CHECK(on_a->sent.back() == "done");
    CHECK(on_b->sent.size() == 1);
    // Closing drops the subscription with the record.
    CHECK(t.a.close("a1="));
    CHECK(t.b.post_to_queue("q", "late") == 0);
}

TEST_CASE("shared registry: a subscription the store refuses is failed and not kept locally", "[connections][s4]") {
    test::FakeConnectionStore store;
    SharedConnectionRegistry a{store, "http://a",
                               [](const std::string&, const http::Request&) { return Result<int>(200); }};
    auto sink = std::make_shared<RecordingSink>();
    a.add(connection_info("a1="), sink);
    REQUIRE(a.change_subscription("a1=", {true, "kept"}) == SubscriptionOutcome::done);
    store.fail = true;
    CHECK(a.change_subscription("a1=", {true, "q"}) == SubscriptionOutcome::failed);
    CHECK(a.change_subscription("a1=", {false, "kept"}) == SubscriptionOutcome::failed);
    CHECK(a.change_subscription("a1=", {false, "never"}) == SubscriptionOutcome::failed);
    // The store is down: the push falls back to this instance's own subscriptions.
    CHECK(a.post_to_queue("q", "x") == 0);
    CHECK(a.post_to_queue("kept", "y") == 1);
    CHECK(a.post_to_queue("never", "z") == 0);
    CHECK(sink->sent == std::vector<std::string>{"y"});
}
