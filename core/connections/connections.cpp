#include "core/connections/connections.hpp"

#include <algorithm>

#include "core/encoding/base64.hpp"
#include "core/encoding/text.hpp"
#include "core/http/url.hpp"

namespace otts {

void InMemoryConnectionRegistry::add(ConnectionInfo info, const std::shared_ptr<ConnectionSink>& sink) {
    std::lock_guard lock(m_mutex);
    std::string id = info.id;
    m_entries.insert_or_assign(std::move(id), Entry{std::move(info), sink});
}

std::optional<ConnectionInfo> InMemoryConnectionRegistry::get(std::string_view id) const {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(std::string(id));
    // A dead sink is gone even before anyone noticed: answer as API Gateway would.
    if (it == m_entries.end() || it->second.sink.expired()) return std::nullopt;
    return it->second.info;
}

bool InMemoryConnectionRegistry::remove(std::string_view id) {
    std::lock_guard lock(m_mutex);
    return m_entries.erase(std::string(id)) > 0;
}

std::vector<ConnectionInfo> InMemoryConnectionRegistry::list() const {
    std::lock_guard lock(m_mutex);
    std::vector<ConnectionInfo> out;
    for (const auto& [id, entry] : m_entries) {
        if (!entry.sink.expired()) out.push_back(entry.info);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

void InMemoryConnectionRegistry::touch(std::string_view id, UnixSeconds now) {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(std::string(id));
    if (it != m_entries.end()) it->second.info.last_active_at = std::max(it->second.info.last_active_at, now);
}

std::shared_ptr<ConnectionSink> InMemoryConnectionRegistry::live_sink_locked(std::string_view id) {
    auto it = m_entries.find(std::string(id));
    if (it == m_entries.end()) return nullptr;
    auto sink = it->second.sink.lock();
    if (!sink) m_entries.erase(it);
    return sink;
}

bool InMemoryConnectionRegistry::post(std::string_view id, std::string data) {
    std::shared_ptr<ConnectionSink> sink;
    {
        std::lock_guard lock(m_mutex);
        sink = live_sink_locked(id);
    }
    // Outside the lock: the sink may call back into the registry (remove on failure).
    return sink && sink->send(std::move(data));
}

bool InMemoryConnectionRegistry::close(std::string_view id) {
    std::shared_ptr<ConnectionSink> sink;
    {
        std::lock_guard lock(m_mutex);
        sink = live_sink_locked(id);
        if (sink) m_entries.erase(std::string(id));
    }
    if (sink) sink->close();
    return sink != nullptr;
}

SubscriptionOutcome InMemoryConnectionRegistry::change_subscription(std::string_view id,
                                                                    const SubscriptionChange& change) {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(std::string(id));
    if (it == m_entries.end() || it->second.sink.expired()) return SubscriptionOutcome::connection_not_found;
    auto& queues = it->second.info.queue_ids;
    if (change.subscribe) {
        queues.insert(change.queue_id);
    } else {
        queues.erase(change.queue_id);
    }
    return SubscriptionOutcome::done;
}

std::size_t InMemoryConnectionRegistry::post_to_queue(std::string_view queue_id, const std::string& data) {
    std::vector<std::shared_ptr<ConnectionSink>> sinks;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [id, entry] : m_entries) {
            if (!entry.info.queue_ids.contains(queue_id)) continue;
            if (auto sink = entry.sink.lock()) sinks.push_back(std::move(sink));
        }
    }
    // Outside the lock, as in post().
    std::size_t delivered = 0;
    for (const auto& sink : sinks) delivered += sink->send(data) ? 1 : 0;
    return delivered;
}

std::string new_connection_id(Random& random) { return base64url_encode(random.bytes(11)) + "="; }

bool valid_connection_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '=' || c == '+';
    });
}

namespace {

std::optional<std::string> user_of(const UserTokens& tokens, std::string_view token) {
    if (token.empty()) return std::nullopt;
    auto claims = tokens.check(token);
    if (!claims) return std::nullopt;
    const auto& user = (*claims)["userId"];
    if (user.is_string()) return user.get<std::string>();
    return user.is_null() ? std::nullopt : std::optional<std::string>(user.dump());
}

std::vector<std::string_view> split_protocols(std::string_view header) {
    std::vector<std::string_view> out;
    while (!header.empty()) {
        auto comma = header.find(',');
        auto item = trim(header.substr(0, comma));
        if (!item.empty()) out.push_back(item);
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace

std::optional<std::string> query_parameter(std::string_view target, std::string_view name) {
    auto q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    const auto query = target.substr(q + 1);
    for (const auto& [raw_name, raw_value] : url::split_pairs(query.substr(0, query.find('#')))) {
        if (raw_name == name) return url::percent_decode(raw_value);
    }
    return std::nullopt;
}

ConnectIdentity resolve_connect_identity(const UserTokens& tokens, std::optional<std::string_view> query_token,
                                         std::optional<std::string_view> protocol_header) {
    ConnectIdentity identity;
    if (query_token) identity.user_id = user_of(tokens, *query_token);
    auto offered = protocol_header ? split_protocols(*protocol_header) : std::vector<std::string_view>{};
    for (auto protocol : offered) {
        if (identity.user_id) break;
        if ((identity.user_id = user_of(tokens, protocol))) identity.protocol = std::string(protocol);
    }
    if (!identity.protocol && !offered.empty()) identity.protocol = std::string(offered.front());
    return identity;
}

nlohmann::json connected_message(const ConnectionInfo& info) {
    return {{"message", "Connected"},
            {"connectionId", info.id},
            {"userId", info.user_id ? nlohmann::json(*info.user_id) : nlohmann::json(nullptr)}};
}

}  // namespace otts
