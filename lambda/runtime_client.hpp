#pragma once
// The HttpClient the bootstrap talks to the Lambda Runtime API with. Not adapters/
// HttplibClient: that one bounds every read to 30 s, which suits --endpoint calls but would cut
// GET /invocation/next, a long poll that waits (frozen, in Lambda) until the next event.
// Plain http to the local Runtime API endpoint only; no TLS, no proxy, no base path.
#include <memory>
#include <string>

#include "core/http_client.hpp"

namespace httplib {
class Client;
}

namespace otts::lambda {

class RuntimeClient final : public HttpClient {
public:
    // `host_port`: the value of AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001"). usage error when it
    // is empty or has no port.
    static Result<std::unique_ptr<RuntimeClient>> create(const std::string& host_port);
    ~RuntimeClient() override;

    Result<http::Response> send(const http::Request& request) override;

private:
    RuntimeClient(std::unique_ptr<httplib::Client> client, std::string host_port);

    std::unique_ptr<httplib::Client> m_client;
    std::string m_host_port;  // for messages
};

}  // namespace otts::lambda
