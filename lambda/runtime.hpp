#pragma once
// The Lambda Runtime API (version 2018-06-01) loop of a custom runtime (provided.al2023):
// fetch the next event, hand it to the handler, post the answer or the error. Only the loop:
// what an event means is the handler's business (lambda/handler.hpp).
//
// It talks through the HttpClient port, so tests drive it with a fake; in the bootstrap the
// client is HttplibClient with a read timeout of a day (/next is a long poll).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace otts::lambda {

// One invocation as /next hands it over.
struct Invocation {
    std::string request_id;    // Lambda-Runtime-Aws-Request-Id
    std::int64_t deadline_ms;  // Lambda-Runtime-Deadline-Ms (Unix epoch milliseconds); 0 if absent
    std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn
    std::string trace_id;      // Lambda-Runtime-Trace-Id (X-Ray), empty if absent
    std::string event;         // the event, JSON text
};

// What an error report says. `type` is the errorType Lambda shows ("otts.bad_request"); it is
// also sent as the Lambda-Runtime-Function-Error-Type header.
struct InvocationError {
    std::string type;
    std::string message;
};

// The error report for an otts Error: type "otts.<code name>", message Error::message().
InvocationError invocation_error(const Error& error);

class RuntimeApi {
public:
    explicit RuntimeApi(HttpClient& client) : m_client(client) {}

    // Blocks until the next event. endpoint_unreachable when the Runtime API cannot be reached,
    // server_error for a non-200 answer or one without a request id.
    Result<Invocation> next();
    // POST /invocation/{id}/response. server_error when the Runtime API refuses it (413 for a
    // response over the payload limit, 400/403 for a stale id).
    Result<void> respond(const std::string& request_id, std::string body);
    // POST /invocation/{id}/error.
    Result<void> report_error(const std::string& request_id, const InvocationError& error);
    // POST /init/error; the process must exit afterwards.
    Result<void> report_init_error(const InvocationError& error);

private:
    Result<void> post(std::string path, std::string body, const InvocationError* error);

    HttpClient& m_client;
};

// The handler's answer to one event (JSON), or an error to report for it.
using EventHandler = std::function<Result<nlohmann::json>(const nlohmann::json& event)>;
// Where the loop writes its diagnostics (one line each; the bootstrap sends them to stderr,
// which Lambda forwards to CloudWatch Logs).
using LogSink = std::function<void(std::string_view line)>;

// Serves exactly one invocation: /next, then /response with the handler's JSON, or /error when
// the event is not JSON, the handler returns an error or throws. Sets _X_AMZN_TRACE_ID for the
// duration of the invocation, as the AWS runtimes do. An error is returned only when the
// Runtime API itself fails (the loop cannot go on).
Result<void> serve_one(RuntimeApi& api, const EventHandler& handler, const LogSink& log);

// serve_one until the Runtime API fails; returns that error. In Lambda this never returns: the
// environment is frozen inside /next and eventually killed.
Error run(RuntimeApi& api, const EventHandler& handler, const LogSink& log);

}  // namespace otts::lambda
