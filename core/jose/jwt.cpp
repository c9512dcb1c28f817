#include "core/jose/jwt.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/encoding/base64.hpp"

namespace otts::jwt {
namespace {

using json = nlohmann::json;

Error invalid(std::string detail) { return make_error(ErrorCode::invalid_token, std::move(detail)); }

// ---------------------------------------------------------------------------------------------
// Strict JSON through nlohmann, plus the one check it lacks: duplicate member names.

// nlohmann keeps the last of duplicate members silently; its parse callback sees every key, so
// a stack of per-object key sets finds them.
Result<json> parse_with_nlohmann(std::string_view text, const char* what) {
    std::vector<std::set<std::string>> open_objects;
    bool duplicate = false;
    auto callback = [&](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) open_objects.emplace_back();
        if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
        if (event == json::parse_event_t::key && !open_objects.empty() &&
            !open_objects.back().insert(parsed.get<std::string>()).second) {
            duplicate = true;
        }
        return true;
    };
    json out = json::parse(text.begin(), text.end(), callback, false);
    if (out.is_discarded()) return invalid(std::string("token ") + what + " is not valid JSON");
    if (duplicate) return invalid(std::string("token ") + what + " has a duplicate member name");
    return out;
}

Result<json> parse_object(std::string_view b64, const char* what) {
    const auto text = base64url_decode(b64);
    if (!text) return invalid(std::string("token ") + what + " is not strict base64url");
    OTTS_TRY(auto out, parse_with_nlohmann(*text, what));
    if (!out.is_object()) return invalid(std::string("token ") + what + " is not a JSON object");
    return out;
}

Result<std::string> to_json_text(const json& v) {
    try {
        return v.dump();
    } catch (const json::exception&) {
        return make_error(ErrorCode::bad_request, "token claims contain invalid UTF-8");
    }
}

// ---------------------------------------------------------------------------------------------
// Verification steps.

std::optional<Alg> parse_alg(std::string_view name) {
    if (name == "HS256") return Alg::HS256;
    if (name == "ES256") return Alg::ES256;
    if (name == "RS256") return Alg::RS256;
    return std::nullopt;  // includes "none"
}

// Header values are attacker-chosen: quote at most a few printable characters of them.
std::string shown(std::string_view s) {
    std::string out = "'";
    for (const char c : s.substr(0, 16)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out + (s.size() > 16 ? "...'" : "'");
}

struct HeaderInfo {
    std::optional<Error> error;
    Alg alg = Alg::HS256;
    bool has_kid = false;
    std::string kid;
};

HeaderInfo read_header(std::string_view b64) {
    HeaderInfo info;
    auto header = parse_object(b64, "header");
    if (!header) return info.error = header.error(), info;
    if (header->contains("crit")) return info.error = invalid("crit header parameters are not supported"), info;
    const auto alg = header->find("alg");
    if (alg == header->end() || !alg->is_string()) return info.error = invalid("token header has no alg"), info;
    const auto& alg_text = alg->get_ref<const std::string&>();
    const auto parsed = parse_alg(alg_text);
    if (!parsed) return info.error = invalid("alg " + shown(alg_text) + " is not accepted"), info;
    info.alg = *parsed;
    const auto kid = header->find("kid");
    if (kid != header->end() && !kid->is_string()) return info.error = invalid("token kid is not a string"), info;
    info.has_kid = kid != header->end();
    if (info.has_kid) info.kid = kid->get<std::string>();
    return info;
}

// Tokens from one issuer share their header byte for byte; remember the last one per thread.
const HeaderInfo& header_info(std::string_view b64) {
    thread_local std::string last_b64;
    thread_local std::optional<HeaderInfo> last;
    if (!last || b64 != last_b64) {
        last = read_header(b64);
        last_b64.assign(b64);
    }
    return *last;
}

bool signature_ok(const Key& key, std::string_view input, std::string_view sig) {
    switch (key.alg) {
        case Alg::HS256:
            return sig.size() == 32 && key.secret.size() >= 32 &&
                   crypto::equal_ct(crypto::hmac_sha256(key.secret, input), sig);
        case Alg::ES256: return key.pkey && key.pkey->verify_es256(input, sig);
        case Alg::RS256: return key.pkey && key.pkey->verify_rs256(input, sig);
    }
    return false;
}

Result<void> check_signature(const HeaderInfo& header, std::string_view input, std::string_view sig,
                             const KeySet& keys) {
    bool kid_known = false;
    bool alg_known = false;
    for (const auto& key : keys) {
        if (header.has_kid && key.kid != header.kid) continue;
        kid_known = true;
        if (key.alg != header.alg) continue;  // the key decides the algorithm, not the header
        alg_known = true;
        if (signature_ok(key, input, sig)) return Ok{};
    }
    if (!kid_known) return invalid(header.has_kid ? "no key with kid " + shown(header.kid) : "no verification key");
    if (!alg_known) return invalid("alg " + std::string(alg_name(header.alg)) + " does not match the key");
    return invalid("signature does not verify");
}

// RFC 7519 NumericDate may be fractional; double is exact for every date in range.
Result<std::optional<double>> numeric_claim(const json& payload, const char* name) {
    const auto it = payload.find(name);
    if (it == payload.end()) return std::optional<double>();
    if (!it->is_number()) return invalid(std::string(name) + " claim is not a number");
    // Range first: 1e999 parses as infinity, and 1e19 has no int64 value to compare or store.
    const double value = it->get<double>();
    if (!(value >= 0 && value <= k_max_numeric_date)) return invalid(std::string(name) + " claim is out of range");
    return std::optional<double>(value);
}

UnixSeconds whole_second(double in_range) { return static_cast<UnixSeconds>(std::ceil(in_range)); }

Result<void> check_times(const json& payload, const VerifyOptions& opts) {
    const UnixSeconds leeway = std::clamp(opts.leeway, UnixSeconds{0}, k_max_leeway);
    OTTS_TRY(const auto exp, numeric_claim(payload, "exp"));
    if (!exp && opts.require_exp) return invalid("token has no exp claim");
    // The one acceptance comparison (DESIGN §5): valid while now < exp + leeway.
    if (exp && !(opts.now < whole_second(*exp) + leeway))
        return make_error(ErrorCode::token_expired, "token has expired");
    const auto now = static_cast<double>(opts.now + leeway);
    OTTS_TRY(const auto nbf, numeric_claim(payload, "nbf"));
    if (nbf && *nbf > now) return make_error(ErrorCode::token_not_yet_valid, "token is not valid yet (nbf)");
    OTTS_TRY(const auto iat, numeric_claim(payload, "iat"));
    if (iat && *iat > now) return make_error(ErrorCode::token_not_yet_valid, "token issued in the future");
    return Ok{};
}

struct Parts {
    std::string_view header, payload, signature, signing_input;
};

Result<Parts> split(std::string_view token) {
    if (token.size() > k_max_token_bytes) return invalid("token larger than 8 KiB");
    const auto first = token.find('.');
    const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        return invalid("token must have exactly three dot-separated parts");
    }
    return Parts{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1),
                 token.substr(0, second)};
}

