#include "cli/local_api.hpp"

#include <iostream>

namespace otts::cli {

Result<http::Response> InProcessClient::send(const http::Request& request) {
    http::Request copy = request;
    if (copy.source_ip.empty()) copy.source_ip = "127.0.0.1";  // as if from the local machine
    return m_stack->api().handle(std::move(copy));
}

Result<HttpClient*> api_client(Context& ctx, std::unique_ptr<HttpClient>& local) {
    OTTS_TRY(auto* remote, ctx.endpoint());
    if (remote) return remote;
    if (!local) {
        OTTS_TRY(auto setup, default_serve_setup(ctx));
        OTTS_TRY(auto stack, emulator::make_stack(setup, [](std::string_view message) {
                     std::cerr << "otts: " << message << '\n';  // a failed mail send; never a secret
                 }));
        stack->add_routes(std::nullopt);  // the shared API, as the Lambda serves it
        local = std::make_unique<InProcessClient>(std::move(stack));
    }
    return local.get();
}

}  // namespace otts::cli
