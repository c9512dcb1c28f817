// otts serve: the local emulator. This file only resolves flags, environment and the data home
// into an emulator::ServeSetup; the server itself lives in emulator/.
#include <memory>

#include "adapters/key_config.hpp"
#include "adapters/system_random.hpp"
#include "cli/commands.hpp"
#include "emulator/serve.hpp"

namespace otts::cli {
namespace {

Result<std::string> store_path(Context& ctx, const emulator::ServeOptions& opts) {
    if (opts.in_memory) return std::string(":memory:");
    if (!opts.db.empty()) return opts.db;
    OTTS_TRY(const auto* config, ctx.settings());  // global --db and OTTS_DB land here
    if (auto db = config->get("OTTS_DB")) return *db;
    OTTS_TRY(const auto* home, ctx.home());
    return home->db_path().string();
}

// The OTTS_STORE form of the backend: "dynamodb", or "sqlite:" + the file.
Result<std::string> store_spec(Context& ctx, const emulator::ServeOptions& opts) {
    OTTS_TRY(const auto* config, ctx.settings());
    const std::string kind = !opts.store.empty() ? opts.store : config->get("OTTS_STORE").value_or("sqlite");
    if (kind == "dynamodb" || kind.starts_with("sqlite:")) return kind;
    if (kind != "sqlite") return make_error(ErrorCode::usage, "--store must be sqlite or dynamodb, got '" + kind + "'");
    OTTS_TRY(auto path, store_path(ctx, opts));
    return "sqlite:" + path;
}

// DESIGN §6 with the originals' variables; a fixed PIN (--fixed-pin, OTTS_FIXED_PIN) exists
// only here, in the emulator.
Result<PinConfig> pin_config(Context& ctx, const emulator::ServeOptions& opts) {
    OTTS_TRY(const auto* config, ctx.settings());
    OTTS_TRY(const auto* home, ctx.home());
    OTTS_TRY(auto key, pin_hash_key(*config, *home));
    OTTS_TRY(auto pin, app::pin_config(*config, std::move(key), opts.rate_limits));
    if (!opts.fixed_pin.empty()) {
        pin.fixed_pin = opts.fixed_pin;
    } else if (auto fixed = config->get("OTTS_FIXED_PIN")) {
        pin.fixed_pin = *fixed;
    }
    OTTS_TRY_VOID(pin.check());
    return pin;
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

Result<emulator::ServeSetup> resolve(Context& ctx, const emulator::ServeOptions& opts) {
    emulator::ServeSetup setup;
    setup.options = opts;
    setup.options.quiet = opts.quiet || ctx.options.quiet;
    setup.version = OTTS_VERSION;
    OTTS_TRY(setup.store, store_spec(ctx, opts));
    OTTS_TRY(setup.keys.create, ctx.hs_keys(Family::create));
    OTTS_TRY(setup.keys.one_time, ctx.hs_keys(Family::one_time));
    OTTS_TRY(setup.leeway, ctx.leeway());
    OTTS_TRY(setup.keys.user, ctx.hs_keys(Family::user));
    OTTS_TRY(setup.keys.license, ctx.license_keys(false));
    OTTS_TRY(setup.pin, pin_config(ctx, opts));
    OTTS_TRY(const auto* config, ctx.settings());
    OTTS_TRY(const auto* home, ctx.home());
    OTTS_TRY(setup.keys.auth, auth_token_keys(*config, *home));
    OTTS_TRY(setup.auth, token_handler(*config, *home));
    setup.settings = *config;
    if (!opts.dynamodb_endpoint.empty()) setup.settings.set_override("DYNAMODB_ENDPOINT", opts.dynamodb_endpoint);
    ctx.debug("store: " + setup.store);
    return setup;
}

int run_serve(Context& ctx, const emulator::ServeOptions& opts) {
    auto setup = resolve(ctx, opts);
    if (!setup) return ctx.fail(setup.error());
    return emulator::serve(std::move(*setup));
}

}  // namespace

void setup_serve(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<emulator::ServeOptions>();
    auto* cmd = app.add_subcommand("serve", "Run the local emulator: the token HTTP APIs on 127.0.0.1");
    cmd->add_option("--host", opts->host, "Address to listen on (default 127.0.0.1)");
    cmd->add_option("--port", opts->port, "HTTP port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
    cmd->add_option("--ws-port", opts->ws_port, "WebSocket port of the S4 endpoint (default 8081)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--db", opts->db, "SQLite file (default: otts.db in the data home)");
    cmd->add_flag("--in-memory", opts->in_memory, "Keep everything in memory (lost at exit)");
    cmd->add_option("--store", opts->store, "Backend: sqlite (default) or dynamodb (shared by several instances)")
        ->check(CLI::IsMember({"sqlite", "dynamodb"}));
    cmd->add_option("--dynamodb-endpoint", opts->dynamodb_endpoint,
                    "DynamoDB endpoint URL for --store dynamodb (default: DYNAMODB_ENDPOINT, else AWS)");
    cmd->add_option("--fixed-pin", opts->fixed_pin, "Mail this PIN instead of a random one (tests only)");
    cmd->add_option("--log-format", opts->log_format, "Access log format on stderr: text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--pow-difficulty", opts->pow_difficulty, "PoW difficulty of create tokens in bits (default 18)")
        ->check(CLI::Range(0, 64));
    cmd->add_option("--pow-ladder", opts->pow_ladder,
                    "Raise the difficulty with the issuance rate: PER_MINUTE:BITS,... e.g. 10:18,30:20,100:22");
    cmd->add_flag("--rate-limits", opts->rate_limits, "Apply the originals' rate limits (S0: 10 POST /token/min/IP)");
    cmd->add_option("--cors-origin", opts->cors_origins,
                    "Allow this browser origin (repeatable; '*' any; default: any http://localhost origin)")
        ->allow_extra_args(false);
    cmd->add_option("--threads", opts->threads, "Connections served at once (default 128)")->check(CLI::Range(1, 4096));
    cmd->callback([&ctx, opts] { ctx.exit_status = run_serve(ctx, *opts); });
}

}  // namespace otts::cli
