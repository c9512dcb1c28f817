#pragma once
// The emulator's own routes under /_otts (LocalStack-style test conveniences, S3 error shape):
//   GET  /_otts/health       → {"status":"ok", version, store, pow_difficulty (current)}
//   POST /_otts/sweep        → {"deleted": N}  (expired rows)
//   POST /_otts/reset        → {"reset": true} (every row of every table; only with a Resettable)
//   GET  /_otts/openapi.json → OpenAPI 3.0 document of every route the router holds
#include <string>

#include "core/pow/pow_ladder.hpp"
#include "core/ports/resettable.hpp"
#include "core/http/router.hpp"
#include "core/ports/store.hpp"

namespace otts::api {

struct AdminDeps {
    Store& store;
    const Clock& clock;
    const pow::PowDifficulty& difficulty;
    const http::Router& router;  // read at request time, so routes added later are listed
    std::string version;
    std::string store_name;       // e.g. "sqlite:/path/otts.db" or "sqlite::memory:"
    Resettable* reset = nullptr;  // nullptr: /_otts/reset is not served
    std::string ws_url;           // the S4 WebSocket endpoint for /_otts/health; empty: none
};

void add_admin_routes(http::Router& router, AdminDeps deps);

}  // namespace otts::api
