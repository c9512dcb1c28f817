#pragma once
// S0, sealed.fyi's secrets (DESIGN §13): a create token and its proof of work buy one secret;
// the secret is read a bounded number of times until its expiry, or burned early. The server
// only ever holds ciphertext: the key travels in the share link's fragment.
//
// Anti-oracle: read answers nullopt alike for an absent, expired, used-up, burned or
// malformed id, and a malformed id still costs the same store write as a well-formed one
// (on an id no secret has), so neither the answer nor its timing tells them apart.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/ports/random.hpp"
#include "core/ports/secret_store.hpp"
#include "core/tokens/create_tokens.hpp"

namespace otts {

// The body of POST /secrets, validated.
struct NewSecret {
    std::string ciphertext;           // standard base64 (padded), at most k_max_ciphertext characters
    std::string iv;                   // base64 of 12 bytes
    std::optional<std::string> salt;  // base64 of 16 bytes, or null
    std::string nonce;
    std::string pow;
    UnixSeconds ttl = 0;  // [k_min_ttl, k_max_ttl]
    int max_views = 1;    // [1, k_max_views]
    bool passphrase_protected = false;
};

struct CreatedSecret {
    std::string id;
    std::string burn_token;
    UnixSeconds expires_at;
};

struct SecretView {
    std::string ciphertext;
    std::string iv;
    std::optional<std::string> salt;
    bool passphrase_protected;
    std::string access_token;  // presented again within k_access_window, fetches without a view
};

class Secrets {
public:
    // sealed.fyi's limits: "~68 KB" of base64 text (50 KB of plaintext, its tag, base64);
    // read as 68 KiB.
    static constexpr std::size_t k_max_ciphertext = 68 * 1024;
    static constexpr UnixSeconds k_min_ttl = 900;
    static constexpr UnixSeconds k_max_ttl = 7'776'000;
    static constexpr int k_max_views = 5;

    Secrets(SecretStore& store, CreateTokens& tokens, const Clock& clock, Random& random);

    // The body's members checked against §13's rules. bad_request whose detail names the
    // member and the rule.
    static Result<NewSecret> parse(const nlohmann::json& body);

    // Spends the create token (CreateTokens::redeem: invalid_token, token_expired,
    // token_used, pow_invalid), then stores the secret. Validate (parse) first: a refused body
    // must not cost the caller the token.
    Result<CreatedSecret> create(std::string_view token, const NewSecret& secret);

    // One view of the secret, or nullopt when it is not available (any reason). With the
    // access token the last view of this secret returned, less than k_access_window seconds
    // ago, the same view again without spending one. store_error only when the store fails.
    Result<std::optional<SecretView>> read(std::string_view id, std::optional<std::string_view> access_token);

    // Deletes the secret iff `burn_token` is its burn token (compared in constant time);
    // otherwise nothing. store_error only when the store fails.
    Result<void> burn(std::string_view id, std::string_view burn_token);

private:
    std::string store_key(std::string_view id) const;

    SecretStore& m_store;
    CreateTokens& m_tokens;
    const Clock& m_clock;
    Random& m_random;
};

}  // namespace otts
