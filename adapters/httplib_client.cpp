#include "adapters/httplib_client.hpp"

#include <httplib.h>

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>

namespace otts {

namespace {

httplib::Request to_httplib(const http::Request& request, const std::string& base_path) {
    httplib::Request out;
    out.method = request.method;
    out.path = base_path + request.path;
    // append_query_params adds a '?' even for no parameters, which a strict server (or a
    // signature over the request line) may not take.
    if (!request.query.empty()) {
        out.path = httplib::append_query_params(out.path, httplib::Params(request.query.begin(), request.query.end()));
    }
    for (const auto& [name, value] : request.headers) out.headers.emplace(name, value);
    out.body = request.body;
    return out;
}

http::Response from_httplib(const httplib::Response& response) {
    http::Response out;
    out.status = response.status;
    for (const auto& [name, value] : response.headers) {
        if (name == "Set-Cookie" || name == "set-cookie") {
            out.cookies.push_back(value);
        } else {
            // Repeated headers fold into one value, as RFC 9110 §5.3 allows.
            auto [it, inserted] = out.headers.emplace(name, value);
            if (!inserted) it->second += ", " + value;
        }
    }
    out.body = response.body;
    return out;
}

// "scheme://authority" and the base path of an http(s) URL without query or fragment.
std::optional<std::pair<std::string, std::string>> split_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::nullopt;
    const auto scheme = url.substr(0, scheme_end);
    if ((scheme != "http" && scheme != "https") || url.find_first_of("?#") != std::string_view::npos) {
        return std::nullopt;
    }
    const auto path_start = url.find('/', scheme_end + 3);
    const auto origin = url.substr(0, path_start);
    if (origin.size() == scheme_end + 3) return std::nullopt;  // no host
    std::string path(path_start == std::string_view::npos ? std::string_view() : url.substr(path_start));
    while (!path.empty() && path.back() == '/') path.pop_back();
    return std::pair{std::string(origin), std::move(path)};
}

}  // namespace

Result<std::unique_ptr<HttplibClient>> HttplibClient::create(const std::string& base_url, Timeouts timeouts) {
    auto parts = split_url(base_url);
    if (!parts) {
        return make_error(ErrorCode::usage,
                          "endpoint must look like http(s)://host[:port][/path], got '" + base_url + "'");
    }
    auto [origin, base_path] = std::move(*parts);
    auto client = std::make_unique<httplib::Client>(origin);
    if (!client->is_valid()) return make_error(ErrorCode::usage, "cannot use endpoint '" + base_url + "'");
    client->set_connection_timeout(timeouts.connect);
    client->set_read_timeout(timeouts.read);
    client->set_keep_alive(true);
    // Headers and body leave in separate writes; with Nagle on, each request would wait for a
    // delayed ACK (~40 ms a call against DynamoDB).
    client->set_tcp_nodelay(true);
    client->enable_server_certificate_verification(true);
    // httplib verifies only against a bundle it is given: SSL_CERT_FILE when set, else Debian's,
    // else Amazon Linux's (the Lambda runtime's).
    const char* from_env = std::getenv("SSL_CERT_FILE");
    for (const char* bundle : {from_env, "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"}) {
        if (bundle && ::access(bundle, R_OK) == 0) {
            client->set_ca_cert_path(bundle);
            break;
        }
    }
    return std::unique_ptr<HttplibClient>(new HttplibClient(std::move(client), base_url, std::move(base_path)));
}

HttplibClient::HttplibClient(std::unique_ptr<httplib::Client> client, std::string base_url, std::string base_path)
    : m_client(std::move(client)), m_base_url(std::move(base_url)), m_base_path(std::move(base_path)) {}

HttplibClient::~HttplibClient() = default;

Result<http::Response> HttplibClient::send(const http::Request& request) {
    auto result = m_client->send(to_httplib(request, m_base_path));
    if (!result) {
        return make_error(ErrorCode::endpoint_unreachable, m_base_url + ": " + httplib::to_string(result.error()));
    }
    return from_httplib(*result);
}

}  // namespace otts
