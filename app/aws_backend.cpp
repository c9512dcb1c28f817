// The AWS side of the backends: DynamoDB tables and SES mail.
#include "adapters/aws/ses_mailer.hpp"
#include "adapters/dynamodb/dynamodb_connection_store.hpp"
#include "adapters/dynamodb/dynamodb_store.hpp"
#include "app/backend.hpp"

namespace otts::app {
namespace {

struct DynamoParts {
    std::unique_ptr<DynamoStore> store;
    std::unique_ptr<DynamoConnectionStore> connections;
};

}  // namespace

Result<Backend> open_dynamodb_backend(const Settings& settings, const Clock& clock, bool check_tables) {
    const auto check = check_tables ? TableCheck::at_open : TableCheck::on_first_use;
    auto parts = std::make_shared<DynamoParts>();
    OTTS_TRY(parts->store, DynamoStore::from_settings(settings, clock, check));
    OTTS_TRY(parts->connections, DynamoConnectionStore::from_settings(settings, clock, check));
    Backend backend;
    backend.name = "dynamodb:" + parts->store->endpoint();
    backend.store = parts->store.get();
    backend.pins = &parts->store->pins();
    backend.outbox = &parts->store->outbox();
    backend.reset = parts->store.get();
    backend.connections = parts->connections.get();
    backend.sessions = &parts->store->sessions();
    backend.secrets = &parts->store->secrets();
    backend.shared = true;
    backend.owner = std::move(parts);
    return backend;
}

Result<std::unique_ptr<Mailer>> open_ses_mailer(const Settings& settings, const Clock& clock) {
    OTTS_TRY(auto mailer, aws::SesMailer::from_settings(settings, clock));
    return std::unique_ptr<Mailer>(std::move(mailer));
}

}  // namespace otts::app
