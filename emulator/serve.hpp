#pragma once
// `otts serve`: opens the store, builds the services and the API router, serves HTTP until
// SIGINT or SIGTERM, then finishes the requests in flight and returns. One readiness line on
// stdout once the port accepts connections; access logs (spdlog) on stderr.
#include <cstddef>
#include <string>
#include <vector>

#include "adapters/settings.hpp"
#include "app/services.hpp"
#include "core/jose/jwt.hpp"
#include "core/pins/pins.hpp"

namespace otts::emulator {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;     // 0: any free port, printed in the readiness line
    int ws_port = 8081;  // the S4 WebSocket server's port (wired by the WebSocket module)
    std::string db;      // SQLite file; empty: the data home's (resolved by the caller)
    bool in_memory = false;
    std::string store;                // "sqlite" | "dynamodb"; empty: OTTS_STORE, else sqlite
    std::string dynamodb_endpoint;    // overrides DYNAMODB_ENDPOINT
    std::string fixed_pin;            // deterministic PINs for tests (used by the PIN module)
    std::string log_format = "text";  // text | json
    bool quiet = false;               // no access logs
    int pow_difficulty = 18;
    std::string pow_ladder;  // "10:18,30:20,100:22"; empty: static difficulty
    bool rate_limits = false;
    std::vector<std::string> cors_origins;  // empty: any localhost origin
    std::size_t threads = 128;
};

// What the caller resolved from flags, environment and the data home.
struct ServeSetup {
    ServeOptions options;
    std::string store;  // OTTS_STORE form: "sqlite:PATH" (":memory:" allowed) or "dynamodb"
    Settings settings;  // for the DynamoDB backend's tables, endpoint and credentials
    app::Keys keys;
    PinConfig pin;
    UnixSeconds leeway = jwt::k_default_leeway;
    std::string version;
    std::optional<app::TokenHandlerSetup> auth;  // the S2 token handler
};

// Serves until a signal; returns the process exit code (usage when the port cannot be bound,
// store when the store cannot be opened).
int serve(ServeSetup setup);

}  // namespace otts::emulator
