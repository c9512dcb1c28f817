#pragma once
// A ConnectionStore in a map, for the Lambda handler's tests; `fail` makes every call a
// store_error, as an unreachable DynamoDB would.
#include <map>
#include <string>

#include "core/connections/connection_store.hpp"

namespace otts::test {

class FakeConnectionStore final : public ConnectionStore {
public:
    bool fail = false;
    std::map<std::string, ConnectionInfo> records;

    Result<void> put_connection(const ConnectionInfo& info) override {
        if (fail) return make_error(ErrorCode::store_error, "fake store is down");
        records[info.id] = info;
        return Ok{};
    }
    Result<std::optional<ConnectionInfo>> get_connection(const std::string& id) override {
        if (fail) return make_error(ErrorCode::store_error, "fake store is down");
        auto it = records.find(id);
        return it == records.end() ? std::optional<ConnectionInfo>() : it->second;
    }
    Result<bool> delete_connection(const std::string& id) override {
        if (fail) return make_error(ErrorCode::store_error, "fake store is down");
        return records.erase(id) > 0;
    }
    Result<std::vector<ConnectionInfo>> list_connections() override {
        if (fail) return make_error(ErrorCode::store_error, "fake store is down");
        std::vector<ConnectionInfo> out;
        for (const auto& [id, info] : records) out.push_back(info);
        return out;
    }
    Result<bool> change_subscription(const std::string& id, const SubscriptionChange& change) override {
        if (fail) return make_error(ErrorCode::store_error, "fake store is down");
        auto it = records.find(id);
        if (it == records.end()) return false;
        if (change.subscribe) {
            it->second.queue_ids.insert(change.queue_id);
        } else {
            it->second.queue_ids.erase(change.queue_id);
        }
        return true;
    }
    Result<std::vector<std::string>> subscribers(const std::string& queue_id) override {
        if (fail) return make_error(ErrorCode::store_error, "fake store is down");
        std::vector<std::string> out;
        for (const auto& [id, info] : records) {
            if (info.queue_ids.contains(queue_id)) out.push_back(id);
        }
        return out;
    }
};

}  // namespace otts::test
