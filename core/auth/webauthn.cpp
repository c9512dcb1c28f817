#include "core/auth/webauthn.hpp"

#include <cbor.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/encoding/base64.hpp"
#include "core/encoding/text.hpp"
#include "core/jose/crypto.hpp"

namespace otts {
namespace {

// --- libcbor, owned and bounded ---------------------------------------------------------------

struct CborFree {
    void operator()(cbor_item_t* item) const { cbor_decref(&item); }
};
using CborItem = std::unique_ptr<cbor_item_t, CborFree>;

cbor_data as_cbor(std::string_view bytes) { return reinterpret_cast<cbor_data>(bytes.data()); }

// libcbor 0.8 allocates a definite array or map for its declared size before reading a single
// element, so six bytes can ask for gigabytes (and abort an ASan build). Every declared element
// is a distinct item of at least one byte, so in any well-formed input the declared counts add
// up to at most the input length; the pre-scan rejects input whose headers declare more. It
// stops quietly at the first header it cannot decode: cbor_load fails there too.
struct DeclaredCounts {
    std::size_t limit = 0;
    std::size_t total = 0;
    bool exceeded = false;

    void add(std::size_t count, std::size_t per_element) {
        if (count > (limit - total) / per_element) {
            exceeded = true;
        } else {
            total += count * per_element;
        }
    }
};

bool declared_sizes_fit(std::string_view bytes) {
    cbor_callbacks callbacks = cbor_empty_callbacks;
    callbacks.array_start = [](void* context, std::size_t count) {
        static_cast<DeclaredCounts*>(context)->add(count, 1);
    };
    callbacks.map_start = [](void* context, std::size_t count) {
        static_cast<DeclaredCounts*>(context)->add(count, 2);
    };
    DeclaredCounts counts{bytes.size()};
    std::size_t offset = 0;
    while (offset < bytes.size() && !counts.exceeded) {
        const auto rest = bytes.substr(offset);
        const auto decoded = cbor_stream_decode(as_cbor(rest), rest.size(), &callbacks, &counts);
        if (decoded.status != CBOR_DECODER_FINISHED || decoded.read == 0) break;
        offset += decoded.read;
    }
    return !counts.exceeded;
}

struct Loaded {
    CborItem item;
    std::size_t read = 0;  // bytes the item took; the rest of the input follows it
};

// The first CBOR item of `bytes`, or nullopt when it is not well-formed CBOR.
std::optional<Loaded> load_first(std::string_view bytes) {
    if (bytes.empty() || !declared_sizes_fit(bytes)) return std::nullopt;
    cbor_load_result result{};
    CborItem item(cbor_load(as_cbor(bytes), bytes.size(), &result));
    if (!item || result.error.code != CBOR_ERR_NONE || result.read == 0 || result.read > bytes.size()) {
        return std::nullopt;
    }
    return Loaded{std::move(item), result.read};
}

std::optional<std::string_view> text_of(const cbor_item_t* item) {
    if (!cbor_isa_string(item) || !cbor_string_is_definite(item)) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(cbor_string_handle(item)), cbor_string_length(item));
}

std::optional<std::string_view> bytes_of(const cbor_item_t* item) {
    if (!cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(cbor_bytestring_handle(item)), cbor_bytestring_length(item));
}

std::optional<std::int64_t> int_of(const cbor_item_t* item) {
    const bool negative = cbor_isa_negint(item);
    if (!negative && !cbor_isa_uint(item)) return std::nullopt;
    const std::uint64_t magnitude = cbor_get_int(item);
    if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    const auto value = static_cast<std::int64_t>(magnitude);
    return negative ? -1 - value : value;
}

Error bad(std::string reason) { return make_error(ErrorCode::bad_request, std::move(reason)); }

// --- attestation object -------------------------------------------------------------------------

constexpr std::size_t k_rp_id_hash_size = 32;
constexpr std::size_t k_header_size = k_rp_id_hash_size + 1 + 4;  // rpIdHash, flags, signCount
constexpr std::size_t k_aaguid_size = 16;
constexpr std::uint8_t k_flag_up = 0x01;
constexpr std::uint8_t k_flag_uv = 0x04;
constexpr std::uint8_t k_flag_be = 0x08;
constexpr std::uint8_t k_flag_bs = 0x10;
constexpr std::uint8_t k_flag_at = 0x40;
constexpr std::uint8_t k_flag_ed = 0x80;

std::uint32_t big_endian(std::string_view bytes) {
    std::uint32_t value = 0;
    for (const char c : bytes) value = (value << 8) | static_cast<std::uint8_t>(c);
    return value;
}

std::string format_aaguid(std::string_view raw) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        const auto byte = static_cast<std::uint8_t>(raw[i]);
        out += k_digits[byte >> 4];
        out += k_digits[byte & 0x0f];
    }
    return out;
}

