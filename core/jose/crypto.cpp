#include "core/jose/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/encoding/base64.hpp"
#include "core/encoding/json_member.hpp"

namespace otts::crypto {
namespace {

// RAII for the OpenSSL objects used here.
template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const {
        Free(p);
    }
};
using MdPtr = std::unique_ptr<EVP_MD, Deleter<EVP_MD_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using SigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>>;

const auto* as_bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Fetching an algorithm goes through the provider name map and locks; do it once.
EVP_MD* sha256_md() {
    static const MdPtr md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    return md.get();
}

EVP_MAC* hmac_mac() {
    static const MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    return mac.get();
}

// The group order n of P-256, big-endian: ES256 signature halves must lie in [1, n-1].
constexpr std::array<unsigned char, 32> k_p256_order{0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
                                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
                                                     0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};

bool in_scalar_range(const unsigned char* v) {
    const bool zero = std::all_of(v, v + 32, [](unsigned char b) { return b == 0; });
    return !zero && std::memcmp(v, k_p256_order.data(), 32) < 0;
}

// A keyed HMAC context kept per thread, so that the key schedule (ipad/opad blocks) is
// computed once per secret rather than on every token. Re-initialising with a null key
// rewinds the context to its keyed state.
struct KeyedMac {
    std::string key;
    MacCtxPtr ctx;
    ~KeyedMac() { OPENSSL_cleanse(key.data(), key.size()); }
};

EVP_MAC_CTX* keyed_mac(std::string_view key) {
    constexpr std::size_t k_slots = 4;
    thread_local std::array<KeyedMac, k_slots> cache;
    thread_local std::size_t next = 0;
    for (auto& slot : cache) {
        if (slot.ctx && slot.key.size() == key.size() && std::memcmp(slot.key.data(), key.data(), key.size()) == 0) {
            return EVP_MAC_init(slot.ctx.get(), nullptr, 0, nullptr) == 1 ? slot.ctx.get() : nullptr;
        }
    }
    auto& slot = cache[next++ % k_slots];
    OPENSSL_cleanse(slot.key.data(), slot.key.size());
    slot.ctx.reset(EVP_MAC_CTX_new(hmac_mac()));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    static const unsigned char k_empty = 0;  // HMAC with an empty key is defined; OpenSSL wants a pointer
    const unsigned char* key_bytes = key.empty() ? &k_empty : as_bytes(key);
    if (!slot.ctx || EVP_MAC_init(slot.ctx.get(), key_bytes, key.size(), params) != 1) {
        slot.ctx.reset();
        return nullptr;
    }
    slot.key.assign(key);
    return slot.ctx.get();
}

}  // namespace

std::string sha256(std::string_view data) {
    std::string out(32, '\0');
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len, sha256_md(),
                   nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");  // only on allocation failure
    }
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    EVP_MAC_CTX* ctx = keyed_mac(key);
    std::string out(32, '\0');
    std::size_t len = 0;
    if (!ctx || EVP_MAC_update(ctx, as_bytes(data), data.size()) != 1 ||
        EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, out.size()) != 1) {
        throw std::runtime_error("HMAC-SHA256 failed");  // only on allocation failure
    }
    return out;
}

