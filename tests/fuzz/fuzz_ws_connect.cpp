// The S4 $connect inputs a client controls: the request target's query and the
// Sec-WebSocket-Protocol header, plus connection ids from /@connections/{id}. Never crashes;
// a selected subprotocol is always one the client offered; an accepted id is one path segment.
// The whole input is also a client message: its one reply is always a JSON object with a type.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/connections/client_messages.hpp"
#include "core/connections/connections.hpp"

namespace {

class FixedClock final : public otts::Clock {
public:
    otts::UnixSeconds now() const override { return 1'700'000'000; }
};

const otts::UserTokens& tokens() {
    static const FixedClock clock;
    static const otts::UserTokens user_tokens(clock, {otts::jwt::Key::hs256(std::string(32, 'k'), "k1").value()});
    return user_tokens;
}

}  // namespace

// Input: the request target, a newline, then the Sec-WebSocket-Protocol header value.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const auto target = input.substr(0, newline);
    const auto header = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);

    const auto token = otts::query_parameter(target, "token");
    const auto identity = otts::resolve_connect_identity(tokens(), token, header);
    if (identity.protocol && header.find(*identity.protocol) == std::string_view::npos) std::abort();
    if (identity.protocol && identity.protocol->empty()) std::abort();
    if (identity.user_id) std::abort();  // nothing here is signed with the key

    if (otts::valid_connection_id(target)) {
        if (target.find('/') != std::string_view::npos || target.find('.') != std::string_view::npos) std::abort();
    }

    const auto reply = otts::reply_to_client_message(input, "AbCdEfGhIjKlMnO=", 1'700'000'000'000,
                                                     [](const otts::SubscriptionChange& change) {
                                                         if (!otts::valid_queue_id(change.queue_id)) std::abort();
                                                         return otts::SubscriptionOutcome::done;
                                                     });
    const auto parsed = nlohmann::json::parse(reply, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("type")) std::abort();
    return 0;
}
