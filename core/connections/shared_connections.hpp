#pragma once
// The connection registry of an `otts serve` that shares its store with other instances: the
// sockets stay in the process (a local InMemoryConnectionRegistry), the records go to the
// shared ConnectionStore with this instance's URL as their owner, and a push or close for a
// connection another instance holds is forwarded to that instance's own /@connections/{id}.
// So any instance answers for any connection, as API Gateway's one endpoint does.
#include <functional>
#include <string>

#include "core/connections/connection_store.hpp"
#include "core/connections/connections.hpp"
#include "core/http/http.hpp"
#include "core/result.hpp"

namespace otts {

// Sends `request` to the instance at `owner` (a base URL); the answer's status, or an error
// when it could not be reached.
using ForwardToOwner = std::function<Result<int>(const std::string& owner, const http::Request& request)>;

class SharedConnectionRegistry final : public ConnectionRegistry {
public:
    SharedConnectionRegistry(ConnectionStore& store, std::string self_url, ForwardToOwner forward);

    void add(ConnectionInfo info, const std::shared_ptr<ConnectionSink>& sink) override;
    std::optional<ConnectionInfo> get(std::string_view id) const override;
    bool remove(std::string_view id) override;
    std::vector<ConnectionInfo> list() const override;
    void touch(std::string_view id, UnixSeconds now) override;
    bool post(std::string_view id, std::string data) override;
    bool close(std::string_view id) override;
    // The subscription is kept here and in the connection's shared record, so that a push to
    // the queue through any instance finds it.
    SubscriptionOutcome change_subscription(std::string_view id, const SubscriptionChange& change) override;
    // Every subscriber the shared records name, reached locally or through its owner; only
    // this instance's when the store cannot be read.
    std::size_t post_to_queue(std::string_view queue_id, const std::string& data) override;

private:
    // The record of a connection another instance holds, if any.
    std::optional<ConnectionInfo> remote_record(std::string_view id) const;
    // True when the owner answered 2xx.
    bool forward(const ConnectionInfo& info, std::string method, std::string body) const;

    InMemoryConnectionRegistry m_local;
    ConnectionStore& m_store;
    std::string m_self_url;
    ForwardToOwner m_forward;
};

}  // namespace otts
