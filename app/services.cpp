#include "app/services.hpp"

#include "core/http/url.hpp"

namespace otts::app {
namespace {

// A mail that could not be handed over does not fail the PIN request (the PIN is stored and a
// retry supersedes it), so the failure is logged here, where the operator will see it; the
// address is masked and the message never holds the PIN.
class LoggedMailer final : public Mailer {
public:
    LoggedMailer(std::unique_ptr<Mailer> inner, std::function<void(std::string_view)> log)
        : m_inner(std::move(inner)), m_log(std::move(log)) {}
    Result<void> send(const Mail& mail) override {
        auto sent = m_inner->send(mail);
        if (!sent) m_log("mail to " + mask_email(mail.to) + " not sent: " + sent.error().message());
        return sent;
    }

private:
    std::unique_ptr<Mailer> m_inner;
    std::function<void(std::string_view)> m_log;
};

std::string frontend_origin(const std::optional<TokenHandlerSetup>& auth) {
    return auth ? url::origin_of(auth->routes.frontend_url).value_or("") : "";
}

}  // namespace

Stack::Stack(StackParts& parts)
    : m_backend(std::move(parts.backend)),
      m_policy(std::move(parts.policy)),
      m_clock(std::move(parts.clock)),
      m_random(std::move(parts.random)),
      m_api(api::CorsPolicy{m_policy.cors_origins, m_policy.cors_localhost_when_empty, frontend_origin(parts.auth),
                            parts.auth ? parts.auth->routes.prefix : ""}) {}

Stack::~Stack() = default;

Result<std::unique_ptr<Stack>> Stack::create(StackParts parts) {
    if (!parts.mailer && !parts.backend.outbox) return make_error(ErrorCode::internal, "no mailer and no outbox");
    std::unique_ptr<Stack> stack(new Stack(parts));
    OTTS_TRY_VOID(stack->build(parts));
    return stack;
}

Result<void> Stack::build(StackParts& parts) {
    Ports ports{*m_backend.store, *m_clock, *m_random};
    const UnixSeconds leeway = m_policy.leeway;
    m_create =
        std::make_unique<CreateTokens>(ports, std::move(parts.keys.create),
                                       CreateTokenPolicy{.pow_difficulty = m_policy.pow_difficulty, .leeway = leeway});
    m_one_time = std::make_unique<OneTimeTokens>(ports, std::move(parts.keys.one_time), leeway);
    m_difficulty = std::make_unique<pow::PowDifficulty>(m_policy.pow_difficulty, m_policy.pow_ladder);
    if (m_backend.secrets) m_secrets = std::make_unique<Secrets>(*m_backend.secrets, *m_create, *m_clock, *m_random);
    // The originals' limits: S0 allows 10 POST /token, 60 GET and 10 DELETE /secrets/{id} per
    // minute per source address, S3 5 PIN requests per minute per email.
    if (m_policy.rate_limits) {
        m_issue_limiter = std::make_unique<api::RateLimiter>(10, 60);
        m_secret_read_limiter = std::make_unique<api::RateLimiter>(60, 60);
        m_secret_burn_limiter = std::make_unique<api::RateLimiter>(10, 60);
        m_auth_limiter = std::make_unique<api::RateLimiter>(5, 60);
    }
    m_mailer = parts.mailer ? std::move(parts.mailer) : std::make_unique<OutboxMailer>(*m_backend.outbox);
    if (parts.log_error) m_mailer = std::make_unique<LoggedMailer>(std::move(m_mailer), std::move(parts.log_error));
    m_licenses = std::make_unique<Licenses>(*m_clock, *m_random, std::move(parts.keys.license), leeway);
    m_policy.pin.hmac_key = std::move(parts.keys.pin);
    OTTS_TRY_VOID(m_policy.pin.check());
    m_pins = std::make_unique<Pins>(*m_backend.pins, *m_mailer, *m_clock, *m_random, std::move(m_policy.pin));
    m_access_tokens =
        std::make_unique<AccessTokens>(*m_backend.store, *m_clock, *m_random, std::move(parts.keys.auth), leeway);
    m_user_tokens = std::make_unique<UserTokens>(*m_clock, std::move(parts.keys.user), leeway);
    if (parts.auth) {
        if (!m_backend.sessions) return make_error(ErrorCode::internal, "the backend has no session store");
        OTTS_TRY(m_token_handler, TokenHandler::create(std::move(*parts.auth), *m_backend.sessions, *m_backend.store,
                                                       *m_clock, *m_random));
    }
    return Ok{};
}

void Stack::add_routes(const std::optional<EmulatorRoutes>& emulator, std::optional<api::QueuePush> queues) {
    api::SessionUser session_user;
    if (m_token_handler) session_user = m_token_handler->add_routes(m_api.router(), emulator ? emulator->http_url : "");
    api::ApiDeps deps{
        .create_tokens = {*m_create, *m_difficulty, *m_clock, m_issue_limiter.get()},
        .secrets = std::nullopt,
        .one_time_tokens = {*m_one_time},
        .access_tokens = {*m_licenses, *m_pins, *m_access_tokens, *m_clock, m_auth_limiter.get()},
        .user_tokens = {*m_access_tokens, *m_user_tokens, std::move(session_user)},
        .outbox = std::nullopt,
        .connections = std::nullopt,
        .queues = std::move(queues),
        .admin = {.store = *m_backend.store,
                  .clock = *m_clock,
                  .difficulty = *m_difficulty,
                  .router = m_api.router(),
                  .version = m_policy.version,
                  .store_name = m_backend.name,
                  .reset = nullptr,
                  .ws_url = {}},
    };
    if (m_secrets) {
        deps.secrets.emplace(
            api::SecretDeps{*m_secrets, *m_clock, m_secret_read_limiter.get(), m_secret_burn_limiter.get()});
    }
    if (emulator) {
        if (m_backend.outbox) deps.outbox.emplace(api::OutboxDeps{*m_backend.outbox});
        deps.connections.emplace(api::ConnectionDeps{emulator->connections, *m_clock});
        deps.admin.reset = m_backend.reset;
        deps.admin.ws_url = emulator->ws_url;
    }
    api::add_routes(m_api.router(), std::move(deps));
}

}  // namespace otts::app
