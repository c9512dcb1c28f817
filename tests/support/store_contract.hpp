#pragma once
// The behaviour every Store implementation owes the services (core/ports/store.hpp), as one reusable
// Catch2 suite. Call it from inside a TEST_CASE of the implementation's own test file:
//
//     TEST_CASE("SqliteStore meets the Store contract", "[store][sqlite]") {
//         otts::test::run_store_contract([] { return make_empty_store(); });
//     }
//
// The suite is made of SECTIONs, so Catch2 re-enters the test case once per section; `make`
// runs at least once per section and must return a handle on a fresh, empty backing store.
// The concurrency sections share one instance between threads: the services (and the emulator)
// call a Store from many threads, so every implementation must allow that.
#include <functional>
#include <memory>

#include "core/ports/store.hpp"

namespace otts::test {

using StoreMaker = std::function<std::unique_ptr<Store>()>;

void run_store_contract(const StoreMaker& make);

}  // namespace otts::test
