#include "core/connections/shared_connections.hpp"

namespace otts {

SharedConnectionRegistry::SharedConnectionRegistry(ConnectionStore& store, std::string self_url, ForwardToOwner forward)
    : m_store(store), m_self_url(std::move(self_url)), m_forward(std::move(forward)) {}

void SharedConnectionRegistry::add(ConnectionInfo info, const std::shared_ptr<ConnectionSink>& sink) {
    info.owner = m_self_url;
    // A record that cannot be written only hides the connection from the other instances;
    // this one still serves it.
    (void)m_store.put_connection(info);
    m_local.add(std::move(info), sink);
}

std::optional<ConnectionInfo> SharedConnectionRegistry::get(std::string_view id) const {
    if (auto info = m_local.get(id)) return info;
    return remote_record(id);
}

bool SharedConnectionRegistry::remove(std::string_view id) {
    const bool local = m_local.remove(id);
    auto deleted = m_store.delete_connection(std::string(id));
    return local || (deleted && *deleted);
}

std::vector<ConnectionInfo> SharedConnectionRegistry::list() const {
    auto records = m_store.list_connections();
    if (!records) return m_local.list();
    // Records of sockets that died here without a clean close are not listed.
    std::vector<ConnectionInfo> live;
    for (auto& info : *records) {
        if (info.owner != m_self_url || m_local.get(info.id)) live.push_back(std::move(info));
    }
    return live;
}

void SharedConnectionRegistry::touch(std::string_view id, UnixSeconds now) { m_local.touch(id, now); }

bool SharedConnectionRegistry::post(std::string_view id, std::string data) {
    if (m_local.post(id, data)) return true;
    auto info = remote_record(id);
    return info && forward(*info, "POST", std::move(data));
}

bool SharedConnectionRegistry::close(std::string_view id) {
    if (m_local.close(id)) {
        (void)m_store.delete_connection(std::string(id));
        return true;
    }
    auto info = remote_record(id);
    return info && forward(*info, "DELETE", {});
}

SubscriptionOutcome SharedConnectionRegistry::change_subscription(std::string_view id,
                                                                  const SubscriptionChange& change) {
    const auto before = m_local.get(id);
    const bool had = before && before->queue_ids.contains(change.queue_id);
    const auto local = m_local.change_subscription(id, change);
    if (local != SubscriptionOutcome::done) return local;
    auto stored = m_store.change_subscription(std::string(id), change);
    bool ok = stored.ok();
    if (ok && !*stored) {
        // The record was never written (or expired): write it again, subscriptions included.
        auto info = m_local.get(id);
        ok = info && m_store.put_connection(*info).ok();
    }
    if (ok) return SubscriptionOutcome::done;
    // Answered "failed": put this instance back as it was, so that it and the others agree.
    (void)m_local.change_subscription(id, {had, change.queue_id});
    return SubscriptionOutcome::failed;
}

std::size_t SharedConnectionRegistry::post_to_queue(std::string_view queue_id, const std::string& data) {
    auto subscribers = m_store.subscribers(std::string(queue_id));
    if (!subscribers) return m_local.post_to_queue(queue_id, data);
    std::size_t delivered = 0;
    for (const auto& id : *subscribers) delivered += post(id, data) ? 1 : 0;
    return delivered;
}

std::optional<ConnectionInfo> SharedConnectionRegistry::remote_record(std::string_view id) const {
    auto record = m_store.get_connection(std::string(id));
    if (!record || !*record || (*record)->owner.empty() || (*record)->owner == m_self_url) return std::nullopt;
    return std::move(**record);
}

bool SharedConnectionRegistry::forward(const ConnectionInfo& info, std::string method, std::string body) const {
    http::Request request;
    request.method = std::move(method);
    request.path = "/@connections/" + info.id;
    request.body = std::move(body);
    auto status = m_forward(info.owner, request);
    return status && *status >= 200 && *status < 300;
}

}  // namespace otts
