#include "core/tokens/token_family.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace otts {
namespace {

struct FamilyRow {
    Family family;
    std::string_view name;
};
constexpr std::array k_families{
    FamilyRow{Family::create, "create"}, FamilyRow{Family::one_time, "one-time"},
    FamilyRow{Family::user, "user"},     FamilyRow{Family::license, "license"},
    FamilyRow{Family::access, "access"}, FamilyRow{Family::refresh, "refresh"},
};

bool is_uuid(const nlohmann::json& v) {
    static const std::regex k_uuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    return v.is_string() && std::regex_match(v.get_ref<const std::string&>(), k_uuid);
}

bool is_hex32(const nlohmann::json& v) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool has_string(const nlohmann::json& p, const char* key) {
    const auto it = p.find(key);
    return it != p.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

bool is_int(const nlohmann::json& p, const char* key) {
    const auto it = p.find(key);
    return it != p.end() && it->is_number_integer();
}

// p[key] == want, false when absent or of another type. Not p.value(key, ""): that throws
// type_error 302 when the claim is there but not a string, and claims are outside input.
bool string_is(const nlohmann::json& p, const char* key, std::string_view want) {
    const auto it = p.find(key);
    return it != p.end() && it->is_string() && it->get_ref<const std::string&>() == want;
}

// op or type present but not a string: a mark of no family, so the token is of none (else a
// one-time token with "op": 5 would pass as one-time).
bool has_odd_mark(const nlohmann::json& p) {
    for (const char* key : {"op", "type"}) {
        const auto it = p.find(key);
        if (it != p.end() && !it->is_string()) return true;
    }
    return false;
}

// Distinguishing marks, checked in family_of: exactly one must match.
bool looks_like(const nlohmann::json& p, Family f) {
    switch (f) {
        case Family::create: return string_is(p, "op", "create");
        case Family::one_time: return p.contains("uuid");
        case Family::user: return p.contains("userId");
        case Family::license: return p.contains("id") && p.contains("email") && !p.contains("type");
        case Family::access: return string_is(p, "type", "access");
        case Family::refresh: return string_is(p, "type", "refresh");
    }
    return false;
}

bool well_formed(const nlohmann::json& p, Family f) {
    switch (f) {
        case Family::create:
            return is_uuid(p.value("jti", nlohmann::json())) && is_hex32(p.value("nonce", nlohmann::json())) &&
                   is_int(p, "pow_difficulty") && p.contains("pow_prefix") && p["pow_prefix"].is_string() &&
                   is_int(p, "iat");
        case Family::one_time: return is_uuid(p.at("uuid"));
        case Family::user: return has_string(p, "userId") || is_int(p, "userId");
        case Family::license: return has_string(p, "id") && has_string(p, "email");
        case Family::access:
        case Family::refresh:
            return has_string(p, "email") && has_string(p, "sub") && has_string(p, "license_key_hash");
    }
    return false;
}

}  // namespace

std::string_view family_name(Family f) {
    for (const auto& row : k_families) {
        if (row.family == f) return row.name;
    }
    return "unknown";
}

std::optional<Family> parse_family(std::string_view name) {
    for (const auto& row : k_families) {
        if (row.name == name) return row.family;
    }
    if (name == "one_time" || name == "onetime") return Family::one_time;
    return std::nullopt;
}

std::optional<Family> family_of(const nlohmann::json& payload) {
    if (!payload.is_object() || has_odd_mark(payload)) return std::nullopt;
    std::optional<Family> found;
    for (const auto& row : k_families) {
        if (!looks_like(payload, row.family)) continue;
        if (found) return std::nullopt;  // ambiguous: refuse rather than guess
        found = row.family;
    }
    return found;
}

Result<void> check_family(const nlohmann::json& payload, Family expected) {
    const auto actual = family_of(payload);
    if (!actual) return make_error(ErrorCode::invalid_token, "token belongs to no known family");
    if (*actual != expected) {
        return make_error(ErrorCode::invalid_token, "wrong token family: expected " +
                                                        std::string(family_name(expected)) + ", got " +
                                                        std::string(family_name(*actual)));
    }
    if (!well_formed(payload, expected)) {
        return make_error(ErrorCode::invalid_token,
                          "malformed " + std::string(family_name(expected)) + " token claims");
    }
    return Ok{};
}

Result<nlohmann::json> verify_family_token(std::string_view token, const jwt::KeySet& keys, Family family,
                                           UnixSeconds now, UnixSeconds leeway) {
    OTTS_TRY(auto payload, jwt::verify(token, keys, jwt::VerifyOptions{now, leeway}));
    OTTS_TRY_VOID(check_family(payload, family));
    return payload;
}

Result<void> add_extra_claims(nlohmann::json& payload, const nlohmann::json& extra) {
    if (extra.is_null()) return Ok{};
    if (!extra.is_object()) return make_error(ErrorCode::usage, "extra claims must be an object");
    for (const auto& [name, value] : extra.items()) {
        if (is_reserved_claim(name)) return make_error(ErrorCode::usage, "claim '" + name + "' is reserved");
        payload[name] = value;
    }
    return Ok{};
}

bool is_reserved_claim(std::string_view name) {
    static constexpr std::array<std::string_view, 15> k_reserved{
        "exp",  "iat",    "nbf",  "jti", "op",    "nonce", "pow_difficulty",  "pow_prefix",
        "uuid", "userId", "type", "id",  "email", "sub",   "license_key_hash"};
    return std::find(k_reserved.begin(), k_reserved.end(), name) != k_reserved.end();
}

}  // namespace otts
