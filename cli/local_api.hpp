#pragma once
// "Local store by default" for commands that speak the HTTP API (otts secret): without
// --endpoint they send the very same requests, answered in this process by the Api of a stack
// built as `otts serve` builds its own, on the local data home and store. One code path for
// both modes; only the transport differs.
#include <memory>

#include "app/services.hpp"
#include "cli/context.hpp"
#include "emulator/serve.hpp"

namespace otts::cli {

// The setup `otts serve` without flags would run on (settings, data home keys, store, policy).
// Defined in cmd_serve.cpp, next to the flags that override it.
Result<emulator::ServeSetup> default_serve_setup(Context& ctx);

// An HttpClient answering from `stack.api()`; the stack's routes must already be added.
class InProcessClient : public HttpClient {
public:
    explicit InProcessClient(std::unique_ptr<app::Stack> stack) : m_stack(std::move(stack)) {}
    Result<http::Response> send(const http::Request& request) override;

private:
    std::unique_ptr<app::Stack> m_stack;
};

// The client for --endpoint / OTTS_ENDPOINT when one is set, else an InProcessClient over the
// local store (owned by `local`, which must outlive the returned pointer).
Result<HttpClient*> api_client(Context& ctx, std::unique_ptr<HttpClient>& local);

}  // namespace otts::cli
