#include "adapters/key_config.hpp"

#include <unistd.h>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

namespace otts {
namespace {

std::string kid_for(const std::string& secret) { return hex_encode(crypto::sha256(secret)).substr(0, 8); }

Result<jwt::Key> hs_key(std::string secret, const std::string& source) {
    auto key = jwt::Key::hs256(secret, kid_for(secret));
    if (!key) return make_error(ErrorCode::key_error, "secret from " + source + ": " + key.error().message());
    return key;
}

// The current secret and where it came from (for messages that must not show the value).
Result<std::pair<std::string, std::string>> current_secret(Family family, const Settings& settings,
                                                           const DataHome& home) {
    if (auto path = settings.get("OTTS_SECRET_FILE")) {
        OTTS_TRY(auto secret, read_secret_file(*path));
        return std::pair{std::move(secret), *path};
    }
    const std::string_view original = family == Family::one_time ? "SECRET_KEY" : "JWT_SECRET";
    if (auto value = settings.get({"OTTS_SECRET", original})) {
        return std::pair{std::move(*value), std::string("the environment or config")};
    }
    OTTS_TRY(auto secret, read_secret_file(home.secret_path()));
    return std::pair{std::move(secret), home.secret_path().string()};
}

}  // namespace

Result<std::string> read_secret_file(const std::filesystem::path& path) {
    OTTS_TRY(auto text, read_file(path));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

Result<jwt::KeySet> hs_family_keys(Family family, const Settings& settings, const DataHome& home) {
    OTTS_TRY(auto current, current_secret(family, settings, home));
    jwt::KeySet keys;
    OTTS_TRY(auto key, hs_key(std::move(current.first), current.second));
    keys.push_back(std::move(key));
    std::optional<std::string> previous;
    if (auto path = settings.get("OTTS_PREVIOUS_SECRET_FILE")) {
        OTTS_TRY(auto secret, read_secret_file(*path));
        previous = std::move(secret);
    } else {
        previous = settings.get("OTTS_PREVIOUS_SECRET");
    }
    if (previous) {
        OTTS_TRY(auto old_key, hs_key(std::move(*previous), "the previous secret"));
        keys.push_back(std::move(old_key));
    }
    return keys;
}

Result<crypto::PKey> load_pkey(const std::string& value) {
    if (value.rfind("-----BEGIN", 0) == 0) return crypto::PKey::from_pem(value);
    if (!value.empty() && value.front() == '{') return crypto::PKey::from_jwk(value);
    OTTS_TRY(const auto text, read_file(value));
    auto key = text.rfind("{", 0) == 0 ? crypto::PKey::from_jwk(text) : crypto::PKey::from_pem(text);
    if (!key) return make_error(ErrorCode::key_error, value + ": " + key.error().message());
    return key;
}

Result<jwt::KeySet> license_signing_keys(const Settings& settings, const DataHome& home) {
    const auto source = settings.get("OTTS_LICENSE_PRIVATE_KEY").value_or(home.license_key_path().string());
    OTTS_TRY(auto pkey, load_pkey(source));
    if (!pkey.has_private()) return make_error(ErrorCode::key_error, "license signing key has no private half");
    OTTS_TRY(auto key, jwt::Key::es256(std::move(pkey)));
    return jwt::KeySet{std::move(key)};
}

Result<jwt::KeySet> license_verifying_keys(const Settings& settings, const DataHome& home) {
    if (auto configured = settings.get({"OTTS_LICENSE_PUBLIC_KEY", "LICENSE_PUBLIC_KEY"})) {
        OTTS_TRY(auto pkey, load_pkey(*configured));
        OTTS_TRY(auto key, jwt::Key::es256(std::move(pkey)));
        return jwt::KeySet{std::move(key)};
    }
    return license_signing_keys(settings, home);
}

Result<jwt::KeySet> auth_token_keys(const Settings& settings, const DataHome& home) {
    const auto configured = settings.get("OTTS_AUTH_TOKEN_KEY");
    if (!configured) return license_signing_keys(settings, home);
    OTTS_TRY(auto pkey, load_pkey(*configured));
    if (!pkey.has_private()) return make_error(ErrorCode::key_error, "OTTS_AUTH_TOKEN_KEY has no private half");
    OTTS_TRY(auto key, jwt::Key::es256(std::move(pkey)));
    return jwt::KeySet{std::move(key)};
}

Result<std::string> pin_hash_key(const Settings& settings, const DataHome& home) {
    if (auto configured = settings.get("OTTS_PIN_KEY")) {
        if (configured->size() < 32) return make_error(ErrorCode::key_error, "OTTS_PIN_KEY must be at least 32 bytes");
        return std::move(*configured);
    }
    OTTS_TRY(const auto secret, read_secret_file(home.secret_path()));
    return crypto::hmac_sha256(secret, "otts pin hash key");
}

Result<std::string> session_secret(const Settings& settings, const DataHome& home) {
    if (auto configured = settings.get("SESSION_SECRET")) return std::move(*configured);
    OTTS_TRY(const auto secret, read_secret_file(home.secret_path()));
    return hex_encode(crypto::hmac_sha256(secret, "otts l42 session secret"));
}

Result<jwt::Key> dev_idp_key(const DataHome& home, Random& random) {
    const auto path = home.dir / "idp.key";
    if (::access(path.c_str(), F_OK) != 0) {
        OTTS_TRY(auto fresh, crypto::PKey::generate_rsa(2048));
        OTTS_TRY_VOID(write_file_once(path, fresh.private_pem(), random));
    }
    OTTS_TRY(const auto pem, read_file(path));  // the first writer's, if another process won
    OTTS_TRY(auto pkey, crypto::PKey::from_pem(pem));
    const auto kid = base64url_encode(crypto::sha256(pkey.public_jwk())).substr(0, 16);
    return jwt::Key::rs256(std::move(pkey), kid);
}

}  // namespace otts
