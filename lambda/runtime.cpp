#include "lambda/runtime.hpp"

#include <cstdlib>
#include <exception>
#include <string>

#include "core/encoding/json_text.hpp"

namespace otts::lambda {
namespace {

using nlohmann::json;

constexpr std::string_view k_base = "/2018-06-01/runtime";

std::string header_or_empty(const http::Response& response, std::string_view name) {
    auto it = response.headers.find(name);
    return it == response.headers.end() ? std::string() : it->second;
}

std::int64_t parse_deadline(const std::string& text) {
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    return end != text.c_str() && *end == '\0' ? value : 0;
}

// X-Ray reads the trace header from the environment (the AWS SDKs and runtimes agree on it).
void set_trace_id(const std::string& trace_id) {
    if (trace_id.empty()) {
        ::unsetenv("_X_AMZN_TRACE_ID");
    } else {
        ::setenv("_X_AMZN_TRACE_ID", trace_id.c_str(), 1);
    }
}

// JSON text for the Runtime API. Never throws: a stray invalid UTF-8 byte (in a header value,
// say) becomes U+FFFD instead of losing the whole answer.
std::string dump(const json& value) { return json_text(value); }

// The handler's answer to one event text; an error for events that are not JSON, handler
// errors and exceptions (a bug must not take the runtime down with it).
Result<json> answer(const EventHandler& handler, const std::string& event_text) {
    const auto event = json::parse(event_text, nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded()) return make_error(ErrorCode::bad_request, "lambda event: not JSON");
    try {
        return handler(event);
    } catch (const std::exception& e) {
        return make_error(ErrorCode::internal, std::string("handler threw: ") + e.what());
    }
}

}  // namespace

InvocationError invocation_error(const Error& error) {
    return {"otts." + std::string(error_info(error.code).name), error.message()};
}

Result<Invocation> RuntimeApi::next() {
    http::Request request;
    request.method = "GET";
    request.path = std::string(k_base) + "/invocation/next";
    OTTS_TRY(auto response, m_client.send(request));
    if (response.status != 200) {
        return make_error(ErrorCode::server_error, "runtime API /next answered " + std::to_string(response.status));
    }
    Invocation invocation;
    invocation.request_id = header_or_empty(response, "Lambda-Runtime-Aws-Request-Id");
    if (invocation.request_id.empty()) return make_error(ErrorCode::server_error, "runtime API /next: no request id");
    invocation.deadline_ms = parse_deadline(header_or_empty(response, "Lambda-Runtime-Deadline-Ms"));
    invocation.function_arn = header_or_empty(response, "Lambda-Runtime-Invoked-Function-Arn");
    invocation.trace_id = header_or_empty(response, "Lambda-Runtime-Trace-Id");
    invocation.event = std::move(response.body);
    return invocation;
}

Result<void> RuntimeApi::post(std::string path, std::string body, const InvocationError* error) {
    http::Request request;
    request.method = "POST";
    request.path = std::string(k_base) + std::move(path);
    request.headers["Content-Type"] = "application/json";
    if (error) request.headers["Lambda-Runtime-Function-Error-Type"] = error->type;
    request.body = std::move(body);
    OTTS_TRY(auto response, m_client.send(request));
    if (response.status / 100 != 2) {
        return make_error(ErrorCode::server_error,
                          "runtime API " + request.path + " answered " + std::to_string(response.status));
    }
    return Ok{};
}

Result<void> RuntimeApi::respond(const std::string& request_id, std::string body) {
    return post("/invocation/" + request_id + "/response", std::move(body), nullptr);
}

Result<void> RuntimeApi::report_error(const std::string& request_id, const InvocationError& error) {
    const json body = {{"errorMessage", error.message}, {"errorType", error.type}, {"stackTrace", json::array()}};
    return post("/invocation/" + request_id + "/error", dump(body), &error);
}

Result<void> RuntimeApi::report_init_error(const InvocationError& error) {
    const json body = {{"errorMessage", error.message}, {"errorType", error.type}, {"stackTrace", json::array()}};
    return post("/init/error", dump(body), &error);
}

namespace {

// The error report for one invocation, logged too: CloudWatch shows why it failed.
Result<void> report(RuntimeApi& api, const std::string& request_id, const Error& error, const LogSink& log) {
    const auto report = invocation_error(error);
    log("invocation " + request_id + " failed: " + report.type + ": " + report.message);
    return api.report_error(request_id, report);
}

}  // namespace

Result<void> serve_one(RuntimeApi& api, const EventHandler& handler, const LogSink& log) {
    OTTS_TRY(auto invocation, api.next());
    set_trace_id(invocation.trace_id);
    const auto result = answer(handler, invocation.event);
    const auto& id = invocation.request_id;
    auto posted = result ? api.respond(id, dump(*result)) : report(api, id, result.error(), log);
    // A refused answer (over the payload limit, say) is still owed an outcome: report it,
    // rather than leave the caller waiting for the timeout.
    if (!posted && result && posted.error().code == ErrorCode::server_error) {
        posted = report(api, id, posted.error(), log);
    }
    // A refused post ends this invocation only; an unreachable Runtime API ends the loop.
    if (!posted && posted.error().code == ErrorCode::endpoint_unreachable) return posted.error();
    if (!posted) log("invocation " + id + ": " + posted.error().message());
    return Ok{};
}

Error run(RuntimeApi& api, const EventHandler& handler, const LogSink& log) {
    for (;;) {
        auto served = serve_one(api, handler, log);
        if (!served) return served.error();
    }
}

}  // namespace otts::lambda
