#pragma once
// A storage backend: the store ports one front end runs on, opened together and owned by one
// handle. SQLite (the embedded default) and DynamoDB (the Lambda, and `otts serve` shared by
// several instances) both provide every port; only SQLite keeps connection records in the
// process, since one SQLite emulator holds all its sockets itself.
#include <memory>
#include <string>

#include "adapters/settings.hpp"
#include "core/ports/clock.hpp"
#include "core/connections/connection_store.hpp"
#include "core/ports/mailer.hpp"
#include "core/ports/outbox.hpp"
#include "core/ports/pin_store.hpp"
#include "core/ports/resettable.hpp"
#include "core/ports/secret_store.hpp"
#include "core/ports/session_store.hpp"
#include "core/ports/store.hpp"

namespace otts::app {

struct Backend {
    std::string name;  // for /_otts/health and logs: "sqlite:/path/otts.db", "dynamodb:http://..."
    Store* store = nullptr;
    PinStore* pins = nullptr;
    Outbox* outbox = nullptr;
    Resettable* reset = nullptr;
    ConnectionStore* connections = nullptr;
    SessionStore* sessions = nullptr;
    SecretStore* secrets = nullptr;  // S0 secrets
    bool shared = false;             // other processes may use the same store at once (DynamoDB)
    std::shared_ptr<void> owner;     // keeps the objects above alive
};

// `path` a file or ":memory:".
Result<Backend> open_sqlite_backend(const std::string& path);

// The tables named by the settings (TOKEN_TABLE, PINS_TABLE, CONNECTIONS_TABLE,
// OTTS_OUTBOX_TABLE, DYNAMODB_TABLE) at DYNAMODB_ENDPOINT or the region's public endpoint.
// `check_tables`: fail now if a table is missing (servers), or on first use (the Lambda).
Result<Backend> open_dynamodb_backend(const Settings& settings, const Clock& clock, bool check_tables = true);

// PIN mail through SES v2 (SES_FROM_EMAIL, SES_CONFIGURATION_SET, SES_ENDPOINT).
Result<std::unique_ptr<Mailer>> open_ses_mailer(const Settings& settings, const Clock& clock);

// "sqlite:PATH" or "dynamodb" (OTTS_STORE), with the defaults resolved by the caller.
Result<Backend> open_backend(const std::string& spec, const Settings& settings, const Clock& clock,
                             bool check_tables = true);

}  // namespace otts::app
