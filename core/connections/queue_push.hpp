#pragma once
// A push to a queue where another service holds the sockets (the Lambda: API Gateway): the
// subscribers come from the ConnectionStore's records, and each is reached through a
// ConnectionPoster (API Gateway's management API, PostToConnection).
#include <cstddef>
#include <string>

#include "core/connections/connection_store.hpp"
#include "core/result.hpp"

namespace otts {

enum class PostOutcome {
    delivered,
    gone,  // the connection no longer exists (410 GoneException)
};

// The port: sends one message to one connection held elsewhere.
class ConnectionPoster {
public:
    virtual ~ConnectionPoster() = default;
    // An Error when no verdict came (unreachable, refused, throttled past the retries).
    virtual Result<PostOutcome> post_to_connection(const std::string& id, const std::string& data) = 0;
};

// Posts `data` to every subscriber of `queue_id` the store names; returns how many took it.
// A gone connection's record is deleted and not counted. A post that fails with an error is
// skipped (the others still get the message); if none was delivered, the first such error is
// returned, so an unreachable endpoint is not reported as "0 subscribers". store_error when the
// subscribers cannot be read.
Result<std::size_t> push_to_queue(ConnectionStore& store, ConnectionPoster& poster, const std::string& queue_id,
                                  const std::string& data);

}  // namespace otts
