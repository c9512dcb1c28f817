#include "app/backend.hpp"

#include "adapters/sqlite_store.hpp"

namespace otts::app {
namespace {

struct SqliteParts {
    std::unique_ptr<SqliteStore> store;
    InMemoryConnectionStore connections;
};

}  // namespace

Result<Backend> open_sqlite_backend(const std::string& path) {
    auto parts = std::make_shared<SqliteParts>();
    OTTS_TRY(parts->store, SqliteStore::open(path));
    Backend backend;
    backend.name = "sqlite:" + path;
    backend.store = parts->store.get();
    backend.pins = &parts->store->pins();
    backend.outbox = &parts->store->outbox();
    backend.reset = parts->store.get();
    backend.connections = &parts->connections;
    backend.sessions = &parts->store->sessions();
    backend.secrets = &parts->store->secrets();
    backend.owner = std::move(parts);
    return backend;
}

Result<Backend> open_backend(const std::string& spec, const Settings& settings, const Clock& clock, bool check_tables) {
    constexpr std::string_view sqlite_prefix = "sqlite:";
    if (spec.starts_with(sqlite_prefix)) return open_sqlite_backend(spec.substr(sqlite_prefix.size()));
    if (spec == "dynamodb") return open_dynamodb_backend(settings, clock, check_tables);
    return make_error(ErrorCode::usage, "unknown store '" + spec + "': use sqlite:PATH or dynamodb");
}

}  // namespace otts::app
