#pragma once
// A scripted HttpClient for the AWS adapter tests: it records every request and plays back the
// queued answers (an empty JSON object once the queue is empty).
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/aws/aws_client.hpp"
#include "core/ports/http_client.hpp"

namespace otts::aws::testing {

// What the fake transport saw and what it will answer, shared by every connection it creates.
struct Exchange {
    std::vector<http::Request> requests;
    std::deque<Result<http::Response>> answers;  // front first
    std::vector<std::string> opened;             // base URLs of the connections created
};

class FakeHttpClient final : public HttpClient {
public:
    explicit FakeHttpClient(Exchange& exchange) : m_exchange(exchange) {}
    Result<http::Response> send(const http::Request& request) override {
        m_exchange.requests.push_back(request);
        if (m_exchange.answers.empty()) return http::Response::json(200, nlohmann::json::object());
        auto answer = std::move(m_exchange.answers.front());
        m_exchange.answers.pop_front();
        return answer;
    }

private:
    Exchange& m_exchange;
};

inline HttpClientFactory fake_factory(Exchange& exchange) {
    return [&exchange](const std::string& base_url) -> Result<std::unique_ptr<HttpClient>> {
        exchange.opened.push_back(base_url);
        return std::unique_ptr<HttpClient>(std::make_unique<FakeHttpClient>(exchange));
    };
}

inline http::Response answer(int status, std::string body, http::Headers headers = {}) {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

inline AwsConfig test_config(std::optional<std::string> token = std::nullopt) {
    AwsConfig config;
    config.credentials = Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", std::move(token)};
    config.region = "us-east-1";
    return config;
}

inline constexpr RetryPolicy k_no_wait{6, std::chrono::milliseconds(0), std::chrono::milliseconds(0)};

}  // namespace otts::aws::testing