bool equal_ct(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// ---------------------------------------------------------------------------------------------
// AES-256-GCM and PBKDF2 (S0 secrets: the client side of sealed.fyi's WebCrypto code)

namespace {

constexpr std::size_t k_gcm_key = 32;
constexpr std::size_t k_gcm_iv = 12;
constexpr std::size_t k_gcm_tag = 16;

EVP_CIPHER* aes256_gcm() {
    static const CipherPtr cipher(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
    return cipher.get();
}

auto* as_out(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// A context keyed for one direction; null on a library failure.
CipherCtxPtr gcm_context(std::string_view key, std::string_view iv, bool encrypt) {
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    // WebCrypto's IV may be any length; sealed.fyi always uses 12 bytes, the GCM default.
    if (!ctx ||
        EVP_CipherInit_ex2(ctx.get(), aes256_gcm(), as_bytes(key), as_bytes(iv), encrypt ? 1 : 0, nullptr) != 1) {
        return nullptr;
    }
    return ctx;
}

Result<void> check_gcm_sizes(std::string_view key, std::string_view iv) {
    if (key.size() != k_gcm_key) return make_error(ErrorCode::usage, "AES-256-GCM needs a 32-byte key");
    if (iv.size() != k_gcm_iv) return make_error(ErrorCode::usage, "AES-256-GCM needs a 12-byte IV");
    return {};
}

}  // namespace

Result<std::string> aes256_gcm_seal(std::string_view plaintext, std::string_view key, std::string_view iv) {
    OTTS_TRY_VOID(check_gcm_sizes(key, iv));
    const auto ctx = gcm_context(key, iv, true);
    std::string out(plaintext.size() + k_gcm_tag, '\0');
    int len = 0;
    int tail = 0;
    if (!ctx ||
        EVP_CipherUpdate(ctx.get(), as_out(out), &len, as_bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), as_out(out) + len, &tail) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, k_gcm_tag, as_out(out) + plaintext.size()) != 1) {
        return make_error(ErrorCode::internal, "AES-256-GCM encryption failed");
    }
    return out;
}

Result<std::string> aes256_gcm_open(std::string_view sealed, std::string_view key, std::string_view iv) {
    OTTS_TRY_VOID(check_gcm_sizes(key, iv));
    if (sealed.size() < k_gcm_tag) return make_error(ErrorCode::invalid_token, "ciphertext shorter than its tag");
    const auto body = sealed.substr(0, sealed.size() - k_gcm_tag);
    std::string tag(sealed.substr(body.size()));
    const auto ctx = gcm_context(key, iv, false);
    std::string out(body.size(), '\0');
    int len = 0;
    int tail = 0;
    if (!ctx || EVP_CipherUpdate(ctx.get(), as_out(out), &len, as_bytes(body), static_cast<int>(body.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, k_gcm_tag, tag.data()) != 1) {
        return make_error(ErrorCode::internal, "AES-256-GCM decryption failed");
    }
    if (EVP_CipherFinal_ex(ctx.get(), as_out(out) + len, &tail) != 1) {
        OPENSSL_cleanse(out.data(), out.size());  // unauthenticated bytes never leave
        return make_error(ErrorCode::invalid_token, "decryption failed: wrong key or passphrase, or altered data");
    }
    return out;
}

Result<std::string> pbkdf2_sha256(std::string_view password, std::string_view salt, int iterations,
                                  std::size_t length) {
    if (iterations < 1 || length == 0) return make_error(ErrorCode::usage, "PBKDF2 needs iterations and a length");
    static const KdfPtr kdf(EVP_KDF_fetch(nullptr, "PBKDF2", nullptr));
    const KdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
    char digest[] = "SHA256";
    auto iter = static_cast<unsigned int>(iterations);
    int pkcs5_mode = 1;  // no SP 800-132 lower bounds: WebCrypto has none, so must not we
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()), password.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
        OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &iter),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5_mode),
        OSSL_PARAM_construct_end()};
    std::string out(length, '\0');
    if (!ctx || EVP_KDF_derive(ctx.get(), as_out(out), out.size(), params) != 1) {
        return make_error(ErrorCode::internal, "PBKDF2 failed");
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// PKey

struct PKey::Impl {
    PkeyPtr pkey;
    KeyType type;
    bool has_private;

    // Operation contexts are costly to set up (provider fetch, key export) but not safe to
    // share between threads, so each is made once and pooled.
    struct Pool {
        std::mutex mutex;
        std::vector<PkeyCtxPtr> free;
    };
    mutable Pool sign_pool;
    mutable Pool verify_pool;

    PkeyCtxPtr take(Pool& pool, bool for_sign) const;
    void give_back(Pool& pool, PkeyCtxPtr ctx) const;
};

PkeyCtxPtr PKey::Impl::take(Pool& pool, bool for_sign) const {
    {
        const std::lock_guard lock(pool.mutex);
        if (!pool.free.empty()) {
            PkeyCtxPtr ctx = std::move(pool.free.back());
            pool.free.pop_back();
            return ctx;
        }
    }
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!ctx) return nullptr;
    const int ok = for_sign ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get());
    if (ok != 1) return nullptr;
    if (type == KeyType::rsa && (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
                                 EVP_PKEY_CTX_set_signature_md(ctx.get(), sha256_md()) != 1)) {
        return nullptr;
    }
    return ctx;
}

