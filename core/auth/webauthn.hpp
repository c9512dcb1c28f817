#pragma once
// WebAuthn registration checks of the l42 token handler's POST /auth/validate-credential: parses
// the attestation object a browser returns from navigator.credentials.create(), checks its
// clientDataJSON and applies the AAGUID allow-list and device-bound policies. Pure: bytes in,
// values out.
//
// This is a policy gate in front of registration, not a registration ceremony: it verifies no
// attestation signature, no rpIdHash and no challenge against one the server issued (the
// identity provider does that when the credential is registered). Like the original, it only
// reads what the authenticator claims about itself.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace otts {

// WebAuthn L3 §6.5.1: relying parties should reject longer credential IDs.
inline constexpr std::size_t k_max_credential_id_length = 1023;

struct CredentialPolicy {
    // clientData.origin must equal this exactly (one trailing '/' here is ignored, as the
    // original trims it from FRONTEND_URL). Empty: any origin.
    std::string expected_origin;
    // AAGUIDs in canonical 8-4-4-4-12 form, compared case-insensitively. Empty: any AAGUID.
    std::vector<std::string> aaguid_allowlist;
    // Reject backup-eligible (synced or syncable) credentials.
    bool require_device_bound = false;
};

// What the authenticator data of a registration says about the new credential.
struct AttestedCredential {
    std::string fmt;                  // attestation statement format ("none", "packed", ...)
    std::string aaguid;               // canonical lowercase 8-4-4-4-12
    std::string rp_id_hash;           // raw 32 bytes (not checked here)
    std::string credential_id;        // raw bytes, 1..k_max_credential_id_length
    std::string public_key_cose;      // raw CBOR bytes of the COSE_Key
    std::int64_t public_key_alg = 0;  // COSE "alg" (label 3) of that key: -7 ES256, -8 EdDSA, -257 RS256
    std::uint32_t sign_count = 0;
    bool user_present = false;     // UP 0x01
    bool user_verified = false;    // UV 0x04
    bool backup_eligible = false;  // BE 0x08: may be synced (a passkey); false = device-bound
    bool backup_state = false;     // BS 0x10: is backed up now
};

// Parses a CBOR attestation object {"fmt": text, "attStmt": map, "authData": bytes} and its
// authenticator data: rpIdHash(32) flags(1) signCount(4), then the attested credential data that
// a registration must carry (AT 0x40): AAGUID(16) credIdLen(2, big endian) credId, a COSE_Key
// map with an integer alg, then an extensions map iff ED 0x80. Every length is bounds-checked;
// trailing bytes (after the object, the key or the extensions), duplicate keys, indefinite-length
// strings and declared sizes larger than the input are rejected.
// Errors: bad_request, detail a short reason ("authData too short: 20 bytes (minimum 37)").
Result<AttestedCredential> parse_attestation(std::string_view attestation_object);

struct CredentialVerdict {
    bool allowed = false;
    // Why not allowed (empty when allowed). Short, human, safe to return to the client.
    std::string reason;
    // True when the request itself is bad (clientData or attestation object malformed or not a
    // registration for this origin: the original answers 400); false for a policy denial of a
    // well-formed credential (the original's 403, "credential rejected").
    bool malformed = false;
    // The parsed credential, whenever parsing succeeded (also when a policy denied it).
    std::optional<AttestedCredential> device;
};

// Checks, in the original's order: clientDataJSON (a JSON object with type "webauthn.create", a
// non-empty string challenge and origin equal to policy.expected_origin), the attestation object
// (parse_attestation), the AAGUID allow-list, then require_device_bound. Takes decoded bytes
// (see decode_base64_any). Never throws on any input.
CredentialVerdict check_credential(std::string_view attestation_object, std::string_view client_data_json,
                                   const CredentialPolicy& policy);

// The AAGUID_ALLOWLIST setting: comma-separated UUIDs (8-4-4-4-12 hex, either case), whitespace
// around entries and empty entries ignored. Returns them lowercase, duplicates kept once.
// Errors: usage, naming the first malformed entry.
Result<std::vector<std::string>> parse_aaguid_allowlist(std::string_view text);

// `text` as a lowercase canonical UUID if it is one (8-4-4-4-12 hex, either case).
std::optional<std::string> canonical_aaguid(std::string_view text);

// Decodes the base64 browsers' libraries send for attestationObject and clientDataJSON: the
// standard or the URL-safe alphabet (not both in one string), '=' padding present (then correct)
// or absent. Rejects whitespace, other characters and non-zero unused bits.
std::optional<std::string> decode_base64_any(std::string_view text);

}  // namespace otts
