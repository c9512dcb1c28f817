#pragma once
// What every subcommand shares: the global options, lazily opened resources (settings, data
// home, store, keys) and the output conventions (data on stdout, `otts: error: ...` on stderr,
// --json for machines). Nothing is opened until a subcommand asks for it, so `otts decode`
// touches no disk and `otts issue` parses no EC key.
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/data_home.hpp"
#include "adapters/settings.hpp"
#include "adapters/system_clock.hpp"
#include "adapters/system_random.hpp"
#include "core/ports/http_client.hpp"
#include "core/jose/jwt.hpp"
#include "core/ports/ports.hpp"
#include "core/tokens/token_family.hpp"

namespace otts::cli {

inline constexpr const char* k_default_endpoint = "http://127.0.0.1:8080";

struct GlobalOptions {
    std::string home;
    std::string db;
    std::string secret_file;
    std::string previous_secret_file;
    std::string leeway;
    std::string endpoint;
    bool json = false;
    bool quiet = false;
    int verbose = 0;
};

class Context {
public:
    GlobalOptions options;
    SystemClock clock;
    SystemRandom random;

    Result<const Settings*> settings();
    Result<const DataHome*> home();
    Result<Ports> ports();  // opens the store
    Result<jwt::KeySet> hs_keys(Family family);
    Result<jwt::KeySet> license_keys(bool for_signing);
    Result<UnixSeconds> leeway();
    // The client for --endpoint / OTTS_ENDPOINT, or nullptr when commands work on the local
    // store and keys.
    Result<HttpClient*> endpoint();
    // endpoint(), or a client for the local `otts serve` default (http://127.0.0.1:8080) for
    // the commands that only exist against a server (request-pin, verify-pin, outbox).
    Result<HttpClient*> server();

    // Prints `value` as JSON (with --json) or `human` (otherwise) on stdout. Returns 0.
    int emit(const nlohmann::json& value, const std::string& human) const;
    // Prints "otts: error: <message>" on stderr (and, with --json, {"error","message"} on
    // stdout) and returns the error's exit code.
    int fail(const Error& error) const;
    // A diagnostic line on stderr unless -q.
    void note(const std::string& line) const;
    // A diagnostic line on stderr only with -v: where data and keys come from (never a secret).
    void debug(const std::string& line) const;

    // Set by the subcommand that ran; what main returns.
    int exit_status = 0;

private:
    std::optional<Settings> m_settings;
    std::optional<DataHome> m_home;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<HttpClient> m_client;
};

// Reads a token (or license) argument: "-" or empty means standard input; surrounding
// whitespace is dropped.
Result<std::string> read_token_argument(const std::string& arg);

}  // namespace otts::cli
