#include "core/connections/client_messages.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace otts;
using nlohmann::json;

namespace {

constexpr std::int64_t k_now_ms = 1'754'994'600'123;  // 2025-08-12T10:30:00.123Z

// Records the changes asked for and answers `outcome`.
struct Subscriptions {
    std::vector<std::pair<bool, std::string>> changes;
    SubscriptionOutcome outcome = SubscriptionOutcome::done;
    ApplySubscription apply() {
        return [this](const SubscriptionChange& c) {
            changes.emplace_back(c.subscribe, c.queue_id);
            return outcome;
        };
    }
};

json reply(std::string_view text, Subscriptions& subs) {
    return json::parse(reply_to_client_message(text, "AbCdEfGhIjKlMnO=", k_now_ms, subs.apply()));
}

}  // namespace

TEST_CASE("get_client_connectionId answers the connection's id", "[connections][s4][actions]") {
    Subscriptions subs;
    CHECK(reply(R"({"action":"get_client_connectionId"})", subs) ==
          json{{"type", "client_connectionId"}, {"connectionId", "AbCdEfGhIjKlMnO="}});
}

TEST_CASE("ping answers pong with a JavaScript ISO timestamp and the requestId as sent", "[connections][s4][actions]") {
    Subscriptions subs;
    CHECK(reply(R"({"action":"ping","requestId":"r-1"})", subs) ==
          json{{"type", "pong"}, {"timestamp", "2025-08-12T10:30:00.123Z"}, {"requestId", "r-1"}});
    // No requestId: none in the reply (JSON.stringify drops undefined); a number stays a number.
    CHECK(reply(R"({"action":"ping"})", subs) == json{{"type", "pong"}, {"timestamp", "2025-08-12T10:30:00.123Z"}});
    CHECK(reply(R"({"action":"ping","requestId":7})", subs)["requestId"] == 7);
    CHECK(subs.changes.empty());
}

TEST_CASE("subscribe and unsubscribe read data.queueId, apply the change and confirm", "[connections][s4][actions]") {
    Subscriptions subs;
    CHECK(reply(R"({"action":"subscribe","data":{"queueId":"q-1"},"requestId":"a"})", subs) ==
          json{{"type", "subscription_confirmed"}, {"queueId", "q-1"}, {"requestId", "a"}});
    CHECK(reply(R"({"action":"unsubscribe","data":{"queueId":"q-1"}})", subs) ==
          json{{"type", "unsubscription_confirmed"}, {"queueId", "q-1"}});
    // A top-level queueId is read too (data wins when both are there).
    CHECK(reply(R"({"action":"subscribe","queueId":"q-2"})", subs)["queueId"] == "q-2");
    CHECK(reply(R"({"action":"subscribe","queueId":"x","data":{"queueId":"q-3"}})", subs)["queueId"] == "q-3");
    CHECK(subs.changes ==
          std::vector<std::pair<bool, std::string>>{{true, "q-1"}, {false, "q-1"}, {true, "q-2"}, {true, "q-3"}});
}

TEST_CASE("a subscribe without a usable queueId is an error and changes nothing", "[connections][s4][actions]") {
    Subscriptions subs;
    for (const char* text : {R"({"action":"subscribe"})", R"({"action":"subscribe","data":{"queueId":""}})",
                             R"({"action":"subscribe","data":{"queueId":5}})", R"({"action":"subscribe","data":"q"})",
                             "{\"action\":\"subscribe\",\"queueId\":\"a\\u0000b\"}"}) {
        CHECK(reply(text, subs) == json{{"type", "error"},
                                        {"error", "queueId is required for subscription"},
                                        {"timestamp", "2025-08-12T10:30:00.123Z"}});
    }
    const auto too_long =
        json{{"action", "unsubscribe"}, {"queueId", std::string(k_max_queue_id + 1, 'q')}, {"requestId", "z"}};
    CHECK(reply(too_long.dump(), subs) == json{{"type", "error"},
                                               {"error", "queueId is required for unsubscription"},
                                               {"requestId", "z"},
                                               {"timestamp", "2025-08-12T10:30:00.123Z"}});
    CHECK(subs.changes.empty());
}

TEST_CASE("a change the store refuses is answered with the original's errors", "[connections][s4][actions]") {
    Subscriptions subs;
    subs.outcome = SubscriptionOutcome::connection_not_found;
    CHECK(reply(R"({"action":"subscribe","data":{"queueId":"q"},"requestId":"r"})", subs)["error"] ==
          "Connection not found");
    subs.outcome = SubscriptionOutcome::failed;
    CHECK(reply(R"({"action":"subscribe","data":{"queueId":"q"}})", subs)["error"] == "Subscription failed");
    CHECK(reply(R"({"action":"unsubscribe","data":{"queueId":"q"}})", subs)["error"] == "Unsubscription failed");
}

TEST_CASE("bad JSON and unknown actions answer an error, never throw", "[connections][s4][actions]") {
    Subscriptions subs;
    CHECK(reply("{not json", subs) ==
          json{{"type", "error"}, {"error", "Invalid JSON format"}, {"timestamp", "2025-08-12T10:30:00.123Z"}});
    CHECK(reply("\xff\xfe", subs)["error"] == "Invalid JSON format");
    CHECK(reply(R"({"action":"fly","requestId":"q"})", subs) == json{{"type", "error"},
                                                                     {"error", "Unknown action: fly"},
                                                                     {"requestId", "q"},
                                                                     {"timestamp", "2025-08-12T10:30:00.123Z"}});
    CHECK(reply("", subs)["error"] == "Unknown action: undefined");  // the original reads "" as {}
    CHECK(reply("[1,2]", subs)["error"] == "Unknown action: undefined");
    CHECK(reply("null", subs)["error"] == "Unknown action: undefined");
    CHECK(reply(R"({"action":5})", subs)["error"] == "Unknown action: 5");
    CHECK(subs.changes.empty());
}

TEST_CASE("iso8601_ms prints milliseconds as JavaScript does", "[connections][s4][actions]") {
    CHECK(iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
    CHECK(iso8601_ms(1'700'000'000'005) == "2023-11-14T22:13:20.005Z");
    CHECK(valid_queue_id("a"));
    CHECK_FALSE(valid_queue_id(""));
    CHECK_FALSE(valid_queue_id("a\nb"));
}
