#pragma once
// The behaviour every SessionStore implementation owes the token handler (core/ports/session_store.hpp),
// as one reusable Catch2 suite (SECTIONs; `make` returns a fresh, empty store for each). Call it
// from a TEST_CASE of the implementation's test file:
//
//     TEST_CASE("SqliteSessionStore meets the SessionStore contract", "[sessions][sqlite]") {
//         otts::test::run_session_store_contract([] { return make_empty_session_store(); });
//     }
//
// The handle is shared so that an implementation owned by something else
// (SqliteStore::sessions()) can keep its owner alive through an aliasing shared_ptr.
#include <functional>
#include <memory>

#include "core/ports/session_store.hpp"

namespace otts::test {

using SessionStoreMaker = std::function<std::shared_ptr<SessionStore>()>;

void run_session_store_contract(const SessionStoreMaker& make);

}  // namespace otts::test
