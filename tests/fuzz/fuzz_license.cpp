// Licenses::verify on arbitrary license text (base64 of a compact JWT, or a bare JWT) with a
// fixed ES256 key and clock: never crashes; an accepted license has the claims it promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/tokens/licenses.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/seeded_random.hpp"

namespace {

constexpr const char* k_es_jwk =
    R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"})";

const otts::Licenses& licenses() {
    static otts::test::FakeClock clock(1'700'000'000);
    static otts::test::SeededRandom random;
    static const otts::Licenses instance(
        clock, random, {otts::jwt::Key::es256(otts::crypto::PKey::from_jwk(k_es_jwk).value()).value()});
    return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto license = licenses().verify(text);
    if (license) {
        if (!license->claims["email"].is_string() || license->key_hash.rfind("sha256:", 0) != 0) std::abort();
        if (license->key_hash != otts::license_key_hash(license->text)) std::abort();
    }
    return 0;
}
