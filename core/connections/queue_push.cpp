#include "core/connections/queue_push.hpp"

#include <optional>

namespace otts {

Result<std::size_t> push_to_queue(ConnectionStore& store, ConnectionPoster& poster, const std::string& queue_id,
                                  const std::string& data) {
    OTTS_TRY(const auto subscribers, store.subscribers(queue_id));
    std::size_t delivered = 0;
    std::optional<Error> first_error;
    for (const auto& id : subscribers) {
        auto outcome = poster.post_to_connection(id, data);
        if (!outcome) {
            if (!first_error) first_error = outcome.error();
            continue;
        }
        if (*outcome == PostOutcome::delivered) {
            ++delivered;
        } else {
            // API Gateway closed it without a $disconnect we saw (or before it ran): forget it, as
            // PornSpot's broadcast does on GoneException. A failed delete only leaves a stale
            // record that the next push tries again.
            (void)store.delete_connection(id);
        }
    }
    if (delivered == 0 && first_error) return *first_error;
    return delivered;
}

}  // namespace otts