void PKey::Impl::give_back(Pool& pool, PkeyCtxPtr ctx) const {
    const std::lock_guard lock(pool.mutex);
    pool.free.push_back(std::move(ctx));
}

namespace {

Error key_error(std::string detail) { return make_error(ErrorCode::key_error, std::move(detail)); }

// OpenSSL loads any e from a JWK or PEM; with e = 1 a "signature" is just the padded digest,
// so anyone could forge one. Real keys use 65537.
bool rsa_exponent_ok(const EVP_PKEY* pkey) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &raw) != 1) return false;
    const BnPtr e(raw);
    return BN_is_odd(e.get()) && !BN_is_one(e.get());
}

// Checks the algorithm constraints shared by every way of obtaining a key.
Result<KeyType> classify(EVP_PKEY* pkey) {
    if (EVP_PKEY_is_a(pkey, "EC")) {
        std::array<char, 64> group{};
        std::size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &len) != 1) {
            return key_error("EC key without a named curve");
        }
        const std::string_view name(group.data(), len);
        if (name != "prime256v1" && name != "P-256") return key_error("EC key is not on P-256");
        return KeyType::ec_p256;
    }
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        if (EVP_PKEY_get_bits(pkey) < 2048) return key_error("RSA key shorter than 2048 bits");
        if (!rsa_exponent_ok(pkey)) return key_error("RSA public exponent must be odd and at least 3");
        return KeyType::rsa;
    }
    return key_error("unsupported key type (EC P-256 or RSA expected)");
}

// A passphrase callback that refuses, so that an encrypted PEM fails instead of prompting.
int no_passphrase(char*, int, int, void*) { return 0; }

std::string bn_bytes(const EVP_PKEY* pkey, const char* name, int pad) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return {};
    const BnPtr bn(raw);
    std::string out(pad > 0 ? pad : BN_num_bytes(bn.get()), '\0');
    BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    return out;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return std::string(data, len > 0 ? static_cast<std::size_t>(len) : 0);
}

Result<PkeyPtr> from_params(const char* type, OSSL_PARAM_BLD* bld, int selection) {
    const ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) {
        return key_error(std::string("JWK does not describe a valid ") + type + " key");
    }
    return PkeyPtr(raw);
}

std::optional<std::string> jwk_member(const nlohmann::json& jwk, const char* name) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) return std::nullopt;
    return base64url_decode(it->get_ref<const std::string&>());
}

// A private scalar must belong to the public point it came with.
bool pair_matches(EVP_PKEY* pkey) {
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    return ctx && EVP_PKEY_pairwise_check(ctx.get()) == 1;
}

Result<PkeyPtr> ec_from_jwk(const nlohmann::json& jwk, bool& has_private) {
    if (optional_string(jwk, "crv") != "P-256") return key_error("EC JWK is not on P-256");
    const auto x = jwk_member(jwk, "x");
    const auto y = jwk_member(jwk, "y");
    if (!x || !y || x->size() != 32 || y->size() != 32) return key_error("EC JWK x/y must be 32-byte base64url");
    const std::string point = "\x04" + *x + *y;
    const ParamBldPtr bld(OSSL_PARAM_BLD_new());
    BnPtr d;
    if (jwk.contains("d")) {
        const auto d_bytes = jwk_member(jwk, "d");
        if (!d_bytes || d_bytes->size() != 32) return key_error("EC JWK d must be 32-byte base64url");
        d.reset(BN_bin2bn(as_bytes(*d_bytes), 32, nullptr));
    }
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) ||
        (d && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()))) {
        return key_error("out of memory building EC key");
    }
    OTTS_TRY(auto pkey, from_params("EC", bld.get(), d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY));
    if (d && !pair_matches(pkey.get())) return key_error("EC JWK d does not match x/y");
    has_private = static_cast<bool>(d);
    return pkey;
}

