#pragma once
// The behaviour every SecretStore implementation owes the Secrets service
// (core/ports/secret_store.hpp), as one reusable Catch2 suite (SECTIONs; `make` returns a
// fresh, empty store for each). The handle is shared so that an implementation owned by
// something else (SqliteStore::secrets()) can keep its owner alive through an aliasing
// shared_ptr.
#include <functional>
#include <memory>

#include "core/ports/secret_store.hpp"

namespace otts::test {

using SecretStoreMaker = std::function<std::shared_ptr<SecretStore>()>;

void run_secret_store_contract(const SecretStoreMaker& make);

}  // namespace otts::test
