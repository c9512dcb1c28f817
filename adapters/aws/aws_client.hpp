#pragma once
// Calls to AWS JSON APIs (DynamoDB, SES v2, SSM, Secrets Manager), signed with Signature
// Version 4 over the HttpClient port. One client per service endpoint; safe to share between
// threads (it keeps a small pool of keep-alive connections, one per concurrent caller).
//
// Throttling and 5xx answers are retried with capped exponential backoff and jitter; any other
// answer, 4xx included, is returned to the caller, who decides what an AWS error type means
// (a failed ConditionExpression is an outcome for the store, not an error).
// TransactionConflictException is retried as well: DynamoDB rejected that write without
// applying it. A 5xx, by contrast, may come after the write was applied, so a retried
// conditional write can then see ConditionalCheckFailedException for its own first attempt
// (for single use that errs on the safe side: never two winners).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/aws/sigv4.hpp"
#include "adapters/settings.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace otts::aws {

// Credentials (access key, secret, optional session token) are defined in sigv4.hpp.

// Credentials and region from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN and
// AWS_REGION (else AWS_DEFAULT_REGION, else us-east-1). key_error when the keys are missing.
struct AwsConfig {
    Credentials credentials;
    std::string region = "us-east-1";
    static Result<AwsConfig> from_settings(const Settings& settings);
};

// One answer of an AWS API.
struct AwsResponse {
    int status = 0;
    nlohmann::json body;     // parsed JSON body (null when the body was empty)
    std::string error_type;  // empty on 2xx; else the short type, e.g. "ConditionalCheckFailedException"
                             // (the part after '#' of __type, or the x-amzn-ErrorType header)
    std::string error_message;
    bool ok() const { return status >= 200 && status < 300; }
};

struct RetryPolicy {
    int max_attempts = 6;  // first try included
    std::chrono::milliseconds base_delay{25};
    std::chrono::milliseconds max_delay{1000};
};

// Builds the transport for one endpoint (base URL "https://dynamodb.eu-west-1.amazonaws.com"
// or "http://127.0.0.1:4567"); the production factory wraps HttplibClient.
using HttpClientFactory = std::function<Result<std::unique_ptr<HttpClient>>(const std::string& base_url)>;
HttpClientFactory httplib_client_factory();

class AwsClient {
public:
    // `service` is the SigV4 signing name ("dynamodb", "ses", "ssm", "secretsmanager");
    // `endpoint` the base URL (the public regional one unless overridden for a local peer).
    AwsClient(AwsConfig config, std::string service, std::string endpoint, const Clock& clock,
              HttpClientFactory factory = httplib_client_factory(), RetryPolicy retry = {});

    // The public endpoint of `service` in `region`: https://{service}.{region}.amazonaws.com
    // (SES v2 is "email").
    static std::string default_endpoint(std::string_view service, std::string_view region);

    // POST / with Content-Type application/x-amz-json-1.0 (DynamoDB) or 1.1 (SSM, Secrets
    // Manager) and X-Amz-Target: `target` ("DynamoDB_20120810.PutItem"). endpoint_unreachable
    // when no answer came after the retries; otherwise the (possibly error) answer.
    Result<AwsResponse> call_target(std::string_view target, const nlohmann::json& body,
                                    std::string_view content_type = "application/x-amz-json-1.0");

    // A REST-JSON call (SES v2: POST /v2/email/outbound-emails).
    Result<AwsResponse> call_rest(std::string_view method, std::string_view path, const nlohmann::json& body);

    // A REST call whose body is sent as it is (API Gateway's PostToConnection: the message).
    // `path` is the wire path below the endpoint's, already percent-encoded where needed.
    Result<AwsResponse> call_raw(std::string_view method, std::string_view path, std::string body,
                                 std::string_view content_type);

    const std::string& endpoint() const { return m_endpoint; }

private:
    // Sends `request` signed, retrying as the class comment says.
    Result<AwsResponse> call(const http::Request& request);
    // One signed attempt over a pooled connection.
    Result<http::Response> send_signed(const http::Request& request);
    Result<std::unique_ptr<HttpClient>> acquire();
    void release(std::unique_ptr<HttpClient> client);

    AwsConfig m_config;
    std::string m_service;
    std::string m_endpoint;
    std::string m_host;       // authority of m_endpoint: the signed Host header
    std::string m_base_path;  // path of m_endpoint, prefixed to every request path
    const Clock& m_clock;
    HttpClientFactory m_factory;
    RetryPolicy m_retry;
    std::mutex m_pool_mutex;
    std::vector<std::unique_ptr<HttpClient>> m_idle;  // connections not in use
};

}  // namespace otts::aws
