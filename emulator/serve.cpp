#include "emulator/serve.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "adapters/httplib_client.hpp"
#include "adapters/system_clock.hpp"
#include "adapters/system_random.hpp"
#include "core/api/api.hpp"
#include "core/ports/outbox.hpp"
#include "core/connections/shared_connections.hpp"
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

// Pushes and closes for a connection another instance holds go to that instance's own
// /@connections/{id}; one keep-alive client per instance.
ForwardToOwner forward_over_http() {
    struct Clients {
        std::mutex mutex;
        std::map<std::string, std::unique_ptr<HttpClient>, std::less<>> by_owner;
    };
    auto clients = std::make_shared<Clients>();
    return [clients](const std::string& owner, const http::Request& request) -> Result<int> {
        HttpClient* client = nullptr;
        {
            const std::lock_guard lock(clients->mutex);
            auto& slot = clients->by_owner[owner];
            if (!slot) {
                OTTS_TRY(slot, HttplibClient::create(owner));
            }
            client = slot.get();
        }
        OTTS_TRY(auto response, client->send(request));
        return response.status;
    };
}

// Descriptors kept back from both ports for the store, the log, the DynamoDB and forwarding
// clients and the handler threads' files.
constexpr std::size_t k_reserved_fds = 64;

// Raises the soft descriptor limit to the hard one (as nginx's worker_rlimit_nofile and Go do:
// 1,024 is too few for thousands of idle clients) and returns what each port may hold: half of
// what is left after the reserve, so that neither port's clients can take the other's
// descriptors (DESIGN §15).
std::size_t connections_per_port() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1'000;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    const auto usable = limit.rlim_cur == RLIM_INFINITY ? 1'000'000 : static_cast<std::size_t>(limit.rlim_cur);
    return usable > 2 * k_reserved_fds ? (usable - k_reserved_fds) / 2 : k_reserved_fds / 2;
}

// The handler pool's default size. SQLite handlers only compute and take the store's lock, so
// more threads than cores only add switches (wrk on 2 cores: 4 threads 24-32 k req/s on
// `POST /token`, 32 threads 16-21 k); DynamoDB handlers mostly wait on the network, so they get
// many.
std::size_t handler_threads(const ServeOptions& o, const std::string& store) {
    if (o.threads != 0) return o.threads;
    if (store == "dynamodb") return 32;
    return std::max<std::size_t>(4, 2 * std::thread::hardware_concurrency());
}

HttpServerOptions server_options(const ServeOptions& o, const std::string& store, std::size_t max_connections) {
    HttpServerOptions h;
    h.host = o.host;
    h.port = o.port;
    h.threads = handler_threads(o, store);
    h.max_connections = max_connections;
    h.body_limit = api::max_body_for;
    return h;
}

// The registry of WebSocket connections: in the process for a store of its own, shared
// through the store (and forwarded between instances) for DynamoDB.
std::unique_ptr<ConnectionRegistry> make_registry(app::Stack& stack, const std::string& self_url) {
    if (!stack.backend().shared) return std::make_unique<InMemoryConnectionRegistry>();
    return std::make_unique<SharedConnectionRegistry>(stack.connection_store(), self_url, forward_over_http());
}

}  // namespace

Result<std::unique_ptr<app::Stack>> make_stack(ServeSetup& setup, std::function<void(std::string_view)> log_error) {
    auto clock = std::make_unique<SystemClock>();
    OTTS_TRY(auto backend, app::open_backend(setup.store, setup.settings, *clock));
    return app::Stack::create(app::StackParts{
        .backend = std::move(backend),
        .mailer = nullptr,  // the backend's outbox
        .keys = std::move(setup.keys),
        .policy = std::move(setup.policy),
        .clock = std::move(clock),
        .random = std::make_unique<SystemRandom>(),
        .log_error = std::move(log_error),
        .auth = std::move(setup.auth),
    });
}

Result<void> serve(ServeSetup setup) {
    // Blocked before any thread starts, so that every thread inherits the mask.
    const auto signals = stop_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    const AccessLog log(setup.options.log_format == "json", setup.options.quiet);
    auto made = make_stack(setup, [&log](std::string_view message) { log.error(message); });
    if (!made) return made.error();
    app::Stack& stack = **made;
    api::Api& api = stack.api();
    const auto max_connections = connections_per_port();
    HttpServer server(
        server_options(setup.options, setup.store, max_connections),
        [&api](http::Request r) { return api.handle(std::move(r)); },
        [&api](const http::Request& r, ErrorCode code, int status) { return api.transport_error(r, code, status); },
        [&log](const http::Request& r, int status, std::chrono::nanoseconds took) { log.request(r, status, took); });
    auto port = server.bind();
    if (!port) return port.error();
    const std::string http_url = "http://" + setup.options.host + ":" + std::to_string(*port);
    auto connections = make_registry(stack, http_url);
    auto ws = std::make_unique<WsServer>(
        WsServerOptions{setup.options.host, static_cast<std::uint16_t>(setup.options.ws_port), max_connections},
        WsServerDeps{*connections, stack.user_tokens(), stack.clock(), stack.random()});
    auto ws_port = ws->start();
    if (!ws_port) return ws_port.error();
    const std::string ws_url = "ws://" + setup.options.host + ":" + std::to_string(*ws_port);
    // Routes go in before run() serves the first request.
    stack.add_routes(app::EmulatorRoutes{*connections, ws_url, http_url});

    std::thread watcher([&server, &ws, &signals, &log] {
        int signal = 0;
        sigwait(&signals, &signal);
        log.info(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
        ws->stop();
        server.stop();
    });
    const Sweeper sweeper(stack.store(), stack.clock(), log);
    std::printf("otts serve listening on %s\n", http_url.c_str());
    std::printf("otts serve websocket on %s\n", ws_url.c_str());
    std::fflush(stdout);
    server.run();
    // run() returns after a stop; should it ever return on its own, wake the watcher.
    pthread_kill(watcher.native_handle(), SIGTERM);
    watcher.join();
    log.info("stopped");
    return Ok{};
}

}  // namespace otts::emulator
