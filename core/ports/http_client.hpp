#pragma once
// The HttpClient port: how the CLI talks to a running otts (or any deployment of the same
// API) when --endpoint is given. The adapter owns the base URL; requests carry only the path,
// query, headers and body, so the same Request type serves both directions.
#include "core/http/http.hpp"
#include "core/result.hpp"

namespace otts {

class HttpClient {
public:
    virtual ~HttpClient() = default;
    // endpoint_unreachable when no response arrives (refused, DNS, TLS, timeout); any HTTP
    // status, 4xx and 5xx included, is a response.
    virtual Result<http::Response> send(const http::Request& request) = 0;
};

}  // namespace otts
