#include "core/secrets/secrets.hpp"

#include "core/encoding/base64.hpp"
#include "core/jose/crypto.hpp"

namespace otts {
namespace {

Error invalid(std::string message) { return make_error(ErrorCode::bad_request, std::move(message)); }

// Standard base64 of `bytes` bytes exactly (any length when bytes is 0).
bool is_base64_of(const nlohmann::json& value, std::size_t bytes) {
    if (!value.is_string()) return false;
    const auto decoded = base64_decode(value.get_ref<const std::string&>());
    return decoded && (bytes == 0 ? !decoded->empty() : decoded->size() == bytes);
}

Result<std::string> required_string(const nlohmann::json& body, const char* name) {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        return invalid(std::string(name) + " must be a non-empty string");
    }
    return it->get<std::string>();
}

Result<std::int64_t> integer_in(const nlohmann::json& body, const char* name, std::int64_t low, std::int64_t high) {
    const auto it = body.find(name);
    const std::string rule =
        std::string(name) + " must be an integer from " + std::to_string(low) + " to " + std::to_string(high);
    if (it == body.end() || !it->is_number_integer()) return invalid(rule);
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        if (value > static_cast<std::uint64_t>(high)) return invalid(rule);
    }
    const auto value = it->get<std::int64_t>();
    if (value < low || value > high) return invalid(rule);
    return value;
}

// A server-made id: 22 base64url characters of 16 bytes.
bool well_formed_id(std::string_view id) {
    if (id.size() != 22) return false;
    const auto bytes = base64url_decode(id);
    return bytes && bytes->size() == 16;
}

// Looked up in place of a malformed id, so that one costs what a well-formed one does. No
// secret has it: ids are 16 random bytes, and this one decodes to 15 zero bytes and a 0x01.
constexpr std::string_view k_absent_id = "AAAAAAAAAAAAAAAAAAAAAQ";

SecretView view_of(const SecretRecord& row, std::string access_token) {
    return SecretView{row.ciphertext, row.iv, row.salt, row.passphrase_protected, std::move(access_token)};
}

}  // namespace

Secrets::Secrets(SecretStore& store, CreateTokens& tokens, const Clock& clock, Random& random)
    : m_store(store), m_tokens(tokens), m_clock(clock), m_random(random) {}

Result<NewSecret> Secrets::parse(const nlohmann::json& body) {
    if (!body.is_object()) return invalid("the body must be a JSON object");
    NewSecret secret;
    const auto ciphertext = body.find("ciphertext");
    if (ciphertext == body.end() || !ciphertext->is_string() ||
        ciphertext->get_ref<const std::string&>().size() > k_max_ciphertext || !is_base64_of(*ciphertext, 0)) {
        return invalid("ciphertext must be base64 of at most " + std::to_string(k_max_ciphertext) + " characters");
    }
    secret.ciphertext = ciphertext->get<std::string>();
    const auto iv = body.find("iv");
    if (iv == body.end() || !is_base64_of(*iv, 12)) return invalid("iv must be base64 of exactly 12 bytes");
    secret.iv = iv->get<std::string>();
    // An absent salt reads as null, as JSON.stringify drops an undefined one.
    const auto salt = body.find("salt");
    if (salt != body.end() && !salt->is_null()) {
        if (!is_base64_of(*salt, 16)) return invalid("salt must be base64 of exactly 16 bytes, or null");
        secret.salt = salt->get<std::string>();
    }
    const auto passphrase = body.find("passphraseProtected");
    if (passphrase == body.end() || !passphrase->is_boolean()) return invalid("passphraseProtected must be a boolean");
    secret.passphrase_protected = passphrase->get<bool>();
    OTTS_TRY(secret.nonce, required_string(body, "nonce"));
    OTTS_TRY(secret.pow, required_string(body, "pow"));
    OTTS_TRY(secret.ttl, integer_in(body, "ttl", k_min_ttl, k_max_ttl));
    OTTS_TRY(const auto views, integer_in(body, "maxViews", 1, k_max_views));
    secret.max_views = static_cast<int>(views);
    return secret;
}

Result<CreatedSecret> Secrets::create(std::string_view token, const NewSecret& secret) {
    // The same single-use record as POST /token/redeem: one conditional write on the jti.
    OTTS_TRY_VOID(m_tokens.redeem(token, secret.nonce, secret.pow));
    const UnixSeconds now = m_clock.now();
    SecretRecord row{
        .id = base64url_encode(m_random.bytes(16)),
        .ciphertext = secret.ciphertext,
        .iv = secret.iv,
        .salt = secret.salt,
        .passphrase_protected = secret.passphrase_protected,
        .remaining_views = secret.max_views,
        .burn_token = m_random.hex(16),
        .created_at = now,
        .expires_at = now + secret.ttl,
        .last_access_at = std::nullopt,
        .last_access_token = std::nullopt,
    };
    OTTS_TRY_VOID(m_store.put_secret(row));
    return CreatedSecret{std::move(row.id), std::move(row.burn_token), row.expires_at};
}

std::string Secrets::store_key(std::string_view id) const { return std::string(well_formed_id(id) ? id : k_absent_id); }

Result<std::optional<SecretView>> Secrets::read(std::string_view id, std::optional<std::string_view> access_token) {
    const UnixSeconds now = m_clock.now();
    const std::string key = store_key(id);
    if (access_token && !access_token->empty()) {
        OTTS_TRY(const auto row, m_store.get_secret(key, now));
        if (row && row->last_access_token && row->last_access_at && now < *row->last_access_at + k_access_window &&
            crypto::equal_ct(*row->last_access_token, *access_token)) {
            return std::optional<SecretView>(view_of(*row, *row->last_access_token));
        }
    }
    std::string fresh = m_random.hex(16);
    OTTS_TRY(const auto row, m_store.take_view(key, fresh, now));
    if (!row) return std::optional<SecretView>();
    return std::optional<SecretView>(view_of(*row, std::move(fresh)));
}

Result<void> Secrets::burn(std::string_view id, std::string_view burn_token) {
    OTTS_TRY(const auto row, m_store.get_secret(store_key(id), m_clock.now()));
    if (!row || !crypto::equal_ct(row->burn_token, burn_token)) return Ok{};
    return m_store.delete_secret(row->id, row->burn_token);
}

}  // namespace otts
