#include "emulator/serve.hpp"

#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "adapters/sqlite_store.hpp"
#include "adapters/system_clock.hpp"
#include "adapters/system_random.hpp"
#include "core/api/api.hpp"
#include "core/outbox.hpp"
#include "emulator/access_log.hpp"
#include "emulator/http_server.hpp"
#include "emulator/ws_server.hpp"

namespace otts::emulator {
namespace {

constexpr auto k_sweep_interval = std::chrono::seconds(60);

// Deletes expired rows every minute until stopped (DESIGN §5).
class Sweeper {
public:
    Sweeper(Store& store, const Clock& clock, const AccessLog& log)
        : m_thread([this, &store, &clock, &log] { loop(store, clock, log); }) {}
    ~Sweeper() {
        {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }

private:
    void loop(Store& store, const Clock& clock, const AccessLog& log) {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, k_sweep_interval, [this] { return m_stopping; })) {
            auto deleted = store.sweep(clock.now());
            if (!deleted) log.error("sweep failed: " + deleted.error().message());
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;  // last: starts after the members it uses exist
};

// SIGINT and SIGTERM are blocked in every thread (the mask is inherited by the threads made
// after this) and taken by one thread with sigwait, which stops the server outside any signal
// handler.
sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

// Heap-allocated and never moved: the services hold references to the clock, randomness and
// store.
struct Services {
    SystemClock clock;
    SystemRandom random;
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<CreateTokens> create;
    std::unique_ptr<OneTimeTokens> one_time;
    std::unique_ptr<api::PowDifficulty> difficulty;
    std::unique_ptr<api::RateLimiter> issue_limiter;
    std::unique_ptr<OutboxMailer> mailer;
    std::unique_ptr<Licenses> licenses;
    std::unique_ptr<Pins> pins;
    std::unique_ptr<AuthTokens> auth_tokens;
    std::unique_ptr<UserTokens> user_tokens;
    std::unique_ptr<api::RateLimiter> auth_limiter;
    InMemoryConnectionRegistry connections;
    std::unique_ptr<WsServer> ws;
};

// S3 sign-in and S4 user tokens: PINs mailed to the store's outbox, ES256 access tokens.
void make_auth_services(Services& s, ServeSetup& setup) {
    s.mailer = std::make_unique<OutboxMailer>(s.store->outbox());
    s.licenses = std::make_unique<Licenses>(s.clock, s.random, std::move(setup.license_keys), setup.leeway);
    s.pins = std::make_unique<Pins>(s.store->pins(), *s.mailer, s.clock, s.random, std::move(setup.pin));
    s.auth_tokens = std::make_unique<AuthTokens>(*s.store, s.clock, s.random, std::move(setup.auth_keys), setup.leeway);
    s.user_tokens = std::make_unique<UserTokens>(s.clock, std::move(setup.user_keys), setup.leeway);
    // The original S3 allows 5 PIN requests per minute per email.
    if (setup.options.rate_limits) s.auth_limiter = std::make_unique<api::RateLimiter>(5, 60);
}

Result<std::unique_ptr<Services>> make_services(ServeSetup& setup) {
    auto owner = std::make_unique<Services>();
    Services& s = *owner;
    OTTS_TRY(s.store, SqliteStore::open(setup.store_path));
    const Ports ports{*s.store, s.clock, s.random};
    s.create = std::make_unique<CreateTokens>(
        ports, std::move(setup.create_keys),
        CreateTokenPolicy{.pow_difficulty = setup.options.pow_difficulty, .leeway = setup.leeway});
    s.one_time = std::make_unique<OneTimeTokens>(ports, std::move(setup.one_time_keys), setup.leeway);
    std::vector<api::LadderStep> ladder;
    if (!setup.options.pow_ladder.empty()) {
        OTTS_TRY(ladder, api::parse_pow_ladder(setup.options.pow_ladder));
    }
    s.difficulty = std::make_unique<api::PowDifficulty>(setup.options.pow_difficulty, std::move(ladder));
    // The original S0 allows 10 POST /token per minute per source address.
    if (setup.options.rate_limits) s.issue_limiter = std::make_unique<api::RateLimiter>(10, 60);
    make_auth_services(s, setup);
    return owner;
}

void add_all_routes(api::Api& api, Services& s, const ServeSetup& setup, std::string ws_url) {
    Store& store = *s.store;
    api::add_routes(api.router(), api::ApiDeps{
                                      .s0 = {*s.create, *s.difficulty, s.clock, s.issue_limiter.get()},
                                      .s1 = {*s.one_time},
                                      .s3 = {*s.licenses, *s.pins, *s.auth_tokens, s.clock, s.auth_limiter.get()},
                                      .user = {*s.auth_tokens, *s.user_tokens},
                                      .outbox = {s.store->outbox()},
                                      .connections = {s.connections, s.clock},
                                      .otts = {.store = store,
                                               .clock = s.clock,
                                               .difficulty = *s.difficulty,
                                               .router = api.router(),
                                               .version = setup.version,
                                               .store_name = "sqlite:" + setup.store_path,
                                               .reset = s.store.get(),
                                               .ws_url = std::move(ws_url)},
                                  });
}

HttpServerOptions server_options(const ServeOptions& o) {
    HttpServerOptions h;
    h.host = o.host;
    h.port = o.port;
    h.threads = o.threads;
    return h;
}

}  // namespace

int serve(ServeSetup setup) {
    const AccessLog log(setup.options.log_format == "json", setup.options.quiet);
    auto services = make_services(setup);
    if (!services) {
        log.error(services.error().message());
        return error_info(services.error().code).exit_code;
    }
    Services& s = **services;
    // The WebSocket server (S4) first: its address goes into /_otts/health for the web page.
    s.ws = std::make_unique<WsServer>(
        WsServerOptions{setup.options.host, static_cast<std::uint16_t>(setup.options.ws_port)},
        WsServerDeps{s.connections, *s.user_tokens, s.clock, s.random});
    auto ws_port = s.ws->start();
    if (!ws_port) {
        log.error(ws_port.error().message());
        return error_info(ws_port.error().code).exit_code;
    }
    const std::string ws_url = "ws://" + setup.options.host + ":" + std::to_string(*ws_port);
    api::Api api(api::CorsPolicy{setup.options.cors_origins});
    add_all_routes(api, s, setup, ws_url);

    const auto signals = stop_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    HttpServer server(
        server_options(setup.options), [&api](http::Request r) { return api.handle(std::move(r)); },
        [&api](const http::Request& r, ErrorCode code, int status) { return api.transport_error(r, code, status); },
        [&log](const http::Request& r, int status, std::chrono::nanoseconds took) { log.request(r, status, took); });
    auto port = server.bind();
    if (!port) {
        log.error(port.error().message());
        return error_info(port.error().code).exit_code;
    }
    std::thread watcher([&server, &s, &signals, &log] {
        int signal = 0;
        sigwait(&signals, &signal);
        log.info(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
        s.ws->stop();
        server.stop();
    });
    const Sweeper sweeper(*s.store, s.clock, log);
    std::printf("otts serve listening on http://%s:%d\n", setup.options.host.c_str(), *port);
    std::printf("otts serve websocket on %s\n", ws_url.c_str());
    std::fflush(stdout);
    server.run();
    // run() returns after a stop; should it ever return on its own, wake the watcher.
    pthread_kill(watcher.native_handle(), SIGTERM);
    watcher.join();
    log.info("stopped");
    return exit_code::ok;
}

}  // namespace otts::emulator
