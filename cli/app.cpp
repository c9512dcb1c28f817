#include "cli/app.hpp"

#include <exception>
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"

namespace otts::cli {
namespace {

void add_global_options(CLI::App& app, GlobalOptions& o) {
    app.add_option("--home", o.home, "Data home (default $OTTS_HOME, $XDG_DATA_HOME/otts, ~/.local/share/otts)");
    app.add_option("--db", o.db, "SQLite file of the store (default: otts.db in the data home; env OTTS_DB)");
    app.add_option("--secret-file", o.secret_file, "HS256 secret file (env OTTS_SECRET_FILE)");
    app.add_option("--previous-secret-file", o.previous_secret_file, "Verify-only previous secret (rotation)");
    app.add_option("--leeway", o.leeway, "Clock leeway for exp/nbf/iat, e.g. 30s (default 30s)");
    app.add_option("--endpoint", o.endpoint,
                   "Talk to a running otts (or a deployment of its API) at this URL (env OTTS_ENDPOINT)");
    app.add_flag("--json", o.json, "Machine-readable JSON on stdout");
    app.add_flag("-q,--quiet", o.quiet, "No diagnostics on stderr except errors");
    app.add_flag("-v,--verbose", o.verbose, "More diagnostics");
    app.set_version_flag("--version", "otts " OTTS_VERSION);
}

// CLI11 reports a mistyped subcommand as "A subcommand is required"; name the word instead.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e) {
    const auto rest = app.remaining();
    if (app.get_subcommands().empty() && !rest.empty() && rest.front().rfind('-', 0) != 0) {
        return "unknown command '" + rest.front() + "'";
    }
    return e.what();
}

bool wants_json(const GlobalOptions& options, int argc, char** argv) {
    if (options.json) return true;
    // The parse may have stopped before it reached --json.
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--json") return true;
    }
    return false;
}

}  // namespace

int run(int argc, char** argv) {
    Context ctx;
    CLI::App app{"otts: issue and check one-time tokens, solve their proof of work"};
    app.name("otts");
    app.fallthrough();  // global options may follow the subcommand
    app.require_subcommand(1);
    add_global_options(app, ctx.options);
    setup_issue(app, ctx);
    setup_verify(app, ctx);
    setup_decode(app, ctx);
    setup_solve_pow(app, ctx);
    setup_keygen(app, ctx);
    setup_license(app, ctx);
    setup_serve(app, ctx);
    setup_request_pin(app, ctx);
    setup_verify_pin(app, ctx);
    setup_outbox(app, ctx);
    setup_dynamodb(app, ctx);
    setup_secret(app, ctx);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        ctx.options.json = wants_json(ctx.options, argc, argv);
        const int code = ctx.fail(make_error(ErrorCode::usage, parse_error_message(app, e)));
        if (!ctx.options.json) std::cerr << "Run 'otts --help' for usage.\n";
        return code;
    } catch (const std::exception& e) {
        std::cerr << "otts: error: internal: " << e.what() << '\n';
        return exit_code::internal;
    }
    return ctx.exit_status;
}

}  // namespace otts::cli
