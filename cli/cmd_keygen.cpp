// otts keygen [hs256|es256]: a fresh HS256 secret (64 hex characters = 32 random bytes) or a
// P-256 key pair (PKCS#8 private PEM; --out FILE also writes FILE.pub). Private files are 0600,
// public ones 0644; neither is ever overwritten.
#include <memory>

#include "cli/commands.hpp"
#include "core/jose/crypto.hpp"

namespace otts::cli {
namespace {

struct KeygenOptions {
    std::string type = "hs256";
    std::string out;
};

Result<void> write_new(Context& ctx, const std::string& path, const std::string& content, mode_t mode) {
    if (std::filesystem::exists(path)) return make_error(ErrorCode::usage, path + " exists; not overwriting it");
    return write_file_once(path, content, ctx.random, mode);
}

int run_keygen(Context& ctx, const KeygenOptions& opts) {
    nlohmann::json out = {{"type", opts.type}};
    std::string text;
    std::string pub;
    if (opts.type == "hs256") {
        text = ctx.random.hex(32);
    } else {
        auto pair = crypto::PKey::generate_p256();
        if (!pair) return ctx.fail(pair.error());
        text = pair->private_pem();
        pub = pair->public_pem();
        out["public_jwk"] = nlohmann::json::parse(pair->public_jwk());
    }
    if (opts.out.empty()) {
        out["key"] = text;
        if (!pub.empty()) out["public_key"] = pub;
        // Both PEM blocks on stdout: PEM readers pick the block they need.
        return ctx.emit(out, pub.empty() ? text : text + pub);
    }
    auto written = write_new(ctx, opts.out, text + (text.back() == '\n' ? "" : "\n"), 0600);
    if (written && !pub.empty())
        written = write_new(ctx, opts.out + ".pub", pub + (pub.back() == '\n' ? "" : "\n"), 0644);
    if (!written) return ctx.fail(written.error());
    out["file"] = opts.out;
    if (!pub.empty()) out["public_file"] = opts.out + ".pub";
    return ctx.emit(out, "wrote " + opts.out + (pub.empty() ? "" : " and " + opts.out + ".pub"));
}

}  // namespace

void setup_keygen(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<KeygenOptions>();
    auto* cmd = app.add_subcommand("keygen", "Generate an HS256 secret or an ES256 (P-256) key pair");
    cmd->add_option("type", opts->type, "hs256 (default) or es256")->check(CLI::IsMember({"hs256", "es256"}));
    cmd->add_option("--out", opts->out, "Write to this file (0600; es256 also writes FILE.pub, 0644)");
    cmd->callback([&ctx, opts] { ctx.exit_status = run_keygen(ctx, *opts); });
}

}  // namespace otts::cli
