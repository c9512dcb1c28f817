#include "lambda/runtime_client.hpp"

#include <httplib.h>

#include <chrono>

namespace otts::lambda {
namespace {

constexpr auto k_connect_timeout = std::chrono::seconds(5);
// "Never" for a long poll, yet small enough that httplib's poll() timeout in milliseconds
// (an int) cannot overflow: one day, far beyond any Lambda environment's life while thawed.
constexpr auto k_read_timeout = std::chrono::hours(24);
constexpr auto k_write_timeout = std::chrono::seconds(30);

http::Response from_httplib(const httplib::Response& response) {
    http::Response out;
    out.status = response.status;
    for (const auto& [name, value] : response.headers) {
        auto [it, inserted] = out.headers.emplace(name, value);
        if (!inserted) it->second += ", " + value;
    }
    out.body = response.body;
    return out;
}

}  // namespace

Result<std::unique_ptr<RuntimeClient>> RuntimeClient::create(const std::string& host_port) {
    const auto colon = host_port.rfind(':');
    if (host_port.empty() || colon == std::string::npos || colon == 0 || colon + 1 == host_port.size()) {
        return make_error(ErrorCode::usage, "AWS_LAMBDA_RUNTIME_API must be host:port, got '" + host_port + "'");
    }
    auto client = std::make_unique<httplib::Client>("http://" + host_port);
    if (!client->is_valid()) return make_error(ErrorCode::usage, "cannot use runtime API '" + host_port + "'");
    client->set_connection_timeout(k_connect_timeout);
    client->set_read_timeout(k_read_timeout);
    client->set_write_timeout(k_write_timeout);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    return std::unique_ptr<RuntimeClient>(new RuntimeClient(std::move(client), host_port));
}

RuntimeClient::RuntimeClient(std::unique_ptr<httplib::Client> client, std::string host_port)
    : m_client(std::move(client)), m_host_port(std::move(host_port)) {}

RuntimeClient::~RuntimeClient() = default;

Result<http::Response> RuntimeClient::send(const http::Request& request) {
    httplib::Request out;
    out.method = request.method;
    out.path = request.path;
    for (const auto& [name, value] : request.headers) out.headers.emplace(name, value);
    out.body = request.body;
    auto result = m_client->send(out);
    if (!result) {
        return make_error(ErrorCode::endpoint_unreachable,
                          "runtime API " + m_host_port + ": " + httplib::to_string(result.error()));
    }
    return from_httplib(*result);
}

}  // namespace otts::lambda
