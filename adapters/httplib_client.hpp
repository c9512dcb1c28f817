#pragma once
// HttpClient over cpp-httplib: http:// and https:// (certificates checked against the
// system's CA bundle), keep-alive for repeated calls, bounded timeouts.
#include <chrono>
#include <memory>
#include <string>

#include "core/ports/http_client.hpp"

namespace httplib {
class Client;
}

namespace otts {

class HttplibClient final : public HttpClient {
public:
    struct Timeouts {
        std::chrono::seconds connect{5};
        // Bounds every read. The Lambda Runtime API's GET /invocation/next is a long poll that
        // waits (frozen) for the next event, so the bootstrap asks for a day: "never", yet small
        // enough that httplib's poll() timeout in milliseconds (an int) cannot overflow.
        std::chrono::seconds read{30};
    };

    // `base_url`: scheme://host[:port][/base-path]. usage error for anything else.
    static Result<std::unique_ptr<HttplibClient>> create(const std::string& base_url, Timeouts timeouts);
    static Result<std::unique_ptr<HttplibClient>> create(const std::string& base_url) {
        return create(base_url, Timeouts{});
    }
    ~HttplibClient() override;

    Result<http::Response> send(const http::Request& request) override;

private:
    HttplibClient(std::unique_ptr<httplib::Client> client, std::string base_url, std::string base_path);

    std::unique_ptr<httplib::Client> m_client;
    std::string m_base_url;   // for messages
    std::string m_base_path;  // prefix of every request path, without a trailing '/'
};

}  // namespace otts
