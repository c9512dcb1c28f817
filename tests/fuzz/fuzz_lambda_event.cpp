// A Lambda event as the bootstrap receives it from the Runtime API: any bytes. Never crashes;
// whatever parses and classifies converts to a Request (or a WebSocket event) or a bad_request,
// and a converted request's response converts back to JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/http/url.hpp"
#include "lambda/events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    (void)otts::url::parse_query(input);
    const auto event = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded()) return 0;
    const auto kind = otts::lambda::classify(event);
    if (!kind) return 0;
    if (*kind == otts::lambda::EventKind::websocket) {
        (void)otts::lambda::to_websocket_event(event);
        return 0;
    }
    const auto request = otts::lambda::to_request(event);
    if (!request) return 0;
    otts::http::Response echo;
    echo.status = 200;
    echo.body = request->body;  // any bytes: the converter must pick base64 when they are not UTF-8
    const auto answer = otts::lambda::to_response_json(echo);
    if (!answer.contains("statusCode")) std::abort();
    return 0;
}
