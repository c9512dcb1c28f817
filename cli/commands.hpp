#pragma once
// One setup_<name> per subcommand (cli/cmd_<name>.cpp): each adds its subcommand to `app`,
// binds its options and, when chosen, stores its exit code in ctx.exit_status.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace otts::cli {

void setup_issue(CLI::App& app, Context& ctx);
void setup_verify(CLI::App& app, Context& ctx);
void setup_decode(CLI::App& app, Context& ctx);
void setup_solve_pow(CLI::App& app, Context& ctx);
void setup_keygen(CLI::App& app, Context& ctx);
void setup_license(CLI::App& app, Context& ctx);
void setup_serve(CLI::App& app, Context& ctx);
void setup_request_pin(CLI::App& app, Context& ctx);
void setup_verify_pin(CLI::App& app, Context& ctx);
void setup_outbox(CLI::App& app, Context& ctx);
void setup_dynamodb(CLI::App& app, Context& ctx);
void setup_secret(CLI::App& app, Context& ctx);

}  // namespace otts::cli
