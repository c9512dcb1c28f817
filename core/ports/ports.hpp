#pragma once
// The one port to the outside world the services see (leveldb's Env, in small): storage,
// time and randomness. Mailer and HttpClient join it with the PIN and IdP services.
#include "core/ports/clock.hpp"
#include "core/ports/random.hpp"
#include "core/ports/store.hpp"

namespace otts {

struct Ports {
    Store& store;
    const Clock& clock;
    Random& random;
};

}  // namespace otts
