// otts decode TOKEN|-: show header and claims WITHOUT verifying anything, with timestamps also
// as ISO 8601. Says so on stderr (and "verified": false in --json) so nobody mistakes it for
// a check. Base64 license text is unwrapped first.
#include <memory>

#include "cli/commands.hpp"
#include "core/encoding/base64.hpp"
#include "core/encoding/time_format.hpp"

namespace otts::cli {
namespace {

Result<jwt::Decoded> decode_any(const std::string& text) {
    if (text.find('.') != std::string::npos) return jwt::decode(text);
    const auto unwrapped = base64_decode(text);
    if (!unwrapped) return make_error(ErrorCode::invalid_token, "neither a JWT nor base64 license text");
    return jwt::decode(*unwrapped);
}

nlohmann::json times_of(const nlohmann::json& payload) {
    nlohmann::json times = nlohmann::json::object();
    for (const char* name : {"iat", "nbf", "exp"}) {
        const auto it = payload.find(name);
        if (it == payload.end() || !it->is_number_integer()) continue;
        // Unverified input: convert only values in jwt::verify's range (1e19 has no int64).
        const double value = it->get<double>();
        if (value >= 0 && value <= jwt::k_max_numeric_date) times[name] = iso8601(static_cast<UnixSeconds>(value));
    }
    return times;
}

int run_decode(Context& ctx, const std::string& arg) {
    auto text = read_token_argument(arg);
    if (!text) return ctx.fail(text.error());
    auto decoded = decode_any(*text);
    if (!decoded) return ctx.fail(decoded.error());
    const auto times = times_of(decoded->payload);
    ctx.note("otts: note: decoded only; the signature and claims were NOT verified");
    std::string human = "header:\n" + decoded->header.dump(2) + "\npayload:\n" + decoded->payload.dump(2);
    for (const auto& [name, iso] : times.items()) {
        human += "\n" + name + ": " + decoded->payload[name].dump() + " (" + iso.get<std::string>() + ")";
    }
    return ctx.emit({{"verified", false}, {"header", decoded->header}, {"payload", decoded->payload}, {"times", times}},
                    human);
}

}  // namespace

void setup_decode(CLI::App& app, Context& ctx) {
    auto token = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("decode", "Show a token's header and claims without verifying them");
    cmd->add_option("token", *token, "The token or license text, or - for standard input");
    cmd->callback([&ctx, token] { ctx.exit_status = run_decode(ctx, *token); });
}

}  // namespace otts::cli