Result<PkeyPtr> rsa_from_jwk(const nlohmann::json& jwk) {
    const auto n = jwk_member(jwk, "n");
    const auto e = jwk_member(jwk, "e");
    if (!n || !e || n->empty() || e->empty()) return key_error("RSA JWK needs base64url n and e");
    const BnPtr bn_n(BN_bin2bn(as_bytes(*n), static_cast<int>(n->size()), nullptr));
    const BnPtr bn_e(BN_bin2bn(as_bytes(*e), static_cast<int>(e->size()), nullptr));
    const ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bn_n || !bn_e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
        return key_error("out of memory building RSA key");
    }
    return from_params("RSA", bld.get(), EVP_PKEY_PUBLIC_KEY);
}

}  // namespace

Result<PKey> PKey::from_pem(std::string_view pem) {
    const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return key_error("out of memory");
    const bool is_public = pem.find("-----BEGIN PUBLIC KEY-----") != std::string_view::npos;
    EVP_PKEY* raw = is_public ? PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr)
                              : PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
    if (!raw) return key_error("not a PEM public key (SPKI) or unencrypted private key (SEC1, PKCS#8)");
    PkeyPtr pkey(raw);
    OTTS_TRY(const KeyType type, classify(pkey.get()));
    auto impl = std::make_shared<Impl>();
    impl->pkey = std::move(pkey);
    impl->type = type;
    impl->has_private = !is_public;
    return PKey(std::move(impl));
}

Result<PKey> PKey::from_jwk(std::string_view jwk_json) {
    const auto jwk = nlohmann::json::parse(jwk_json, nullptr, false);
    if (!jwk.is_object()) return key_error("JWK is not a JSON object");
    const std::string kty = optional_string(jwk, "kty").value_or("");
    bool has_private = false;
    Result<PkeyPtr> pkey = kty == "EC"    ? ec_from_jwk(jwk, has_private)
                           : kty == "RSA" ? rsa_from_jwk(jwk)
                                          : Result<PkeyPtr>(key_error("JWK kty must be EC or RSA"));
    if (!pkey) return pkey.error();
    OTTS_TRY(const KeyType type, classify(pkey->get()));
    auto impl = std::make_shared<Impl>();
    impl->pkey = std::move(pkey).value();
    impl->type = type;
    impl->has_private = has_private;
    return PKey(std::move(impl));
}

Result<PKey> PKey::generate_p256() {
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!pkey) return key_error("P-256 key generation failed");
    auto impl = std::make_shared<Impl>();
    impl->pkey = std::move(pkey);
    impl->type = KeyType::ec_p256;
    impl->has_private = true;
    return PKey(std::move(impl));
}

Result<PKey> PKey::generate_rsa(int bits) {
    // The upper bound only keeps a typo from spending minutes in key generation.
    if (bits < 2048 || bits > 16384) return key_error("RSA key size must be 2048 to 16384 bits");
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
    if (!pkey) return key_error("RSA key generation failed");
    auto impl = std::make_shared<Impl>();
    impl->pkey = std::move(pkey);
    impl->type = KeyType::rsa;
    impl->has_private = true;
    return PKey(std::move(impl));
}

KeyType PKey::type() const { return m_impl->type; }

bool PKey::has_private() const { return m_impl->has_private; }

std::string PKey::public_pem() const {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_impl->pkey.get()) != 1) return {};
    return bio_text(bio.get());
}

std::string PKey::private_pem() const {
    if (!m_impl->has_private) return {};
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), m_impl->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return {};
    }
    return bio_text(bio.get());
}

std::string PKey::public_jwk() const {
    const EVP_PKEY* pkey = m_impl->pkey.get();
    // Written by hand to keep RFC 7517's customary member order (nlohmann sorts keys).
    if (m_impl->type == KeyType::rsa) {
        return R"({"kty":"RSA","n":")" + base64url_encode(bn_bytes(pkey, OSSL_PKEY_PARAM_RSA_N, 0)) + R"(","e":")" +
               base64url_encode(bn_bytes(pkey, OSSL_PKEY_PARAM_RSA_E, 0)) + "\"}";
    }
    return R"({"kty":"EC","crv":"P-256","x":")" + base64url_encode(bn_bytes(pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32)) +
           R"(","y":")" + base64url_encode(bn_bytes(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32)) + "\"}";
}

