#include "core/connections/queue_push.hpp"

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace otts;

namespace {

// Answers per id: delivered unless listed; records what was posted.
class ScriptedPoster final : public ConnectionPoster {
public:
    std::map<std::string, Result<PostOutcome>> answers;
    std::vector<std::pair<std::string, std::string>> posted;
    Result<PostOutcome> post_to_connection(const std::string& id, const std::string& data) override {
        posted.emplace_back(id, data);
        if (auto it = answers.find(id); it != answers.end()) return it->second;
        return PostOutcome::delivered;
    }
};

void subscribed(InMemoryConnectionStore& store, const std::string& id, const std::string& queue) {
    ConnectionInfo info;
    info.id = id;
    REQUIRE(store.put_connection(info));
    if (!queue.empty()) REQUIRE(*store.change_subscription(id, {true, queue}));
}

}  // namespace

TEST_CASE("push to queue posts to each subscriber and counts the deliveries", "[queue_push]") {
    InMemoryConnectionStore store;
    subscribed(store, "a", "q1");
    subscribed(store, "b", "q1");
    subscribed(store, "c", "q2");
    subscribed(store, "d", "");
    ScriptedPoster poster;
    const auto delivered = push_to_queue(store, poster, "q1", "hello");
    REQUIRE(delivered);
    CHECK(*delivered == 2);
    using Posted = std::vector<std::pair<std::string, std::string>>;
    CHECK(poster.posted == Posted{{"a", "hello"}, {"b", "hello"}});
}

TEST_CASE("push to queue deletes a gone connection's record and does not count it", "[queue_push]") {
    InMemoryConnectionStore store;
    subscribed(store, "a", "q1");
    subscribed(store, "b", "q1");
    ScriptedPoster poster;
    poster.answers.emplace("b", PostOutcome::gone);
    const auto delivered = push_to_queue(store, poster, "q1", "hello");
    REQUIRE(delivered);
    CHECK(*delivered == 1);
    CHECK(*store.get_connection("a"));
    CHECK_FALSE(*store.get_connection("b"));
}

TEST_CASE("push to queue skips a failed post, and reports the error when nothing was delivered", "[queue_push]") {
    InMemoryConnectionStore store;
    subscribed(store, "a", "q1");
    subscribed(store, "b", "q1");
    ScriptedPoster poster;
    poster.answers.emplace("a", make_error(ErrorCode::endpoint_unreachable, "down"));
    auto delivered = push_to_queue(store, poster, "q1", "x");
    REQUIRE(delivered);
    CHECK(*delivered == 1);
    CHECK(*store.get_connection("a"));  // an error is not "gone"

    poster.answers.emplace("b", make_error(ErrorCode::endpoint_unreachable, "down"));
    delivered = push_to_queue(store, poster, "q1", "x");
    REQUIRE_FALSE(delivered);
    CHECK(delivered.error().code == ErrorCode::endpoint_unreachable);
}

TEST_CASE("push to a queue no one subscribed to delivers to none", "[queue_push]") {
    InMemoryConnectionStore store;
    ScriptedPoster poster;
    const auto delivered = push_to_queue(store, poster, "q1", "x");
    REQUIRE(delivered);
    CHECK(*delivered == 0);
    CHECK(poster.posted.empty());
}
