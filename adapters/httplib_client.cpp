#include "adapters/httplib_client.hpp"

#include <httplib.h>

#include <unistd.h>

#include <regex>

namespace otts {

namespace {

constexpr int k_connect_timeout_s = 5;
constexpr int k_read_timeout_s = 30;

httplib::Request to_httplib(const http::Request& request, const std::string& base_path) {
    httplib::Request out;
    out.method = request.method;
    httplib::Params params(request.query.begin(), request.query.end());
    out.path = httplib::append_query_params(base_path + request.path, params);
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

}  // namespace

Result<std::unique_ptr<HttplibClient>> HttplibClient::create(const std::string& base_url) {
    static const std::regex k_url(R"(^(https?://[^/?#]+)(/[^?#]*)?$)");
    std::smatch m;
    if (!std::regex_match(base_url, m, k_url)) {
        return make_error(ErrorCode::usage,
                          "endpoint must look like http(s)://host[:port][/path], got '" + base_url + "'");
    }
    std::string base_path = m[2].str();
    while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
    auto client = std::make_unique<httplib::Client>(m[1].str());
    if (!client->is_valid()) return make_error(ErrorCode::usage, "cannot use endpoint '" + base_url + "'");
    client->set_connection_timeout(k_connect_timeout_s, 0);
    client->set_read_timeout(k_read_timeout_s, 0);
    client->set_keep_alive(true);
    client->enable_server_certificate_verification(true);
    // Debian's CA bundle; without it an https endpoint could not be verified at all.
    if (const char* bundle = "/etc/ssl/certs/ca-certificates.crt"; ::access(bundle, R_OK) == 0) {
        client->set_ca_cert_path(bundle);
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
