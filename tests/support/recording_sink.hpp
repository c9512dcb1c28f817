#pragma once
// A WebSocket connection's sink that keeps what it was sent, and refuses sends once closed as a
// real socket does.
#include <string>
#include <vector>

#include "core/connections/connections.hpp"

namespace otts::test {

class RecordingSink final : public ConnectionSink {
public:
    bool send(std::string data) override {
        if (closed) return false;
        sent.push_back(std::move(data));
        return true;
    }
    void close() override { closed = true; }
    std::vector<std::string> sent;
    bool closed = false;
};

}  // namespace otts::test
