#pragma once
// The behaviour every PinStore implementation owes the PIN service (core/ports/pin_store.hpp), as one
// reusable Catch2 suite (SECTIONs; `make` returns a fresh, empty store for each). Call it from a
// TEST_CASE of the implementation's test file:
//
//     TEST_CASE("SqlitePinStore meets the PinStore contract", "[pins][sqlite]") {
//         otts::test::run_pin_store_contract([] { return make_empty_pin_store(); });
//     }
//
// The handle is shared so that an implementation owned by something else (SqliteStore::pins())
// can keep its owner alive through an aliasing shared_ptr.
#include <functional>
#include <memory>

#include "core/ports/pin_store.hpp"

namespace otts::test {

using PinStoreMaker = std::function<std::shared_ptr<PinStore>()>;

void run_pin_store_contract(const PinStoreMaker& make);

}  // namespace otts::test
