#include "adapters/sqlite_secret_store.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <vector>

#include "tests/support/fake_clock.hpp"
#include "tests/support/secret_store_contract.hpp"
#include "tests/support/sqlite_fixture.hpp"

using namespace otts;
using otts::test::k_now;
using otts::test::open_shared;
using otts::test::TempDir;

namespace {

std::shared_ptr<SecretStore> secret_store_of(std::shared_ptr<SqliteStore> store) {
    auto* secrets = &store->secrets();
    return std::shared_ptr<SecretStore>(std::move(store), secrets);
}

SecretRecord stored_secret(int views) {
    return SecretRecord{.id = "Ab3dEf6hIj9kLmNoPqRsTu",
                        .ciphertext = "Y2lwaGVydGV4dA==",
                        .iv = "AAECAwQFBgcICQoL",
                        .salt = std::nullopt,
                        .passphrase_protected = false,
                        .remaining_views = views,
                        .burn_token = std::string(32, 'a'),
                        .created_at = k_now,
                        .expires_at = k_now + 900,
                        .last_access_at = std::nullopt,
                        .last_access_token = std::nullopt};
}

}  // namespace

TEST_CASE("SqliteSecretStore in memory meets the SecretStore contract", "[secrets][sqlite]") {
    otts::test::run_secret_store_contract([] { return secret_store_of(open_shared(":memory:")); });
}

TEST_CASE("SqliteSecretStore on a file meets the SecretStore contract", "[secrets][sqlite]") {
    TempDir dir;
    int n = 0;
    otts::test::run_secret_store_contract(
        [&] { return secret_store_of(open_shared(dir.file("secrets-" + std::to_string(++n) + ".db"))); });
}

TEST_CASE("racing readers on separate connections to one file share out exactly the secret's views",
          "[secrets][sqlite]") {
    TempDir dir;
    const auto path = dir.file("otts.db");
    REQUIRE(open_shared(path)->secrets().put_secret(stored_secret(3)).ok());
    std::vector<std::shared_ptr<SqliteStore>> stores;
    for (int i = 0; i < 8; ++i) stores.push_back(open_shared(path));
    std::vector<std::future<int>> readers;
    for (auto& store : stores) {
        readers.push_back(std::async(std::launch::async, [&store] {
            int won = 0;
            for (int i = 0; i < 4; ++i)
                won += store->secrets().take_view(stored_secret(3).id, "t", k_now).value() ? 1 : 0;
            return won;
        }));
    }
    int won = 0;
    for (auto& reader : readers) won += reader.get();
    CHECK(won == 3);
}

TEST_CASE("SqliteStore::sweep and reset cover the secrets table", "[secrets][sqlite]") {
    auto store = otts::test::open_memory();
    REQUIRE(store->secrets().put_secret(stored_secret(1)).ok());
    CHECK(store->sweep(k_now + 899).value() == 0);
    CHECK(store->sweep(k_now + 900).value() == 1);
    REQUIRE(store->secrets().put_secret(stored_secret(1)).ok());
    CHECK(store->reset().value() == 1);
    CHECK_FALSE(store->secrets().get_secret(stored_secret(1).id, k_now).value());
}
