#include "core/jose/jwks.hpp"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/encoding/json_text.hpp"

namespace otts {
namespace {

using json = nlohmann::json;

Error key_error(std::string detail) { return make_error(ErrorCode::key_error, std::move(detail)); }

// A member that, when present, must be a string equal to `wanted`.
bool absent_or_equals(const json& jwk, const char* name, std::string_view wanted) {
    const auto it = jwk.find(name);
    return it == jwk.end() || (it->is_string() && it->get_ref<const std::string&>() == wanted);
}

bool allows_verify(const json& jwk) {
    const auto it = jwk.find("key_ops");
    if (it == jwk.end()) return true;
    return it->is_array() && std::find(it->begin(), it->end(), json("verify")) != it->end();
}

// The RS256 key a JWKS entry describes, or nullopt when it is one to skip.
std::optional<jwt::Key> usable_key(const json& jwk) {
    if (!jwk.is_object() || jwk.value("kty", json()) != "RSA") return std::nullopt;
    if (!absent_or_equals(jwk, "use", "sig") || !absent_or_equals(jwk, "alg", "RS256") || !allows_verify(jwk)) {
        return std::nullopt;
    }
    const auto kid = jwk.find("kid");
    if (kid != jwk.end() && !kid->is_string()) return std::nullopt;
    // Only the public members go on, so a stray "d" cannot change how the key is read.
    const json pub = {{"kty", "RSA"}, {"n", jwk.value("n", json())}, {"e", jwk.value("e", json())}};
    auto pkey = crypto::PKey::from_jwk(pub.dump());
    if (!pkey) return std::nullopt;
    auto key = jwt::Key::rs256(std::move(pkey).value(), kid == jwk.end() ? std::string() : kid->get<std::string>());
    if (!key) return std::nullopt;
    return std::move(key).value();
}

}  // namespace

Result<jwt::KeySet> keys_from_jwks(std::string_view jwks_json) {
    const auto doc = json::parse(jwks_json, nullptr, false);
    if (doc.is_discarded()) return key_error("JWKS is not valid JSON");
    const auto keys = doc.is_object() ? doc.find("keys") : doc.end();
    if (!doc.is_object() || keys == doc.end() || !keys->is_array()) {
        return key_error("JWKS is not an object with a \"keys\" array");
    }
    jwt::KeySet out;
    for (const auto& jwk : *keys) {
        if (auto key = usable_key(jwk)) out.push_back(std::move(*key));
    }
    if (out.empty()) return key_error("JWKS has no usable RS256 signing key");
    return out;
}

std::string jwks_document(const jwt::KeySet& keys) {
    json list = json::array();
    for (const auto& key : keys) {
        if (key.alg != jwt::Alg::RS256 || !key.pkey || key.pkey->type() != crypto::KeyType::rsa) continue;
        json jwk = json::parse(key.pkey->public_jwk());
        jwk["alg"] = "RS256";
        jwk["use"] = "sig";
        if (!key.kid.empty()) jwk["kid"] = key.kid;
        list.push_back(std::move(jwk));
    }
    return json_text(json{{"keys", std::move(list)}});  // kid is caller-chosen text
}

}  // namespace otts
