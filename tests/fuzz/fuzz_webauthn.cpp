// The WebAuthn attestation parser (POST /auth/validate-credential) on arbitrary bytes: the
// input is the attestation object, checked with a fixed, valid clientData. Never crashes,
// never allocates what the input only claims (libcbor's container sizes); an allowed verdict
// carries a canonical AAGUID.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/auth/webauthn.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const otts::CredentialPolicy policy{"http://localhost:3000", {}, false};
    static constexpr std::string_view client_data =
        R"({"type":"webauthn.create","challenge":"AAAA","origin":"http://localhost:3000"})";
    const std::string_view attestation(reinterpret_cast<const char*>(data), size);
    const auto verdict = otts::check_credential(attestation, client_data, policy);
    if (verdict.allowed && (!verdict.device || verdict.device->aaguid.size() != 36)) std::abort();
    return 0;
}