Result<std::string> header_text(const Key& key) {
    json header = {{"alg", alg_name(key.alg)}, {"typ", "JWT"}};
    if (!key.kid.empty()) header["kid"] = key.kid;
    return to_json_text(header);
}

Result<std::string> sign(std::string_view input, const Key& key) {
    switch (key.alg) {
        case Alg::HS256:
            if (key.secret.size() < 32) return make_error(ErrorCode::key_error, "HS256 secret shorter than 32 bytes");
            return crypto::hmac_sha256(key.secret, input);
        case Alg::ES256:
            if (!key.pkey) return make_error(ErrorCode::key_error, "ES256 key missing");
            return key.pkey->sign_es256(input);
        case Alg::RS256:
            if (!key.pkey) return make_error(ErrorCode::key_error, "RS256 key missing");
            return key.pkey->sign_rs256(input);
    }
    return make_error(ErrorCode::internal, "unknown JWT algorithm");
}

}  // namespace

std::string_view alg_name(Alg alg) {
    switch (alg) {
        case Alg::HS256: return "HS256";
        case Alg::ES256: return "ES256";
        case Alg::RS256: return "RS256";
    }
    return "unknown";
}

Result<Key> Key::hs256(std::string secret, std::string kid) {
    if (secret.size() < 32) return make_error(ErrorCode::key_error, "HS256 secret must be at least 32 bytes");
    return Key{Alg::HS256, std::move(kid), std::move(secret), std::nullopt};
}

Result<Key> Key::es256(crypto::PKey pkey, std::string kid) {
    if (pkey.type() != crypto::KeyType::ec_p256) return make_error(ErrorCode::key_error, "ES256 needs a P-256 key");
    return Key{Alg::ES256, std::move(kid), {}, std::move(pkey)};
}

Result<Key> Key::rs256(crypto::PKey pkey, std::string kid) {
    if (pkey.type() != crypto::KeyType::rsa) return make_error(ErrorCode::key_error, "RS256 needs an RSA key");
    return Key{Alg::RS256, std::move(kid), {}, std::move(pkey)};
}

Result<std::string> encode(const nlohmann::json& payload, const Key& key) {
    if (!payload.is_object()) return make_error(ErrorCode::internal, "JWT payload must be a JSON object");
    OTTS_TRY(const auto header, header_text(key));
    OTTS_TRY(const auto claims, to_json_text(payload));
    std::string token = base64url_encode(header);
    token += '.';
    token += base64url_encode(claims);
    OTTS_TRY(const auto sig, sign(token, key));
    token += '.';
    token += base64url_encode(sig);
    return token;
}

Result<Decoded> decode(std::string_view token) {
    OTTS_TRY(const auto parts, split(token));
    OTTS_TRY(auto header, parse_object(parts.header, "header"));
    OTTS_TRY(auto payload, parse_object(parts.payload, "payload"));
    auto signature = base64url_decode(parts.signature);
    if (!signature) return invalid("token signature is not strict base64url");
    return Decoded{std::move(header), std::move(payload), std::string(parts.signing_input), std::move(*signature)};
}

Result<nlohmann::json> verify(std::string_view token, const KeySet& keys, const VerifyOptions& opts) {
    OTTS_TRY(const auto parts, split(token));
    const HeaderInfo& header = header_info(parts.header);
    if (header.error) return *header.error;
    const auto signature = base64url_decode(parts.signature);
    if (!signature) return invalid("token signature is not strict base64url");
    OTTS_TRY_VOID(check_signature(header, parts.signing_input, *signature, keys));
    OTTS_TRY(auto payload, parse_object(parts.payload, "payload"));
    OTTS_TRY_VOID(check_times(payload, opts));
    return payload;
}

UnixSeconds expiry_of(const nlohmann::json& verified_payload) {
    const auto it = verified_payload.find("exp");
    // verify range-checked it; anything else (no exp) has no expiry second but "now".
    if (it == verified_payload.end() || !it->is_number()) return 0;
    return whole_second(std::clamp(it->get<double>(), 0.0, k_max_numeric_date));
}

}  // namespace otts::jwt
