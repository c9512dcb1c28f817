#pragma once
// `otts serve`: opens the store, builds the services and the API router, serves HTTP until
// SIGINT or SIGTERM, then finishes the requests in flight and returns. One readiness line on
// stdout once the port accepts connections; access logs (spdlog) on stderr.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/settings.hpp"
#include "app/services.hpp"

namespace otts::emulator {

// How the server listens and logs. What it serves is decided by settings (ServeSetup).
struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                  // 0: any free port, printed in the readiness line
    int ws_port = 8081;               // the S4 WebSocket server's port
    std::string log_format = "text";  // text | json
    bool quiet = false;               // no access logs
    std::size_t threads = 0;          // requests handled at once; 0: handler_threads() decides
};

// What the caller resolved from flags, environment and the data home.
struct ServeSetup {
    ServeOptions options;
    std::string store;  // OTTS_STORE form: "sqlite:PATH" (":memory:" allowed) or "dynamodb"
    Settings settings;  // for the DynamoDB backend's tables, endpoint and credentials
    app::Keys keys;
    app::Policy policy;                          // app::make_policy(settings, Deployment::emulator)
    std::optional<app::TokenHandlerSetup> auth;  // the S2 token handler
};

// The stack `otts serve` runs on (the setup's store, keys and policy; mail to the store's
// outbox), without its routes: the caller adds them. Consumes the setup's keys, policy and auth.
// `log_error` receives failed mail sends. Also how the CLI answers the same HTTP requests in
// process over the local store (cli/local_api).
Result<std::unique_ptr<app::Stack>> make_stack(ServeSetup& setup, std::function<void(std::string_view)> log_error);

// Serves until a signal. The error when it cannot start (usage when a port cannot be bound,
// store_error when the store cannot be opened), for the caller to report as every command
// reports its errors.
Result<void> serve(ServeSetup setup);

}  // namespace otts::emulator
