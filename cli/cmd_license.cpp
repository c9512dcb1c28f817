// otts license create --email E [--days N]: sign an S3 license with the license private key
// and print its base64 text (the form users paste into request-pin).
#include <memory>

#include "cli/commands.hpp"
#include "core/tokens/licenses.hpp"
#include "core/encoding/time_format.hpp"

namespace otts::cli {
namespace {

struct LicenseOptions {
    std::string email;
    int days = 365;
    std::optional<int> workspace_limit;
    std::optional<int> seat_count;
};

int run_license_create(Context& ctx, const LicenseOptions& opts) {
    auto keys = ctx.license_keys(true);
    if (!keys) return ctx.fail(keys.error());
    LicenseRequest request{opts.email, UnixSeconds{opts.days} * 86400, opts.workspace_limit, opts.seat_count};
    auto license = Licenses(ctx.clock, ctx.random, std::move(*keys)).create(request);
    if (!license) return ctx.fail(license.error());
    const auto exp = license->claims["exp"].get<UnixSeconds>();
    return ctx.emit({{"license", license->text},
                     {"license_key_hash", license->key_hash},
                     {"expires_at", exp},
                     {"expiration", iso8601(exp)},
                     {"claims", license->claims}},
                    license->text);
}

}  // namespace

void setup_license(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("license", "Make S3 licenses (ES256, base64 text)");
    cmd->require_subcommand(1);
    auto opts = std::make_shared<LicenseOptions>();
    auto* create = cmd->add_subcommand("create", "Sign a license for an email address");
    create->add_option("--email", opts->email, "The licensee's email address")->required();
    create->add_option("--days", opts->days, "Validity in days (default 365)")->check(CLI::Range(1, 3660));
    create->add_option("--workspace-limit", opts->workspace_limit, "workspace_limit claim")
        ->check(CLI::NonNegativeNumber);
    create->add_option("--seat-count", opts->seat_count, "seat_count claim")->check(CLI::NonNegativeNumber);
    create->callback([&ctx, opts] { ctx.exit_status = run_license_create(ctx, *opts); });
}

}  // namespace otts::cli