// Attestation statement format identifiers are short printable ASCII (WebAuthn §8.1); anything
// else would also be unsafe to echo into a JSON response.
bool plausible_fmt(std::string_view fmt) {
    return !fmt.empty() && fmt.size() <= 32 &&
           std::all_of(fmt.begin(), fmt.end(), [](char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

struct TopLevel {
    std::optional<std::string_view> fmt;
    std::optional<std::string_view> auth_data;
    bool has_att_stmt = false;
};

// Reads the three members; their views live as long as `map`.
Result<TopLevel> read_members(const cbor_item_t* map) {
    TopLevel top;
    const cbor_pair* pairs = cbor_map_handle(map);
    for (std::size_t i = 0; i < cbor_map_size(map); ++i) {
        const auto key = text_of(pairs[i].key);
        if (!key) continue;
        const cbor_item_t* value = pairs[i].value;
        if (*key == "fmt") {
            if (top.fmt) return bad("duplicate fmt in attestationObject");
            top.fmt = text_of(value);
            if (!top.fmt || !plausible_fmt(*top.fmt)) return bad("fmt is not an attestation format name");
        } else if (*key == "authData") {
            if (top.auth_data) return bad("duplicate authData in attestationObject");
            top.auth_data = bytes_of(value);
            if (!top.auth_data) return bad("authData is not a definite-length byte string");
        } else if (*key == "attStmt") {
            if (top.has_att_stmt) return bad("duplicate attStmt in attestationObject");
            if (!cbor_isa_map(value)) return bad("attStmt is not a CBOR map");
            top.has_att_stmt = true;
        }
    }
    if (!top.fmt) return bad("Missing fmt in attestationObject");
    if (!top.has_att_stmt) return bad("Missing attStmt in attestationObject");
    if (!top.auth_data) return bad("Missing authData in attestationObject");
    return top;
}

// The COSE_Key's alg (label 3); WebAuthn §6.5.1.1 requires it.
Result<std::int64_t> cose_alg(const cbor_item_t* key) {
    const cbor_pair* pairs = cbor_map_handle(key);
    for (std::size_t i = 0; i < cbor_map_size(key); ++i) {
        if (int_of(pairs[i].key) != std::optional<std::int64_t>(3)) continue;
        if (const auto alg = int_of(pairs[i].value)) return *alg;
        return bad("credentialPublicKey alg is not an integer");
    }
    return bad("credentialPublicKey has no alg");
}

// The COSE_Key and, with ED, the extensions map, which together must fill `rest` exactly.
Result<void> read_key_and_extensions(std::string_view rest, bool has_extensions, AttestedCredential& out) {
    const auto key = load_first(rest);
    if (!key) return bad("credentialPublicKey is not valid CBOR");
    if (!cbor_isa_map(key->item.get())) return bad("credentialPublicKey is not a CBOR map");
    OTTS_TRY(out.public_key_alg, cose_alg(key->item.get()));
    out.public_key_cose = std::string(rest.substr(0, key->read));

    const auto after = rest.substr(key->read);
    if (!has_extensions) {
        if (!after.empty()) return bad("trailing bytes after credentialPublicKey");
        return Ok{};
    }
    if (after.empty()) return bad("ED flag set but no extensions");
    const auto extensions = load_first(after);
    if (!extensions || !cbor_isa_map(extensions->item.get())) return bad("extensions are not a CBOR map");
    if (extensions->read != after.size()) return bad("trailing bytes after extensions");
    return Ok{};
}

Result<void> read_auth_data(std::string_view data, AttestedCredential& out) {
    if (data.size() < k_header_size) {
        return bad("authData too short: " + std::to_string(data.size()) + " bytes (minimum 37)");
    }
    out.rp_id_hash = std::string(data.substr(0, k_rp_id_hash_size));
    const auto flags = static_cast<std::uint8_t>(data[k_rp_id_hash_size]);
    out.sign_count = big_endian(data.substr(k_rp_id_hash_size + 1, 4));
    out.user_present = (flags & k_flag_up) != 0;
    out.user_verified = (flags & k_flag_uv) != 0;
    out.backup_eligible = (flags & k_flag_be) != 0;
    out.backup_state = (flags & k_flag_bs) != 0;
    if ((flags & k_flag_at) == 0) return bad("authData has no attested credential data (AT flag clear)");

    if (data.size() < k_header_size + k_aaguid_size + 2) {
        return bad("authData has AT flag but too short for AAGUID: " + std::to_string(data.size()) + " bytes");
    }
    out.aaguid = format_aaguid(data.substr(k_header_size, k_aaguid_size));
    const std::size_t id_at = k_header_size + k_aaguid_size + 2;
    const std::size_t id_length = big_endian(data.substr(id_at - 2, 2));
    if (id_length == 0) return bad("credential ID is empty");
    if (id_length > k_max_credential_id_length) {
        return bad("credential ID length " + std::to_string(id_length) + " over 1023 bytes");
    }
    if (id_length > data.size() - id_at) {
        return bad("credential ID length " + std::to_string(id_length) + " exceeds authData");
    }
    out.credential_id = std::string(data.substr(id_at, id_length));
    return read_key_and_extensions(data.substr(id_at + id_length), (flags & k_flag_ed) != 0, out);
}

// --- clientDataJSON and policy ------------------------------------------------------------------

// At most about `limit` bytes of a (valid UTF-8) string, cut on a character boundary.
std::string clip(const std::string& text, std::size_t limit = 100) {
    if (text.size() <= limit) return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
    return text.substr(0, end) + "...";
}

std::string_view without_trailing_slash(std::string_view origin) {
    if (!origin.empty() && origin.back() == '/') origin.remove_suffix(1);
    return origin;
}

// Empty when clientDataJSON is a registration for `expected_origin`, else the reason.
std::string client_data_problem(std::string_view client_data_json, std::string_view expected_origin) {
    const auto data = nlohmann::json::parse(client_data_json.begin(), client_data_json.end(), nullptr, false);
    if (data.is_discarded()) return "clientDataJSON not valid JSON";
    if (!data.is_object()) return "clientDataJSON is not a JSON object";
    const auto type = data.find("type");
    if (type == data.end() || !type->is_string()) return "clientDataJSON missing 'type' field";
    if (type->get_ref<const std::string&>() != "webauthn.create") {
        return "clientDataJSON type is '" + clip(type->get_ref<const std::string&>()) + "', expected 'webauthn.create'";
    }
    const auto challenge = data.find("challenge");
    if (challenge == data.end() || !challenge->is_string() || challenge->get_ref<const std::string&>().empty()) {
        return "clientDataJSON missing 'challenge' field";
    }
    const auto origin = data.find("origin");
    if (origin == data.end() || !origin->is_string()) return "clientDataJSON missing 'origin' field";
    const auto& got = origin->get_ref<const std::string&>();
    const auto expected = without_trailing_slash(expected_origin);
    if (!expected.empty() && got != expected) {
        return "clientDataJSON origin mismatch: got '" + clip(got) + "', expected '" + std::string(expected) + "'";
    }
    return {};
}

// Constant-time over every entry, as the original: the response does not tell by its timing
// which entries are on the list.
bool aaguid_allowed(const std::string& aaguid, const std::vector<std::string>& allowlist) {
    if (allowlist.empty()) return true;
    bool found = false;
    for (const auto& entry : allowlist) {
        std::string lower = entry;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        found = crypto::equal_ct(aaguid, lower) || found;
    }
    return found;
}

CredentialVerdict deny(std::string reason, bool malformed, std::optional<AttestedCredential> device = {}) {
    return CredentialVerdict{false, std::move(reason), malformed, std::move(device)};
}

}  // namespace

Result<AttestedCredential> parse_attestation(std::string_view attestation_object) {
    const auto loaded = load_first(attestation_object);
    if (!loaded) return bad("attestationObject is not valid CBOR");
    if (!cbor_isa_map(loaded->item.get())) return bad("attestationObject is not a CBOR map");
    if (loaded->read != attestation_object.size()) return bad("trailing bytes after attestationObject");
    OTTS_TRY(const auto top, read_members(loaded->item.get()));

    AttestedCredential credential;
    credential.fmt = std::string(*top.fmt);
    OTTS_TRY_VOID(read_auth_data(*top.auth_data, credential));
    return credential;
}

CredentialVerdict check_credential(std::string_view attestation_object, std::string_view client_data_json,
                                   const CredentialPolicy& policy) {
    if (auto problem = client_data_problem(client_data_json, policy.expected_origin); !problem.empty()) {
        return deny(std::move(problem), true);
    }
    auto parsed = parse_attestation(attestation_object);
    if (!parsed) return deny("Invalid attestation object: " + parsed.error().detail, true);
    auto device = std::move(parsed).value();

    if (!aaguid_allowed(device.aaguid, policy.aaguid_allowlist)) {
        auto reason = "AAGUID " + device.aaguid + " not in allowlist (" +
                      std::to_string(policy.aaguid_allowlist.size()) + " allowed)";
        return deny(std::move(reason), false, std::move(device));
    }
    if (policy.require_device_bound && device.backup_eligible) {
        return deny("Device-bound credential required, but this credential is backup-eligible (synced/syncable)", false,
                    std::move(device));
    }
    return CredentialVerdict{true, {}, false, std::move(device)};
}

std::optional<std::string> canonical_aaguid(std::string_view text) {
    if (text.size() != 36) return std::nullopt;
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_position != (out[i] == '-')) return std::nullopt;
        if (dash_position) continue;
        if (!std::isxdigit(static_cast<unsigned char>(out[i]))) return std::nullopt;
        out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
    }
    return out;
}

Result<std::vector<std::string>> parse_aaguid_allowlist(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& entry : comma_list(text)) {
        auto aaguid = canonical_aaguid(entry);
        if (!aaguid) {
            return make_error(ErrorCode::usage,
                              "AAGUID_ALLOWLIST: '" + entry.substr(0, 64) + "' is not a UUID (8-4-4-4-12 hex digits)");
        }
        if (std::find(out.begin(), out.end(), *aaguid) == out.end()) out.push_back(std::move(*aaguid));
    }
    return out;
}

std::optional<std::string> decode_base64_any(std::string_view text) {
    const bool standard = text.find_first_of("+/") != std::string_view::npos;
    const bool url_safe = text.find_first_of("-_") != std::string_view::npos;
    if (standard && url_safe) return std::nullopt;
    std::size_t padding = 0;
    while (padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    if (padding > 2 || (padding > 0 && text.size() % 4 != 0)) return std::nullopt;
    std::string body(text.substr(0, text.size() - padding));
    std::replace(body.begin(), body.end(), '+', '-');
    std::replace(body.begin(), body.end(), '/', '_');
    return base64url_decode(body);  // rejects any '=' left inside, other characters, stray bits
}

}  // namespace otts
