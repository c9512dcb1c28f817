// Strict base64url / base64 / hex decoding: never crashes, and whatever decodes re-encodes to
// exactly the input (one encoding per byte string, which is what "strict" promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/encoding/base64.hpp"

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto bytes = otts::base64url_decode(text)) {
        if (otts::base64url_encode(*bytes) != text) std::abort();
    }
    if (const auto bytes = otts::base64_decode(text)) {
        if (otts::base64_encode(*bytes) != text) std::abort();
    }
    if (const auto bytes = otts::hex_decode(text)) {
        if (otts::hex_encode(*bytes) != lower(text)) std::abort();
    }
    // Encoding arbitrary bytes always decodes back.
    if (otts::base64url_decode(otts::base64url_encode(text)) != text) std::abort();
    if (otts::base64_decode(otts::base64_encode(text)) != text) std::abort();
    return 0;
}
