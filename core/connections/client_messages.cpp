#include "core/connections/client_messages.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/encoding/json_text.hpp"
#include "core/encoding/time_format.hpp"

namespace otts {
namespace {

using nlohmann::json;

// `requestId` as sent, for the replies that echo it.
void echo_request_id(json& reply, const json& message) {
    if (message.is_object()) {
        if (auto it = message.find("requestId"); it != message.end()) reply["requestId"] = *it;
    }
}

std::string error_reply(std::string error, const json& message, std::int64_t now_ms) {
    json reply = {{"type", "error"}, {"error", std::move(error)}};
    echo_request_id(reply, message);
    reply["timestamp"] = iso8601_ms(now_ms);
    return json_text(reply);
}

// data.queueId, else queueId; nullopt when neither is a usable id (the original's `!queueId`).
std::optional<std::string> queue_id_of(const json& message) {
    const json* candidate = nullptr;
    if (auto data = message.find("data"); data != message.end() && data->is_object()) {
        if (auto it = data->find("queueId"); it != data->end()) candidate = &*it;
    }
    if (!candidate) {
        if (auto it = message.find("queueId"); it != message.end()) candidate = &*it;
    }
    if (!candidate || !candidate->is_string()) return std::nullopt;
    auto id = candidate->get<std::string>();
    if (!valid_queue_id(id)) return std::nullopt;
    return id;
}

std::string change_subscription(bool subscribe, const json& message, std::int64_t now_ms,
                                const ApplySubscription& apply) {
    const std::string what = subscribe ? "subscription" : "unsubscription";
    auto queue_id = queue_id_of(message);
    if (!queue_id) return error_reply("queueId is required for " + what, message, now_ms);
    switch (apply(SubscriptionChange{subscribe, *queue_id})) {
        case SubscriptionOutcome::done: break;
        case SubscriptionOutcome::connection_not_found: return error_reply("Connection not found", message, now_ms);
        case SubscriptionOutcome::failed:
            return error_reply(subscribe ? "Subscription failed" : "Unsubscription failed", message, now_ms);
    }
    json reply = {{"type", subscribe ? "subscription_confirmed" : "unsubscription_confirmed"}, {"queueId", *queue_id}};
    echo_request_id(reply, message);
    return json_text(reply);
}

// How JavaScript's template literal would print message.action.
std::string action_text(const json& message) {
    if (!message.is_object() || !message.contains("action")) return "undefined";
    const auto& action = message["action"];
    return action.is_string() ? action.get<std::string>() : json_text(action);
}

}  // namespace

bool valid_queue_id(std::string_view queue_id) {
    if (queue_id.empty() || queue_id.size() > k_max_queue_id) return false;
    return std::none_of(queue_id.begin(), queue_id.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string iso8601_ms(std::int64_t ms) {
    const auto seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    auto text = iso8601(seconds);  // "...:SSZ"
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(ms - seconds * 1000));
    text.pop_back();
    return text + fraction;
}

std::string reply_to_client_message(std::string_view text, std::string_view connection_id, std::int64_t now_ms,
                                    const ApplySubscription& apply) {
    // The original parses `event.body || "{}"`: an empty message is an empty object.
    const auto message = json::parse(text.empty() ? std::string_view("{}") : text, nullptr, false);
    if (message.is_discarded()) return error_reply("Invalid JSON format", json(), now_ms);
    const auto action = message.is_object() ? message.value("action", json()) : json();
    if (action == "get_client_connectionId") {
        return json_text({{"type", "client_connectionId"}, {"connectionId", std::string(connection_id)}});
    }
    if (action == "ping") {
        json reply = {{"type", "pong"}, {"timestamp", iso8601_ms(now_ms)}};
        echo_request_id(reply, message);
        return json_text(reply);
    }
    if (action == "subscribe") return change_subscription(true, message, now_ms, apply);
    if (action == "unsubscribe") return change_subscription(false, message, now_ms, apply);
    return error_reply("Unknown action: " + action_text(message), message, now_ms);
}

}  // namespace otts
