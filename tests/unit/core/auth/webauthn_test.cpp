#include "core/auth/webauthn.hpp"

#include <catch2/catch.hpp>
#include <cbor.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

using otts::AttestedCredential;
using otts::check_credential;
using otts::CredentialPolicy;
using otts::decode_base64_any;
using otts::parse_aaguid_allowlist;
using otts::parse_attestation;

namespace {

// No WebAuthn or CBOR data is among the shared vectors; the objects are built here with libcbor.

struct CborFree {
    void operator()(cbor_item_t* item) const { cbor_decref(&item); }
};
using Item = std::unique_ptr<cbor_item_t, CborFree>;

constexpr std::uint8_t k_up = 0x01;
constexpr std::uint8_t k_uv = 0x04;
constexpr std::uint8_t k_be = 0x08;
constexpr std::uint8_t k_bs = 0x10;
constexpr std::uint8_t k_at = 0x40;
constexpr std::uint8_t k_ed = 0x80;

const std::string k_origin = "https://app.example.com";
const std::string k_yubikey_aaguid = "cb69481e-8ff7-4039-93ec-0a2729a154a8";  // YubiKey 5 series

std::string bytes_of_hex(std::string_view hex) { return otts::hex_decode(hex).value(); }

std::string serialize(const cbor_item_t* item) {
    unsigned char* buffer = nullptr;
    std::size_t size = 0;
    const std::size_t length = cbor_serialize_alloc(item, &buffer, &size);
    std::string out(reinterpret_cast<const char*>(buffer), length);
    std::free(buffer);
    return out;
}

cbor_item_t* bytes_item(std::string_view bytes) {
    return cbor_build_bytestring(reinterpret_cast<cbor_data>(bytes.data()), bytes.size());
}
cbor_item_t* text_item(std::string_view text) { return cbor_build_stringn(text.data(), text.size()); }

void add(cbor_item_t* map, cbor_item_t* key, cbor_item_t* value) {
    REQUIRE(cbor_map_add(map, cbor_pair{cbor_move(key), cbor_move(value)}));
}

// An ES256 COSE_Key (RFC 9053 §7.1.1) whose point is the P-256 generator.
std::string p256_cose_key(bool with_alg = true) {
    Item key(cbor_new_definite_map(with_alg ? 5 : 4));
    add(key.get(), cbor_build_uint8(1), cbor_build_uint8(2));                  // kty: EC2
    if (with_alg) add(key.get(), cbor_build_uint8(3), cbor_build_negint8(6));  // alg: -7 (ES256)
    add(key.get(), cbor_build_negint8(0), cbor_build_uint8(1));                // crv (-1): P-256
    add(key.get(), cbor_build_negint8(1),                                      // x (-2)
        bytes_item(bytes_of_hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")));
    add(key.get(), cbor_build_negint8(2),  // y (-3)
        bytes_item(bytes_of_hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")));
    return serialize(key.get());
}

struct AuthData {
    std::uint8_t flags = k_up | k_uv | k_at;
    std::string aaguid = bytes_of_hex("cb69481e8ff7403993ec0a2729a154a8");
    std::string credential_id = bytes_of_hex("0123456789abcdef0123456789abcdef");
    std::optional<std::size_t> id_length;  // overrides credential_id.size() in the length field
    std::string cose_key = p256_cose_key();
    std::string tail;  // extensions or trailing bytes

    std::string bytes() const {
        std::string out = otts::crypto::sha256("app.example.com");
        out += static_cast<char>(flags);
        out += std::string("\x00\x00\x00\x2a", 4);  // signCount 42
        if ((flags & k_at) == 0) return out + tail;
        const std::size_t length = id_length.value_or(credential_id.size());
        out += aaguid;
        out += static_cast<char>(length >> 8);
        out += static_cast<char>(length & 0xff);
        return out + credential_id + cose_key + tail;
    }
};

struct Members {
    bool fmt = true;
    bool att_stmt = true;
    bool auth_data = true;
};

std::string attestation_object(std::string_view auth_data, Members members = {}) {
    Item map(cbor_new_definite_map(3));
    if (members.fmt) add(map.get(), text_item("fmt"), text_item("none"));
    if (members.att_stmt) add(map.get(), text_item("attStmt"), cbor_new_definite_map(0));
    if (members.auth_data) add(map.get(), text_item("authData"), bytes_item(auth_data));
    return serialize(map.get());
}

std::string client_data(std::string_view type = "webauthn.create", std::string_view origin = k_origin) {
    return nlohmann::json{{"type", type}, {"challenge", "dGhlLWNoYWxsZW5nZQ"}, {"origin", origin}}.dump();
}

CredentialPolicy credential_policy() { return CredentialPolicy{k_origin, {}, false}; }

}  // namespace

TEST_CASE("parse_attestation reads a none attestation with a P-256 key", "[webauthn]") {
    const AuthData data;
    const auto parsed = parse_attestation(attestation_object(data.bytes()));
    REQUIRE(parsed.ok());
    CHECK(parsed->fmt == "none");
    CHECK(parsed->aaguid == k_yubikey_aaguid);
    CHECK(parsed->rp_id_hash == otts::crypto::sha256("app.example.com"));
    CHECK(parsed->credential_id == data.credential_id);
    CHECK(parsed->public_key_cose == data.cose_key);
    CHECK(parsed->public_key_alg == -7);
    CHECK(parsed->sign_count == 42);
    CHECK(parsed->user_present);
    CHECK(parsed->user_verified);
    CHECK_FALSE(parsed->backup_eligible);
    CHECK_FALSE(parsed->backup_state);
}

TEST_CASE("parse_attestation reads the backup flags and accepts an extensions map under ED", "[webauthn]") {
    AuthData data;
    data.flags = k_up | k_be | k_bs | k_at | k_ed;
    Item extensions(cbor_new_definite_map(1));
    add(extensions.get(), text_item("credProtect"), cbor_build_uint8(2));
    data.tail = serialize(extensions.get());
    const auto parsed = parse_attestation(attestation_object(data.bytes()));
    REQUIRE(parsed.ok());
    CHECK(parsed->backup_eligible);
    CHECK(parsed->backup_state);
    CHECK_FALSE(parsed->user_verified);
}

TEST_CASE("check_credential allows a well-formed registration from the expected origin", "[webauthn]") {
    const auto verdict = check_credential(attestation_object(AuthData{}.bytes()), client_data(), credential_policy());
    CHECK(verdict.allowed);
    CHECK(verdict.reason.empty());
    CHECK_FALSE(verdict.malformed);
    REQUIRE(verdict.device);
    CHECK(verdict.device->aaguid == k_yubikey_aaguid);

    auto slash = credential_policy();
    slash.expected_origin += "/";
    CHECK(check_credential(attestation_object(AuthData{}.bytes()), client_data(), slash).allowed);
    auto any = credential_policy();
    any.expected_origin.clear();
    CHECK(check_credential(attestation_object(AuthData{}.bytes()), client_data("webauthn.create", "x"), any).allowed);
}

TEST_CASE("check_credential rejects clientData from another origin", "[webauthn]") {
    const auto verdict =
        check_credential(attestation_object(AuthData{}.bytes()),
                         client_data("webauthn.create", "https://evil.example.com"), credential_policy());
    CHECK_FALSE(verdict.allowed);
    CHECK(verdict.malformed);
    CHECK(verdict.reason ==
          "clientDataJSON origin mismatch: got 'https://evil.example.com', expected 'https://app.example.com'");
    CHECK_FALSE(verdict.device);
}

TEST_CASE("check_credential rejects clientData of an assertion (webauthn.get)", "[webauthn]") {
    const auto verdict =
        check_credential(attestation_object(AuthData{}.bytes()), client_data("webauthn.get"), credential_policy());
    CHECK_FALSE(verdict.allowed);
    CHECK(verdict.malformed);
    CHECK_THAT(verdict.reason, Catch::Contains("expected 'webauthn.create'"));
}

TEST_CASE("check_credential rejects clientData that is not JSON, not an object or lacks a field", "[webauthn]") {
    const auto object = attestation_object(AuthData{}.bytes());
    CHECK(check_credential(object, "not json at all", credential_policy()).reason == "clientDataJSON not valid JSON");
    CHECK(check_credential(object, "", credential_policy()).reason == "clientDataJSON not valid JSON");
    CHECK(check_credential(object, "{\"type\":\"webauthn.create\"", credential_policy()).reason ==
          "clientDataJSON not valid JSON");
    CHECK(check_credential(object, "[1,2]", credential_policy()).reason == "clientDataJSON is not a JSON object");
    CHECK(check_credential(object, std::string("{\"type\":\"\xff\"}"), credential_policy()).reason ==
          "clientDataJSON not valid JSON");
    auto without = [](std::string_view field) {
        auto data = nlohmann::json::parse(client_data());
        data.erase(std::string(field));
        return data.dump();
    };
    CHECK(check_credential(object, without("type"), credential_policy()).reason ==
          "clientDataJSON missing 'type' field");
    CHECK(check_credential(object, without("challenge"), credential_policy()).reason ==
          "clientDataJSON missing 'challenge' field");
    CHECK(check_credential(object, without("origin"), credential_policy()).reason ==
          "clientDataJSON missing 'origin' field");
}

TEST_CASE("check_credential applies the AAGUID allow-list case-insensitively", "[webauthn]") {
    const auto object = attestation_object(AuthData{}.bytes());
    auto other = credential_policy();
    other.aaguid_allowlist = {"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"};
    const auto denied = check_credential(object, client_data(), other);
    CHECK_FALSE(denied.allowed);
    CHECK_FALSE(denied.malformed);
    CHECK(denied.reason == "AAGUID cb69481e-8ff7-4039-93ec-0a2729a154a8 not in allowlist (1 allowed)");
    REQUIRE(denied.device);
    CHECK(denied.device->aaguid == k_yubikey_aaguid);

    auto listed = credential_policy();
    listed.aaguid_allowlist = {"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "CB69481E-8FF7-4039-93EC-0A2729A154A8"};
    CHECK(check_credential(object, client_data(), listed).allowed);
}

TEST_CASE("check_credential with require_device_bound denies backup-eligible credentials only", "[webauthn]") {
    auto bound = credential_policy();
    bound.require_device_bound = true;
    AuthData synced;
    synced.flags = k_up | k_uv | k_be | k_bs | k_at;
    const auto denied = check_credential(attestation_object(synced.bytes()), client_data(), bound);
    CHECK_FALSE(denied.allowed);
    CHECK_FALSE(denied.malformed);
    CHECK_THAT(denied.reason, Catch::Contains("backup-eligible"));

    CHECK(check_credential(attestation_object(AuthData{}.bytes()), client_data(), bound).allowed);
    CHECK(check_credential(attestation_object(synced.bytes()), client_data(), credential_policy()).allowed);
}

TEST_CASE("parse_attestation rejects every truncation of authData and of the object", "[webauthn]") {
    const auto full = AuthData{}.bytes();
    for (std::size_t length = 0; length < full.size(); ++length) {
        INFO("authData length " << length);
        CHECK_FALSE(parse_attestation(attestation_object(full.substr(0, length))).ok());
    }
    const auto object = attestation_object(full);
    for (std::size_t length = 0; length < object.size(); ++length) {
        INFO("object length " << length);
        CHECK_FALSE(parse_attestation(object.substr(0, length)).ok());
    }
    CHECK(parse_attestation(attestation_object(full.substr(0, 20))).error().detail ==
          "authData too short: 20 bytes (minimum 37)");
    CHECK(parse_attestation(attestation_object(full.substr(0, 40))).error().detail ==
          "authData has AT flag but too short for AAGUID: 40 bytes");
}

TEST_CASE("parse_attestation requires attested credential data (AT flag)", "[webauthn]") {
    AuthData data;
    data.flags = k_up | k_uv;
    const auto parsed = parse_attestation(attestation_object(data.bytes()));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == otts::ErrorCode::bad_request);
    CHECK(parsed.error().detail == "authData has no attested credential data (AT flag clear)");
}

TEST_CASE("parse_attestation rejects credential ID lengths past the end, over 1023 or zero", "[webauthn]") {
    AuthData data;
    data.id_length = 500;
    CHECK(parse_attestation(attestation_object(data.bytes())).error().detail ==
          "credential ID length 500 exceeds authData");
    data.id_length = 0xffff;
    CHECK(parse_attestation(attestation_object(data.bytes())).error().detail ==
          "credential ID length 65535 over 1023 bytes");
    data.id_length = 0;
    data.credential_id.clear();
    CHECK(parse_attestation(attestation_object(data.bytes())).error().detail == "credential ID is empty");
}

TEST_CASE("parse_attestation rejects a bad public key, trailing bytes and bad extensions", "[webauthn]") {
    auto detail = [](const AuthData& data) {
        const auto parsed = parse_attestation(attestation_object(data.bytes()));
        return parsed.ok() ? std::string("ok") : parsed.error().detail;
    };
    AuthData data;
    data.cose_key = p256_cose_key(false);
    CHECK(detail(data) == "credentialPublicKey has no alg");
    data.cose_key = serialize(Item(cbor_build_uint8(7)).get());
    CHECK(detail(data) == "credentialPublicKey is not a CBOR map");
    data.cose_key = std::string(3000, '\x81') + '\x00';  // nested deeper than libcbor's stack
    CHECK(detail(data) == "credentialPublicKey is not valid CBOR");

    data = AuthData{};
    data.tail = std::string("\x00", 1);
    CHECK(detail(data) == "trailing bytes after credentialPublicKey");
    data.flags |= k_ed;
    data.tail.clear();
    CHECK(detail(data) == "ED flag set but no extensions");
    data.tail = std::string("\x01", 1);
    CHECK(detail(data) == "extensions are not a CBOR map");
    data.tail = std::string("\xa0\x00", 2);
    CHECK(detail(data) == "trailing bytes after extensions");

    CHECK(parse_attestation(attestation_object(AuthData{}.bytes()) + '\x00').error().detail ==
          "trailing bytes after attestationObject");
}

TEST_CASE("parse_attestation rejects input that is not CBOR or not a map", "[webauthn]") {
    CHECK(parse_attestation("").error().detail == "attestationObject is not valid CBOR");
    CHECK(parse_attestation("\x1c").error().detail == "attestationObject is not valid CBOR");
    CHECK(parse_attestation("{\"fmt\":\"none\"}").error().detail == "attestationObject is not valid CBOR");
    CHECK(parse_attestation(serialize(Item(text_item("none")).get())).error().detail ==
          "attestationObject is not a CBOR map");
    Item array(cbor_new_definite_array(2));
    REQUIRE(cbor_array_push(array.get(), cbor_move(cbor_build_uint8(1))));
    REQUIRE(cbor_array_push(array.get(), cbor_move(cbor_build_uint8(2))));
    CHECK(parse_attestation(serialize(array.get())).error().detail == "attestationObject is not a CBOR map");
}

TEST_CASE("parse_attestation rejects missing, duplicate or mistyped members", "[webauthn]") {
    const auto auth = AuthData{}.bytes();
    CHECK(parse_attestation(attestation_object(auth, {false, true, true})).error().detail ==
          "Missing fmt in attestationObject");
    CHECK(parse_attestation(attestation_object(auth, {true, false, true})).error().detail ==
          "Missing attStmt in attestationObject");
    CHECK(parse_attestation(attestation_object(auth, {true, true, false})).error().detail ==
          "Missing authData in attestationObject");

    Item twice(cbor_new_definite_map(4));
    add(twice.get(), text_item("fmt"), text_item("none"));
    add(twice.get(), text_item("attStmt"), cbor_new_definite_map(0));
    add(twice.get(), text_item("authData"), bytes_item(auth));
    add(twice.get(), text_item("authData"), bytes_item(auth));
    CHECK(parse_attestation(serialize(twice.get())).error().detail == "duplicate authData in attestationObject");

    Item chunked(cbor_new_definite_map(3));
    add(chunked.get(), text_item("fmt"), text_item("none"));
    add(chunked.get(), text_item("attStmt"), cbor_new_definite_map(0));
    cbor_item_t* indefinite = cbor_new_indefinite_bytestring();
    REQUIRE(cbor_bytestring_add_chunk(indefinite, cbor_move(bytes_item(auth))));
    add(chunked.get(), text_item("authData"), indefinite);
    CHECK(parse_attestation(serialize(chunked.get())).error().detail ==
          "authData is not a definite-length byte string");

    Item bad_fmt(cbor_new_definite_map(3));
    add(bad_fmt.get(), text_item("fmt"), text_item("no\"ne"));
    add(bad_fmt.get(), text_item("attStmt"), cbor_new_definite_map(0));
    add(bad_fmt.get(), text_item("authData"), bytes_item(auth));
    CHECK(parse_attestation(serialize(bad_fmt.get())).error().detail == "fmt is not an attestation format name");
}

TEST_CASE("parse_attestation refuses declared sizes larger than the input without allocating them", "[webauthn]") {
    // A map or array header claiming 2^40 entries: libcbor 0.8 would malloc for all of them.
    CHECK_FALSE(parse_attestation(std::string("\xbb\x00\x00\x01\x00\x00\x00\x00\x00", 9)).ok());
    CHECK_FALSE(parse_attestation(std::string("\x9b\x00\x00\x01\x00\x00\x00\x00\x00", 9)).ok());
    AuthData data;
    data.cose_key = std::string("\xbb\x00\x00\x01\x00\x00\x00\x00\x00", 9);
    CHECK(parse_attestation(attestation_object(data.bytes())).error().detail ==
          "credentialPublicKey is not valid CBOR");
}

TEST_CASE("check_credential survives every single-byte change of a valid object", "[webauthn]") {
    const auto object = attestation_object(AuthData{}.bytes());
    const auto data = client_data();
    for (std::size_t i = 0; i < object.size(); ++i) {
        for (const unsigned char value : {0x00, 0x1f, 0x5f, 0x7f, 0x9f, 0xbb, 0xff}) {
            auto mutated = object;
            mutated[i] = static_cast<char>(value);
            const auto verdict = check_credential(mutated, data, credential_policy());
            CHECK((verdict.allowed || !verdict.reason.empty()));
        }
    }
}

TEST_CASE("parse_aaguid_allowlist accepts comma-separated UUIDs and returns them lowercase", "[webauthn]") {
    const auto list = parse_aaguid_allowlist(
        " CB69481E-8FF7-4039-93EC-0A2729A154A8 ,\tfa2b99dc-9e39-4257-8f92-4a30d23c4df8,,"
        "cb69481e-8ff7-4039-93ec-0a2729a154a8,\n");
    REQUIRE(list.ok());
    CHECK(*list == std::vector<std::string>{k_yubikey_aaguid, "fa2b99dc-9e39-4257-8f92-4a30d23c4df8"});
    CHECK(parse_aaguid_allowlist("").value().empty());
    CHECK(parse_aaguid_allowlist(" , ").value().empty());
}

TEST_CASE("parse_aaguid_allowlist rejects an entry that is not a UUID", "[webauthn]") {
    for (const auto* text : {"cb69481e8ff7403993ec0a2729a154a8", "cb69481e-8ff7-4039-93ec-0a2729a154a",
                             "cb69481e-8ff7-4039-93ec-0a2729a154ag", "{cb69481e-8ff7-4039-93ec-0a2729a154a8}",
                             "cb69481e-8ff7-4039-93ec-0a2729a154a8 fa2b99dc-9e39-4257-8f92-4a30d23c4df8"}) {
        INFO(text);
        const auto list = parse_aaguid_allowlist(text);
        REQUIRE_FALSE(list.ok());
        CHECK(list.error().code == otts::ErrorCode::usage);
    }
}

TEST_CASE("decode_base64_any accepts both alphabets with or without padding", "[webauthn]") {
    const std::string bytes("\xfb\xff\xbe\x00\x01", 5);
    for (const auto* text : {"+/++AAE=", "+/++AAE", "-_--AAE=", "-_--AAE"}) {
        INFO(text);
        CHECK(decode_base64_any(text) == bytes);
    }
    CHECK(decode_base64_any("") == std::string());
    CHECK(decode_base64_any("AA==") == std::string(1, '\0'));
    CHECK_FALSE(decode_base64_any("+_++AAE"));    // mixed alphabets
    CHECK_FALSE(decode_base64_any("+/++AAE=="));  // wrong padding
    CHECK_FALSE(decode_base64_any("AA="));
    CHECK_FALSE(decode_base64_any("AA==="));
    CHECK_FALSE(decode_base64_any("A=A="));
    CHECK_FALSE(decode_base64_any("+/++ AAE"));
    CHECK_FALSE(decode_base64_any("AB=="));  // non-zero unused bits
    CHECK_FALSE(decode_base64_any("A"));
}
