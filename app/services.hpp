#pragma once
// The composition root every front end shares: a storage backend, a mailer, the keys and the
// policy (app/policy.hpp, from settings) go in; the services and the HTTP API come out. `otts serve` and the Lambda
// bootstrap differ only in what they hand over (and in the emulator-only routes), so their APIs cannot drift apart.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/settings.hpp"
#include "app/backend.hpp"
#include "app/policy.hpp"
#include "app/token_handler.hpp"
#include "core/api/api.hpp"
#include "core/tokens/access_tokens.hpp"
#include "core/connections/connection_store.hpp"
#include "core/connections/connections.hpp"
#include "core/tokens/create_tokens.hpp"
#include "core/jose/jwt.hpp"
#include "core/tokens/licenses.hpp"
#include "core/ports/mailer.hpp"
#include "core/tokens/one_time_tokens.hpp"
#include "core/pins/pins.hpp"
#include "core/secrets/secrets.hpp"
#include "core/tokens/user_tokens.hpp"

namespace otts::app {

struct Keys {
    jwt::KeySet create;
    jwt::KeySet one_time;
    jwt::KeySet user;     // S4 user tokens (HS256)
    jwt::KeySet license;  // verify S3 licenses
    jwt::KeySet auth;     // sign and verify S3 access/refresh tokens (ES256)
    std::string pin;      // the HMAC key PINs are stored under (>= 32 bytes)
};

// What the emulator adds to the shared API. Absent in the Lambda.
struct EmulatorRoutes {
    ConnectionRegistry& connections;  // /@connections/{id} (API Gateway's management API)
    std::string ws_url;               // shown in /_otts/health
    std::string http_url;             // the server's own URL: the dev IdP's endpoints
};

// Everything a stack is made of. The stack owns it all.
struct StackParts {
    Backend backend;
    std::unique_ptr<Mailer> mailer;  // null: mail goes to the backend's outbox (which must exist)
    Keys keys;
    Policy policy;
    std::unique_ptr<Clock> clock;
    std::unique_ptr<Random> random;
    // Where a failed mail send is reported (the request still succeeds, as in the original);
    // null: not reported.
    std::function<void(std::string_view)> log_error;
    // The S2 token handler; nullopt: no /auth routes.
    std::optional<TokenHandlerSetup> auth;
};

class Stack {
public:
    static Result<std::unique_ptr<Stack>> create(StackParts parts);
    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;
    ~Stack();

    // Adds every route, once: the shared API, and with `emulator` the outbox, reset and
    // /@connections routes as well; with `queues` (the Lambda's) POST /@queues/{queueId}.
    void add_routes(const std::optional<EmulatorRoutes>& emulator, std::optional<api::QueuePush> queues = std::nullopt);

    api::Api& api() { return m_api; }
    const UserTokens& user_tokens() { return *m_user_tokens; }
    ConnectionStore& connection_store() { return *m_backend.connections; }
    Store& store() { return *m_backend.store; }
    const Backend& backend() const { return m_backend; }
    const Clock& clock() { return *m_clock; }
    Random& random() { return *m_random; }

private:
    explicit Stack(StackParts& parts);
    Result<void> build(StackParts& parts);

    Backend m_backend;
    Policy m_policy;
    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<Random> m_random;
    api::Api m_api;
    std::unique_ptr<Mailer> m_mailer;
    std::unique_ptr<CreateTokens> m_create;
    std::unique_ptr<OneTimeTokens> m_one_time;
    std::unique_ptr<pow::PowDifficulty> m_difficulty;
    std::unique_ptr<api::RateLimiter> m_issue_limiter;
    std::unique_ptr<Secrets> m_secrets;  // null: the backend has no secret store
    std::unique_ptr<api::RateLimiter> m_secret_read_limiter;
    std::unique_ptr<api::RateLimiter> m_secret_burn_limiter;
    std::unique_ptr<Licenses> m_licenses;
    std::unique_ptr<Pins> m_pins;
    std::unique_ptr<AccessTokens> m_access_tokens;
    std::unique_ptr<UserTokens> m_user_tokens;
    std::unique_ptr<api::RateLimiter> m_auth_limiter;
    std::unique_ptr<TokenHandler> m_token_handler;
};

// The Lambda's stack from the environment: the store by OTTS_STORE ("dynamodb", the default;
// "sqlite:PATH" for local runs and tests), mail by SES (OTTS_MAILER=outbox keeps it in the
// store's outbox), keys from the environment only: there is no data home in a Lambda, so a
// missing secret is a key_error at init, not a key invented per container.
// `log_error` receives what must reach the operator (a failed mail send).
Result<std::unique_ptr<Stack>> lambda_stack(const Settings& settings,
                                            std::function<void(std::string_view)> log_error = nullptr);

}  // namespace otts::app
