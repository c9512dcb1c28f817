#include "core/connections/connection_store.hpp"

namespace otts {

Result<void> InMemoryConnectionStore::put_connection(const ConnectionInfo& info) {
    const std::lock_guard lock(m_mutex);
    m_records.insert_or_assign(info.id, info);
    return Ok{};
}

Result<std::optional<ConnectionInfo>> InMemoryConnectionStore::get_connection(const std::string& id) {
    const std::lock_guard lock(m_mutex);
    auto it = m_records.find(id);
    if (it == m_records.end()) return std::optional<ConnectionInfo>{};
    return std::optional<ConnectionInfo>{it->second};
}

Result<bool> InMemoryConnectionStore::delete_connection(const std::string& id) {
    const std::lock_guard lock(m_mutex);
    return m_records.erase(id) > 0;
}

Result<std::vector<ConnectionInfo>> InMemoryConnectionStore::list_connections() {
    const std::lock_guard lock(m_mutex);
    std::vector<ConnectionInfo> out;
    out.reserve(m_records.size());
    for (const auto& [id, info] : m_records) out.push_back(info);
    return out;
}

Result<bool> InMemoryConnectionStore::change_subscription(const std::string& id, const SubscriptionChange& change) {
    const std::lock_guard lock(m_mutex);
    auto it = m_records.find(id);
    if (it == m_records.end()) return false;
    if (change.subscribe) {
        it->second.queue_ids.insert(change.queue_id);
    } else {
        it->second.queue_ids.erase(change.queue_id);
    }
    return true;
}

Result<std::vector<std::string>> InMemoryConnectionStore::subscribers(const std::string& queue_id) {
    const std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& [id, info] : m_records) {
        if (info.queue_ids.contains(queue_id)) out.push_back(id);
    }
    return out;
}

}  // namespace otts
