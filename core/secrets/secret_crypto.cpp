#include "core/secrets/secret_crypto.hpp"

#include <algorithm>

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

namespace otts::secrets {
namespace {

bool base64url_chars(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// A field of GET /secrets/{id}: standard base64 of exactly `size` bytes (0: any non-empty).
Result<std::string> field_bytes(std::string_view name, std::string_view text, std::size_t size) {
    auto bytes = base64_decode(text);
    if (!bytes || bytes->empty() || (size != 0 && bytes->size() != size)) {
        const auto want = size != 0 ? " of " + std::to_string(size) + " bytes" : std::string();
        return make_error(ErrorCode::bad_request, "the secret's " + std::string(name) + " is not base64" + want);
    }
    return std::move(*bytes);
}

Result<std::string> wrapping_key(std::string_view passphrase, std::string_view salt) {
    if (passphrase.empty()) return make_error(ErrorCode::usage, "the passphrase is empty");
    if (salt.size() != k_salt_bytes) return make_error(ErrorCode::usage, "the salt must be 16 bytes");
    return crypto::pbkdf2_sha256(passphrase, salt, k_pbkdf2_iterations, k_key_bytes);
}

}  // namespace

Result<std::string> encrypt(std::string_view plaintext, std::string_view key, std::string_view iv) {
    return crypto::aes256_gcm_seal(plaintext, key, iv);
}

Result<std::string> decrypt(std::string_view sealed, std::string_view key, std::string_view iv) {
    return crypto::aes256_gcm_open(sealed, key, iv);
}

Result<std::string> wrap_key(std::string_view key, std::string_view passphrase, std::string_view salt,
                             std::string_view wrap_iv) {
    if (key.size() != k_key_bytes) return make_error(ErrorCode::usage, "the content key must be 32 bytes");
    OTTS_TRY(const auto kek, wrapping_key(passphrase, salt));
    OTTS_TRY(const auto wrapped, crypto::aes256_gcm_seal(key, kek, wrap_iv));
    return base64url_encode(std::string(wrap_iv) + wrapped);
}

Result<std::string> unwrap_key(std::string_view fragment, std::string_view passphrase, std::string_view salt) {
    const auto bytes = base64url_decode(fragment);
    if (!bytes || bytes->size() != k_iv_bytes + k_key_bytes + k_tag_bytes) {
        return make_error(ErrorCode::invalid_token, "the link's key is not a wrapped 32-byte key");
    }
    OTTS_TRY(const auto kek, wrapping_key(passphrase, salt));
    return crypto::aes256_gcm_open(std::string_view(*bytes).substr(k_iv_bytes), kek,
                                   std::string_view(*bytes).substr(0, k_iv_bytes));
}

Result<SealedSecret> seal_secret(std::string_view plaintext, const std::optional<std::string>& passphrase,
                                 const SealMaterial& material) {
    if (plaintext.size() > k_max_plaintext_bytes) {
        return make_error(ErrorCode::usage, "the secret is over " + std::to_string(k_max_plaintext_bytes) +
                                                " bytes (the server takes 68 KiB of base64)");
    }
    OTTS_TRY(const auto ciphertext, encrypt(plaintext, material.key, material.iv));
    SealedSecret sealed{base64_encode(ciphertext), base64_encode(material.iv), std::nullopt, {}};
    if (!passphrase || passphrase->empty()) {
        if (material.key.size() != k_key_bytes) return make_error(ErrorCode::usage, "the content key must be 32 bytes");
        sealed.fragment = base64url_encode(material.key);
        return sealed;
    }
    OTTS_TRY(sealed.fragment, wrap_key(material.key, *passphrase, material.salt, material.wrap_iv));
    sealed.salt = base64_encode(material.salt);
    return sealed;
}

Result<std::string> open_secret(std::string_view ciphertext, std::string_view iv,
                                const std::optional<std::string>& salt, std::string_view fragment,
                                const std::optional<std::string>& passphrase) {
    OTTS_TRY(const auto sealed, field_bytes("ciphertext", ciphertext, 0));
    OTTS_TRY(const auto iv_bytes, field_bytes("iv", iv, k_iv_bytes));
    std::string key;
    if (salt) {
        OTTS_TRY(const auto salt_bytes, field_bytes("salt", *salt, k_salt_bytes));
        if (!passphrase || passphrase->empty()) {
            return make_error(ErrorCode::usage, "this secret is protected by a passphrase: give --passphrase-file");
        }
        OTTS_TRY(key, unwrap_key(fragment, *passphrase, salt_bytes));
    } else {
        auto raw = base64url_decode(fragment);
        if (!raw || raw->size() != k_key_bytes) {
            return make_error(ErrorCode::invalid_token, "the link's key is not 32 bytes of base64url");
        }
        key = std::move(*raw);
    }
    return decrypt(sealed, key, iv_bytes);
}

std::string make_share_link(std::string_view page, std::string_view id, std::string_view fragment) {
    std::string link(page);
    link += '#';
    link += id;
    link += ':';
    link += fragment;
    return link;
}

Result<ShareLink> parse_share_link(std::string_view link) {
    const auto hash = link.find('#');
    const auto page = hash == std::string_view::npos ? std::string_view() : link.substr(0, hash);
    const auto rest = hash == std::string_view::npos ? link : link.substr(hash + 1);
    const auto colon = rest.find(':');  // the first one, as sealed.fyi's parseUrlFragment
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
        return make_error(ErrorCode::usage, "not a secret link: expected <page>#<id>:<key>");
    }
    const auto id = rest.substr(0, colon);
    const auto fragment = rest.substr(colon + 1);
    if (!base64url_chars(id) || !base64url_chars(fragment)) {
        return make_error(ErrorCode::usage, "not a secret link: the id and key must be base64url");
    }
    return ShareLink{std::string(page), std::string(id), std::string(fragment)};
}

}  // namespace otts::secrets
