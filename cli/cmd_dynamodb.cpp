// otts dynamodb create-tables: creates the DynamoDB tables otts uses (names from TOKEN_TABLE,
// PINS_TABLE, OTTS_OUTBOX_TABLE, CONNECTIONS_TABLE, DYNAMODB_TABLE for the sessions,
// SECRETS_TABLE), waits until they are ACTIVE and turns on their TTL. Safe to run again: existing tables are kept. The
// endpoint is --endpoint-url, else DYNAMODB_ENDPOINT, else the region's public one; credentials
// and region the AWS_* variables.
#include <memory>

#include "adapters/dynamodb/dynamodb_tables.hpp"
#include "cli/commands.hpp"

namespace otts::cli {
namespace {

struct DynamodbOptions {
    std::string endpoint_url;
};

nlohmann::json to_json(const TableReport& report) {
    return {{"name", report.name},       {"key", report.key},       {"ttl_attribute", report.ttl_attribute},
            {"created", report.created}, {"status", report.status}, {"ttl_status", report.ttl_status}};
}

std::string describe(const TableReport& report) {
    return report.name + "  key " + report.key + "  ttl " + report.ttl_attribute + " (" + report.ttl_status + ")  " +
           report.status + (report.created ? "  created" : "  existed");
}

int run_create_tables(Context& ctx, const DynamodbOptions& opts) {
    auto settings = ctx.settings();
    if (!settings) return ctx.fail(settings.error());
    std::optional<std::string> endpoint;
    if (!opts.endpoint_url.empty()) endpoint = opts.endpoint_url;
    auto client = make_dynamodb_client(**settings, ctx.clock, endpoint);
    if (!client) return ctx.fail(client.error());
    ctx.debug("DynamoDB endpoint: " + (*client)->endpoint());
    auto reports = create_tables(**client, DynamoTables::from_settings(**settings));
    if (!reports) return ctx.fail(reports.error());
    nlohmann::json tables = nlohmann::json::array();
    std::string human;
    for (const auto& report : *reports) {
        tables.push_back(to_json(report));
        human += (human.empty() ? "" : "\n") + describe(report);
    }
    return ctx.emit({{"endpoint", (*client)->endpoint()}, {"tables", tables}}, human);
}

}  // namespace

void setup_dynamodb(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<DynamodbOptions>();
    auto* cmd = app.add_subcommand("dynamodb", "Manage the DynamoDB tables of a deployment");
    cmd->require_subcommand(1);
    auto* create = cmd->add_subcommand("create-tables", "Create the tables otts uses (idempotent), with TTL");
    create->add_option("--endpoint-url", opts->endpoint_url,
                       "DynamoDB endpoint, e.g. http://127.0.0.1:4567 (env DYNAMODB_ENDPOINT)");
    create->callback([&ctx, opts] { ctx.exit_status = run_create_tables(ctx, *opts); });
}

}  // namespace otts::cli
