// jwt::decode and jwt::verify on arbitrary text with a fixed HS256 + ES256 key set. Checks,
// besides "no crash": verify never accepts what decode refuses, and returns decode's payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/jose/jwt.hpp"

namespace {

// RFC 7515 A.3's P-256 key; public, fine for a fuzz harness.
constexpr const char* k_es_jwk =
    R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"})";
constexpr otts::UnixSeconds k_now = 1'700'000'000;

const otts::jwt::KeySet& keys() {
    static const otts::jwt::KeySet set{
        otts::jwt::Key::hs256("otts-fuzz-hs256-secret-0123456789", "hs").value(),
        otts::jwt::Key::hs256(std::string(64, 'k')).value(),
        otts::jwt::Key::es256(otts::crypto::PKey::from_jwk(k_es_jwk).value(), "es").value(),
    };
    return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view token(reinterpret_cast<const char*>(data), size);
    const auto decoded = otts::jwt::decode(token);
    if (decoded) {
        if (!decoded->header.is_object() || !decoded->payload.is_object()) std::abort();
    }
    const auto verified = otts::jwt::verify(token, keys(), {k_now});
    if (verified && (!decoded || *verified != decoded->payload)) std::abort();
    return 0;
}