Result<std::string> PKey::sign_es256(std::string_view data) const {
    if (m_impl->type != KeyType::ec_p256 || !m_impl->has_private) {
        return key_error("ES256 signing needs an EC P-256 private key");
    }
    const std::string digest = sha256(data);
    PkeyCtxPtr ctx = m_impl->take(m_impl->sign_pool, true);
    std::array<unsigned char, 80> der{};  // a P-256 DER signature is at most 72 bytes
    std::size_t der_len = der.size();
    const bool ok = ctx && EVP_PKEY_sign(ctx.get(), der.data(), &der_len, as_bytes(digest), digest.size()) == 1;
    if (ctx) m_impl->give_back(m_impl->sign_pool, std::move(ctx));
    if (!ok) return make_error(ErrorCode::internal, "ES256 signing failed");
    const unsigned char* p = der.data();
    const SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
    if (!sig) return make_error(ErrorCode::internal, "ES256 signature not DER");
    std::string out(64, '\0');
    auto* raw = reinterpret_cast<unsigned char*>(out.data());
    BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw + 32, 32);
    return out;
}

namespace {

// P1363 r||s to the DER form OpenSSL verifies; empty when the halves are out of range.
std::string p1363_to_der(std::string_view sig) {
    const auto* raw = as_bytes(sig);
    if (!in_scalar_range(raw) || !in_scalar_range(raw + 32)) return {};
    SigPtr ecdsa(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw, 32, nullptr);
    BIGNUM* s = BN_bin2bn(raw + 32, 32, nullptr);
    if (!ecdsa || !r || !s || ECDSA_SIG_set0(ecdsa.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(ecdsa.get(), &der);
    if (len <= 0) return {};
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

}  // namespace

bool PKey::verify_es256(std::string_view data, std::string_view sig) const {
    if (m_impl->type != KeyType::ec_p256 || sig.size() != 64) return false;
    const std::string der = p1363_to_der(sig);
    if (der.empty()) return false;
    const std::string digest = sha256(data);
    PkeyCtxPtr ctx = m_impl->take(m_impl->verify_pool, false);
    if (!ctx) return false;
    const int rc = EVP_PKEY_verify(ctx.get(), as_bytes(der), der.size(), as_bytes(digest), digest.size());
    m_impl->give_back(m_impl->verify_pool, std::move(ctx));
    return rc == 1;
}

Result<std::string> PKey::sign_rs256(std::string_view data) const {
    if (m_impl->type != KeyType::rsa || !m_impl->has_private) {
        return key_error("RS256 signing needs an RSA private key");
    }
    const std::string digest = sha256(data);
    std::string sig(static_cast<std::size_t>(EVP_PKEY_get_size(m_impl->pkey.get())), '\0');
    std::size_t sig_len = sig.size();
    PkeyCtxPtr ctx = m_impl->take(m_impl->sign_pool, true);
    const bool ok = ctx && EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                                         as_bytes(digest), digest.size()) == 1;
    if (ctx) m_impl->give_back(m_impl->sign_pool, std::move(ctx));
    // PKCS#1 v1.5 signatures always fill the modulus; anything else is a library failure.
    if (!ok || sig_len != sig.size()) return make_error(ErrorCode::internal, "RS256 signing failed");
    return sig;
}

bool PKey::verify_rs256(std::string_view data, std::string_view sig) const {
    if (m_impl->type != KeyType::rsa || sig.size() != static_cast<std::size_t>(EVP_PKEY_get_size(m_impl->pkey.get()))) {
        return false;
    }
    const std::string digest = sha256(data);
    PkeyCtxPtr ctx = m_impl->take(m_impl->verify_pool, false);
    if (!ctx) return false;
    const int rc = EVP_PKEY_verify(ctx.get(), as_bytes(sig), sig.size(), as_bytes(digest), digest.size());
    m_impl->give_back(m_impl->verify_pool, std::move(ctx));
    return rc == 1;
}

}  // namespace otts::crypto
