// otts serve: the local emulator. This file only resolves flags, environment and the data home
// into an emulator::ServeSetup; the server itself lives in emulator/.
#include <memory>

#include "adapters/key_config.hpp"
#include "adapters/system_random.hpp"
#include "cli/commands.hpp"
#include "cli/local_api.hpp"
#include "emulator/serve.hpp"

namespace otts::cli {
namespace {

// The flags of `otts serve`: how it listens, and settings it overrides (everything it serves is
// decided from settings, the same way as in the Lambda: app::make_policy).
struct ServeFlags {
    emulator::ServeOptions server;
    std::string db;
    bool in_memory = false;
    std::string store;
    std::string dynamodb_endpoint;
    std::string fixed_pin;
    std::string pow_difficulty;
    std::string pow_ladder;
    bool rate_limits = false;
    std::vector<std::string> cors_origins;
};

// The context's settings with the flags as overrides.
Result<Settings> serve_settings(Context& ctx, const ServeFlags& flags) {
    OTTS_TRY(const auto* loaded, ctx.settings());
    Settings config = *loaded;
    const auto set = [&config](std::string name, const std::string& value) {
        if (!value.empty()) config.set_override(std::move(name), value);
    };
    set("OTTS_STORE", flags.store);
    set("OTTS_DB", flags.db);
    set("OTTS_DB", flags.in_memory ? ":memory:" : "");
    set("DYNAMODB_ENDPOINT", flags.dynamodb_endpoint);
    set("OTTS_FIXED_PIN", flags.fixed_pin);
    set("OTTS_POW_DIFFICULTY", flags.pow_difficulty);
    set("OTTS_POW_LADDER", flags.pow_ladder);
    set("OTTS_RATE_LIMITS", flags.rate_limits ? "true" : "");
    std::string origins;
    for (const auto& origin : flags.cors_origins) origins += (origins.empty() ? "" : ",") + origin;
    set("OTTS_CORS_ORIGINS", origins);
    return config;
}

// The OTTS_STORE form of the backend: "dynamodb", or "sqlite:" + the file (OTTS_DB, else the
// data home's).
Result<std::string> store_spec(Context& ctx, const Settings& config) {
    const std::string kind = config.get("OTTS_STORE").value_or("sqlite");
    if (kind == "dynamodb" || kind.starts_with("sqlite:")) return kind;
    if (kind != "sqlite") return make_error(ErrorCode::usage, "--store must be sqlite or dynamodb, got '" + kind + "'");
    if (auto db = config.get("OTTS_DB")) return "sqlite:" + *db;
    OTTS_TRY(const auto* home, ctx.home());
    return "sqlite:" + home->db_path().string();
}

// The emulator's keys: the environment's, else the data home's.
Result<app::Keys> serve_keys(Context& ctx, const Settings& config) {
    OTTS_TRY(const auto* home, ctx.home());
    app::Keys keys;
    OTTS_TRY(keys.create, ctx.hs_keys(Family::create));
    OTTS_TRY(keys.one_time, ctx.hs_keys(Family::one_time));
    OTTS_TRY(keys.user, ctx.hs_keys(Family::user));
    OTTS_TRY(keys.license, ctx.license_keys(false));
    OTTS_TRY(keys.auth, auth_token_keys(config, *home));
    OTTS_TRY(keys.pin, pin_hash_key(config, *home));
    return keys;
}

// The S2 token handler: Cognito when COGNITO_USER_POOL_ID is set, else the built-in dev IdP
// with its key in the data home; the session secret defaults to one derived from the home's.
Result<std::optional<app::TokenHandlerSetup>> token_handler(const Settings& config, const DataHome& home) {
    SystemRandom random;
    std::optional<jwt::Key> dev_key;
    if (!config.get("COGNITO_USER_POOL_ID")) {
        OTTS_TRY(dev_key, dev_idp_key(home, random));
    }
    OTTS_TRY(auto secret, session_secret(config, home));
    return app::token_handler_setup(config, std::move(secret), std::move(dev_key));
}

Result<emulator::ServeSetup> resolve(Context& ctx, const ServeFlags& flags) {
    emulator::ServeSetup setup;
    setup.options = flags.server;
    setup.options.quiet = flags.server.quiet || ctx.options.quiet;
    OTTS_TRY(setup.settings, serve_settings(ctx, flags));
    OTTS_TRY(setup.policy, app::make_policy(setup.settings, app::Deployment::emulator));
    OTTS_TRY(setup.store, store_spec(ctx, setup.settings));
    OTTS_TRY(setup.keys, serve_keys(ctx, setup.settings));
    OTTS_TRY(const auto* home, ctx.home());
    OTTS_TRY(setup.auth, token_handler(setup.settings, *home));
    ctx.debug("store: " + setup.store);
    return setup;
}

int run_serve(Context& ctx, const ServeFlags& flags) {
    auto setup = resolve(ctx, flags);
    if (!setup) return ctx.fail(setup.error());
    auto served = emulator::serve(std::move(*setup));
    if (!served) return ctx.fail(served.error());  // a start-up error, as every command's
    return exit_code::ok;
}

}  // namespace

Result<emulator::ServeSetup> default_serve_setup(Context& ctx) { return resolve(ctx, ServeFlags{}); }

void setup_serve(CLI::App& app, Context& ctx) {
    auto flags = std::make_shared<ServeFlags>();
    auto& server = flags->server;
    auto* cmd = app.add_subcommand("serve", "Run the local emulator: the token HTTP APIs on 127.0.0.1");
    cmd->add_option("--host", server.host, "Address to listen on (default 127.0.0.1)");
    cmd->add_option("--port", server.port, "HTTP port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
    cmd->add_option("--ws-port", server.ws_port, "WebSocket port of the S4 endpoint (default 8081)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--db", flags->db, "SQLite file (default: otts.db in the data home)");
    cmd->add_flag("--in-memory", flags->in_memory, "Keep everything in memory (lost at exit)");
    cmd->add_option("--store", flags->store, "Backend: sqlite (default) or dynamodb (shared by several instances)")
        ->check(CLI::IsMember({"sqlite", "dynamodb"}));
    cmd->add_option("--dynamodb-endpoint", flags->dynamodb_endpoint,
                    "DynamoDB endpoint URL for --store dynamodb (default: DYNAMODB_ENDPOINT, else AWS)");
    cmd->add_option("--fixed-pin", flags->fixed_pin, "Mail this PIN instead of a random one (tests only)");
    cmd->add_option("--log-format", server.log_format, "Access log format on stderr: text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--pow-difficulty", flags->pow_difficulty, "PoW difficulty of create tokens in bits (default 18)");
    cmd->add_option("--pow-ladder", flags->pow_ladder,
                    "Raise the difficulty with the issuance rate: PER_MINUTE:BITS,... e.g. 10:18,30:20,100:22");
    cmd->add_flag(
        "--rate-limits", flags->rate_limits,
        "Apply the originals' rate limits (S0: 10 POST /token, 60 GET and 10 DELETE /secrets/{id} /min/IP) and "
        "PIN cooldown");
    cmd->add_option("--cors-origin", flags->cors_origins,
                    "Allow this browser origin (repeatable; '*' any; default: any http://localhost origin)")
        ->allow_extra_args(false);
    cmd->add_option("--threads", server.threads,
                    "Requests handled at once; idle and slow clients take none (default: 2 per core, at least 4; 32 "
                    "with --store dynamodb)")
        ->check(CLI::Range(1, 4096));
    cmd->callback([&ctx, flags] { ctx.exit_status = run_serve(ctx, *flags); });
}

}  // namespace otts::cli
