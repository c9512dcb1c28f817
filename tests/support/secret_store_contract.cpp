#include "tests/support/secret_store_contract.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/fake_clock.hpp"

namespace otts::test {
namespace {

const std::string k_secret_id = "q3-Zx_9bLw0Tn4Ck-Vd_8H";
const std::string k_secret_burn = "0123456789abcdef0123456789abcdef";

SecretRecord contract_secret(int views = 2, std::optional<std::string> salt = std::nullopt,
                             const std::string& id = k_secret_id) {
    return SecretRecord{.id = id,
                        .ciphertext = "Y2lwaGVydGV4dA==",
                        .iv = "AAECAwQFBgcICQoL",
                        .salt = std::move(salt),
                        .passphrase_protected = false,
                        .remaining_views = views,
                        .burn_token = k_secret_burn,
                        .created_at = k_now,
                        .expires_at = k_now + 900,
                        .last_access_at = std::nullopt,
                        .last_access_token = std::nullopt};
}

void put_row(SecretStore& store, const SecretRecord& r) {
    const auto result = store.put_secret(r);
    if (!result) FAIL(result.error().message());
}

std::optional<SecretRecord> take_row(SecretStore& store, UnixSeconds now, const std::string& token = "t1",
                                     const std::string& id = k_secret_id) {
    auto result = store.take_view(id, token, now);
    if (!result) FAIL(result.error().message());
    return *result;
}

std::optional<SecretRecord> get_row(SecretStore& store, UnixSeconds now, const std::string& id = k_secret_id) {
    auto result = store.get_secret(id, now);
    if (!result) FAIL(result.error().message());
    return *result;
}

std::int64_t sweep_rows(SecretStore& store, UnixSeconds now) {
    const auto result = store.sweep_secrets(now);
    if (!result) FAIL(result.error().message());
    return *result;
}

void secret_view_sections(const SecretStoreMaker& make) {
    SECTION("an unknown id has no view and reads as absent") {
        auto store = make();
        CHECK_FALSE(take_row(*store, k_now));
        CHECK_FALSE(get_row(*store, k_now));
    }
    SECTION("put then get returns every field as written") {
        auto store = make();
        auto written = contract_secret(3, "AAECAwQFBgcICQoLDA0ODw==");
        written.passphrase_protected = true;
        put_row(*store, written);
        const auto got = get_row(*store, k_now);
        REQUIRE(got);
        CHECK(got->ciphertext == written.ciphertext);
        CHECK(got->iv == written.iv);
        CHECK(got->salt == written.salt);
        CHECK(got->passphrase_protected);
        CHECK(got->remaining_views == 3);
        CHECK(got->burn_token == k_secret_burn);
        CHECK(got->created_at == k_now);
        CHECK(got->expires_at == k_now + 900);
        CHECK_FALSE(got->last_access_at);
        CHECK_FALSE(got->last_access_token);
    }
    SECTION("a null salt stays null") {
        auto store = make();
        put_row(*store, contract_secret(1));
        CHECK_FALSE(get_row(*store, k_now)->salt);
        CHECK_FALSE(take_row(*store, k_now)->salt);
    }
    SECTION("a second put of one id is refused and keeps the first") {
        auto store = make();
        put_row(*store, contract_secret(2));
        CHECK_FALSE(store->put_secret(contract_secret(5)).ok());
        CHECK(get_row(*store, k_now)->remaining_views == 2);
    }
    SECTION("each view decrements the count and records its time and token") {
        auto store = make();
        put_row(*store, contract_secret(2));
        const auto first = take_row(*store, k_now + 10, "tok-a");
        REQUIRE(first);
        CHECK(first->remaining_views == 1);
        CHECK(first->last_access_at == k_now + 10);
        CHECK(first->last_access_token == "tok-a");
        CHECK(first->ciphertext == "Y2lwaGVydGV4dA==");
        const auto second = take_row(*store, k_now + 20, "tok-b");
        REQUIRE(second);
        CHECK(second->remaining_views == 0);
        CHECK(second->last_access_token == "tok-b");
        CHECK_FALSE(take_row(*store, k_now + 21, "tok-c"));
        // Used up but kept for its last view's re-read: get still sees it, with that view's token.
        const auto kept = get_row(*store, k_now + 21);
        REQUIRE(kept);
        CHECK(kept->last_access_token == "tok-b");
    }
    SECTION("a secret is unavailable from its expiresAt second on") {
        auto store = make();
        put_row(*store, contract_secret(5));
        CHECK(get_row(*store, k_now + 899));
        CHECK_FALSE(take_row(*store, k_now + 900));
        CHECK_FALSE(get_row(*store, k_now + 900));
        CHECK(take_row(*store, k_now + 899));
    }
}

void secret_burn_and_sweep_sections(const SecretStoreMaker& make) {
    SECTION("delete_secret with the burn token deletes the row") {
        auto store = make();
        put_row(*store, contract_secret(2));
        REQUIRE(store->delete_secret(k_secret_id, k_secret_burn).ok());
        CHECK_FALSE(get_row(*store, k_now));
        CHECK_FALSE(take_row(*store, k_now));
    }
    SECTION("delete_secret with another burn token deletes nothing") {
        auto store = make();
        put_row(*store, contract_secret(2));
        REQUIRE(store->delete_secret(k_secret_id, "ffffffffffffffffffffffffffffffff").ok());
        CHECK(take_row(*store, k_now));
    }
    SECTION("delete_secret of an unknown id is no error") {
        auto store = make();
        CHECK(store->delete_secret("nope", k_secret_burn).ok());
    }
    SECTION("sweep deletes expired rows and used-up rows past the re-read window, nothing else") {
        auto store = make();
        put_row(*store, contract_secret(1, std::nullopt, "expired"));
        put_row(*store, contract_secret(1, std::nullopt, "used-up"));
        put_row(*store, contract_secret(1, std::nullopt, "live"));
        REQUIRE(take_row(*store, k_now + 100, "t", "used-up"));
        CHECK(sweep_rows(*store, k_now + 100 + k_access_window - 1) == 0);
        CHECK(get_row(*store, k_now + 129, "used-up"));
        CHECK(sweep_rows(*store, k_now + 100 + k_access_window) == 1);
        CHECK_FALSE(get_row(*store, k_now + 130, "used-up"));
        CHECK(get_row(*store, k_now + 130, "live"));
        auto late = contract_secret(1, std::nullopt, "expired");
        CHECK(sweep_rows(*store, late.expires_at) == 2);  // "expired" and "live" both end then
        CHECK_FALSE(get_row(*store, k_now, "expired"));
    }
}

}  // namespace

void run_secret_store_contract(const SecretStoreMaker& make) {
    secret_view_sections(make);
    secret_burn_and_sweep_sections(make);
}

}  // namespace otts::test
