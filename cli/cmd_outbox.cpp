// otts outbox: the mail a running otts serve "sent" (PINs), read from its /_otts/outbox, as
// LocalStack shows sent SES mail; --clear empties it.
#include <memory>

#include "cli/commands.hpp"
#include "core/api/api_client.hpp"

namespace otts::cli {
namespace {

struct OutboxOptions {
    std::string to;
    bool clear = false;
};

std::string describe(const nlohmann::json& messages) {
    std::string out;
    for (const auto& m : messages) {
        out += m.value("id", "") + "  " + m.value("to", "") + "  " + m.value("subject", "") + "\n" +
               m.value("text", "") + "\n\n";
    }
    return out.empty() ? "outbox is empty" : out.substr(0, out.size() - 2);
}

int run_outbox(Context& ctx, const OutboxOptions& opts) {
    auto client = ctx.server();
    if (!client) return ctx.fail(client.error());
    if (opts.clear) {
        auto answer = api::call_api(**client, api::api_delete("/_otts/outbox"));
        if (!answer) return ctx.fail(answer.error());
        return ctx.emit(answer->is_null() ? nlohmann::json{{"cleared", true}} : *answer, "outbox cleared");
    }
    http::Params query;
    if (!opts.to.empty()) query["to"] = opts.to;
    auto answer = api::call_api(**client, api::api_get("/_otts/outbox", query));
    if (!answer) return ctx.fail(answer.error());
    const auto messages = answer->is_array() ? *answer : answer->value("messages", nlohmann::json::array());
    return ctx.emit(*answer, describe(messages));
}

}  // namespace

void setup_outbox(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<OutboxOptions>();
    auto* cmd = app.add_subcommand("outbox", "Show (or --clear) the mail a running otts serve has sent");
    cmd->add_option("--to", opts->to, "Only mail to this address");
    cmd->add_flag("--clear", opts->clear, "Delete every mail in the outbox");
    cmd->callback([&ctx, opts] { ctx.exit_status = run_outbox(ctx, *opts); });
}

}  // namespace otts::cli
