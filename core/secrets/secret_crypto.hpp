#pragma once
// The client side of S0's end-to-end encryption (sealed.fyi `frontend/js/crypto.js`,
// docs/CRYPTO.md; DESIGN §13): what `otts secret` and the web page produce and read, byte for
// byte as sealed.fyi's browser code does. Pure functions: keys, IVs and salts come in as values
// (the caller draws them from its Random), nothing here does I/O.
//
//   content:  AES-256-GCM(key, iv, UTF-8 plaintext) = ciphertext || 16-byte tag
//   POST body: ciphertext, iv and salt in standard base64 with padding (btoa), salt null
//              without a passphrase
//   fragment: base64url (no padding) of the 32-byte key; with a passphrase, of
//             wrapIV || AES-256-GCM(PBKDF2-SHA256(passphrase, salt, 100,000), wrapIV, key)
//   link:     <page>#<id>:<fragment>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace otts::secrets {

inline constexpr std::size_t k_key_bytes = 32;
inline constexpr std::size_t k_iv_bytes = 12;
inline constexpr std::size_t k_salt_bytes = 16;
inline constexpr std::size_t k_tag_bytes = 16;
inline constexpr int k_pbkdf2_iterations = 100'000;
// The server's bound (DESIGN §13, sealed.fyi docs/API.md "max 68 KB (base64)"): 68 KiB of
// base64 ciphertext, so 52,224 bytes of ciphertext and tag, 52,208 of plaintext.
inline constexpr std::size_t k_max_ciphertext_base64 = 68 * 1024;
inline constexpr std::size_t k_max_plaintext_bytes = k_max_ciphertext_base64 / 4 * 3 - k_tag_bytes;

// AES-256-GCM: ciphertext || tag. usage when the key is not 32 bytes or the IV not 12.
Result<std::string> encrypt(std::string_view plaintext, std::string_view key, std::string_view iv);
// invalid_token when the tag does not verify (wrong key, altered data).
Result<std::string> decrypt(std::string_view sealed, std::string_view key, std::string_view iv);

// The fragment of a passphrase-protected secret: base64url(wrap_iv || wrapped key || tag).
// usage for an empty passphrase or wrong sizes (key 32, salt 16, wrap_iv 12 bytes).
Result<std::string> wrap_key(std::string_view key, std::string_view passphrase, std::string_view salt,
                             std::string_view wrap_iv);
// The content key back from such a fragment; invalid_token when the fragment is malformed or
// the passphrase (or salt) is wrong.
Result<std::string> unwrap_key(std::string_view fragment, std::string_view passphrase, std::string_view salt);

// The randomness one secret needs, drawn by the caller.
struct SealMaterial {
    std::string key;      // 32 bytes
    std::string iv;       // 12 bytes
    std::string salt;     // 16 bytes; used only with a passphrase
    std::string wrap_iv;  // 12 bytes; used only with a passphrase
};

// What POST /secrets carries (base64) and what goes after the `:` of the link.
struct SealedSecret {
    std::string ciphertext;           // standard base64
    std::string iv;                   // standard base64
    std::optional<std::string> salt;  // standard base64; nullopt without a passphrase
    std::string fragment;             // base64url key, or the wrapped key
};

// sealed.fyi's encryptSecret. usage when the plaintext is over k_max_plaintext_bytes, or for
// the size errors of encrypt / wrap_key. An empty passphrase means none (as in sealed.fyi).
Result<SealedSecret> seal_secret(std::string_view plaintext, const std::optional<std::string>& passphrase,
                                 const SealMaterial& material);
// sealed.fyi's decryptSecret over the fields GET /secrets/{id} answers. bad_request for
// fields that are not base64 of the right sizes; usage when a salt is present and no
// passphrase is given; invalid_token when decryption fails.
Result<std::string> open_secret(std::string_view ciphertext, std::string_view iv,
                                const std::optional<std::string>& salt, std::string_view fragment,
                                const std::optional<std::string>& passphrase);

struct ShareLink {
    std::string page;      // everything before '#' (may be empty)
    std::string id;        // the secret's id
    std::string fragment;  // what follows the first ':'
};

std::string make_share_link(std::string_view page, std::string_view id, std::string_view fragment);
// Accepts "<page>#<id>:<fragment>" or a bare "<id>:<fragment>". usage when either part is
// empty or not base64url characters (the id is then safe to put in a path).
Result<ShareLink> parse_share_link(std::string_view link);

}  // namespace otts::secrets
