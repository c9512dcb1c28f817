// bootstrap: the Lambda custom runtime (provided.al2023). Wires the Lambda's stack to the
// Runtime API loop; everything else lives in otts_lambda and otts_app.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/settings.hpp"
#include "app/services.hpp"
#include "lambda/handler.hpp"
#include "lambda/runtime.hpp"
#include "adapters/httplib_client.hpp"

namespace {

using namespace otts;

// Lambda forwards stderr to CloudWatch Logs, one record per line.
void log_line(std::string_view line) {
    std::fprintf(stderr, "otts: %.*s\n", static_cast<int>(line.size()), line.data());
}

int fail_init(lambda::RuntimeApi& api, const Error& error) {
    const auto report = lambda::invocation_error(error);
    log_line("init failed: " + report.type + ": " + report.message);
    if (auto posted = api.report_init_error(report); !posted) log_line(posted.error().message());
    return 1;
}

int serve(lambda::RuntimeApi& api, app::Stack& stack) {
    lambda::HandlerDeps deps{
        .http = [&stack](http::Request request) { return stack.api().handle(std::move(request)); },
        .user_tokens = stack.user_tokens(),
        .connections = stack.connection_store(),
        .clock = stack.clock(),
        .random = stack.random(),
    };
    const auto error = lambda::run(
        api, [&deps](const nlohmann::json& event) { return lambda::handle_event(event, deps); }, log_line);
    log_line("runtime API loop ended: " + error.message());
    return 1;
}

}  // namespace

int main() {
    const char* endpoint = std::getenv("AWS_LAMBDA_RUNTIME_API");
    // GET /invocation/next waits for the next event as long as it takes.
    auto client = HttplibClient::create("http://" + std::string(endpoint ? endpoint : ""),
                                        HttplibClient::Timeouts{.read = std::chrono::hours(24)});
    if (!client) {
        log_line(client.error().message());
        return 1;
    }
    lambda::RuntimeApi api(**client);
    // Init builds the services and nothing more (keys parsed, store handle opened, no network
    // calls): the first /next follows at once, and init time is billed cold-start latency.
    const Settings settings(process_environment());  // no config file: a Lambda has none
    auto stack = app::lambda_stack(settings, log_line);
    if (!stack) return fail_init(api, stack.error());
    return serve(api, **stack);
}
