// otts request-pin / verify-pin: the S3 sign-in against a running otts serve or a deployment
// (--endpoint; default the local serve): a license is exchanged for a mailed PIN, and license
// plus PIN for access and refresh tokens.
#include <memory>

#include "adapters/data_home.hpp"
#include "cli/commands.hpp"
#include "core/api/api_client.hpp"

namespace otts::cli {
namespace {

struct PinOptions {
    std::string license;
    std::string pin;
};

// --license FILE, or - for standard input; the text is sent exactly as stored (trimmed), since
// the server binds the PIN to a hash of it.
Result<std::string> license_text(const std::string& path) {
    if (path == "-") return read_token_argument(path);
    OTTS_TRY(const auto text, read_file(path));
    return read_token_argument(text);
}

int run_request_pin(Context& ctx, const PinOptions& opts) {
    auto license = license_text(opts.license);
    if (!license) return ctx.fail(license.error());
    auto client = ctx.server();
    if (!client) return ctx.fail(client.error());
    auto answer = api::call_api(**client, api::api_post("/v1/auth/request-pin", {{"license", *license}}));
    if (!answer) return ctx.fail(answer.error());
    return ctx.emit(*answer, answer->value("message", "PIN sent") + " (pin_id " + answer->value("pin_id", "?") + ")");
}

int run_verify_pin(Context& ctx, const PinOptions& opts) {
    auto license = license_text(opts.license);
    if (!license) return ctx.fail(license.error());
    auto client = ctx.server();
    if (!client) return ctx.fail(client.error());
    auto answer =
        api::call_api(**client, api::api_post("/v1/auth/verify-pin", {{"license", *license}, {"pin", opts.pin}}));
    if (!answer) return ctx.fail(answer.error());
    // Human form: the two tokens on their own lines, access first, for `read a r`.
    return ctx.emit(*answer, answer->value("access_token", "") + "\n" + answer->value("refresh_token", ""));
}

}  // namespace

void setup_request_pin(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<PinOptions>();
    auto* cmd = app.add_subcommand("request-pin", "Mail a sign-in PIN for a license (needs a running otts serve)");
    cmd->add_option("--license", opts->license, "License file, or - for standard input")->required();
    cmd->callback([&ctx, opts] { ctx.exit_status = run_request_pin(ctx, *opts); });
}

void setup_verify_pin(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<PinOptions>();
    auto* cmd = app.add_subcommand("verify-pin", "Exchange license + PIN for access and refresh tokens");
    cmd->add_option("--license", opts->license, "License file, or - for standard input")->required();
    cmd->add_option("--pin", opts->pin, "The six-digit PIN from the mail")->required();
    cmd->callback([&ctx, opts] { ctx.exit_status = run_verify_pin(ctx, *opts); });
}

}  // namespace otts::cli
