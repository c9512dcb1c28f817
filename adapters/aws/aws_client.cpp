#include "adapters/aws/aws_client.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <thread>
#include <utility>

#include "adapters/httplib_client.hpp"
#include "core/encoding/json_member.hpp"
#include "core/encoding/json_text.hpp"

namespace otts::aws {
namespace {

// Error types worth another try besides 5xx and 429: throttling and transient faults, as the AWS
// SDKs' standard retry mode lists them. TransactionConflictException (a DynamoDB write that met
// a transaction on the same item) is retried too: the write was rejected, not applied, and a
// repeated conditional write re-evaluates its condition, so single use still holds.
bool is_retryable_type(std::string_view type) {
    static constexpr std::array<std::string_view, 14> k_types = {"ThrottlingException",
                                                                 "Throttling",
                                                                 "ThrottledException",
                                                                 "RequestThrottledException",
                                                                 "TooManyRequestsException",
                                                                 "ProvisionedThroughputExceededException",
                                                                 "RequestLimitExceeded",
                                                                 "InternalServerError",
                                                                 "InternalFailure",
                                                                 "ServiceUnavailable",
                                                                 "RequestTimeout",
                                                                 "RequestTimeoutException",
                                                                 "TransactionConflictException",
                                                                 "TransactionInProgressException"};
    return std::find(k_types.begin(), k_types.end(), type) != k_types.end();
}

bool is_retryable(const AwsResponse& response) {
    return response.status >= 500 || response.status == 429 || is_retryable_type(response.error_type);
}

// "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" (__type) and
// "ValidationException:http://internal.amazon.com/..." (x-amzn-ErrorType) both name one type.
std::string short_type(std::string_view raw) {
    if (const auto hash = raw.rfind('#'); hash != std::string_view::npos) raw = raw.substr(hash + 1);
    if (const auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
    return std::string(raw);
}

std::string string_field(const nlohmann::json& body, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        if (auto value = optional_string(body, name)) return std::move(*value);
    }
    return {};
}

// REST-JSON services (SES v2) name the error in a header, JSON 1.0/1.1 services in the body.
std::string error_type_of(const http::Response& response, const nlohmann::json& body) {
    if (const auto it = response.headers.find("x-amzn-ErrorType"); it != response.headers.end()) {
        return short_type(it->second);
    }
    auto type = short_type(string_field(body, {"__type", "code"}));
    return type.empty() ? "UnknownError" : type;
}

Result<AwsResponse> parse_response(const http::Response& response) {
    AwsResponse out;
    out.status = response.status;
    if (!response.body.empty()) {
        auto parsed = nlohmann::json::parse(response.body, nullptr, false);
        if (parsed.is_discarded() && out.ok()) {
            return make_error(ErrorCode::server_error, "AWS answered " + std::to_string(out.status) + " without JSON");
        }
        if (!parsed.is_discarded()) out.body = std::move(parsed);
    }
    if (out.ok()) return out;
    out.error_type = error_type_of(response, out.body);
    out.error_message = string_field(out.body, {"message", "Message"});
    if (out.error_message.empty()) out.error_message = response.body.substr(0, 200);
    return out;
}

// Capped exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2^n)], so
// that clients throttled together do not come back together.
std::chrono::milliseconds backoff(const RetryPolicy& policy, int retry) {
    const auto exponential = policy.base_delay.count() << std::min(retry, 20);
    const auto ceiling = std::min<std::int64_t>(policy.max_delay.count(), exponential);
    if (ceiling <= 0) return std::chrono::milliseconds(0);
    thread_local std::minstd_rand generator{std::random_device{}()};
    return std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(0, ceiling)(generator));
}

// "https://host:port/base" -> {"host:port", "/base"}.
std::pair<std::string, std::string> split_endpoint(const std::string& endpoint) {
    const auto scheme_end = endpoint.find("://");
    const auto start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const auto slash = endpoint.find('/', start);
    std::string base = slash == std::string::npos ? std::string() : endpoint.substr(slash);
    while (!base.empty() && base.back() == '/') base.pop_back();
    return {endpoint.substr(start, slash - start), base};
}

}  // namespace

Result<AwsConfig> AwsConfig::from_settings(const Settings& settings) {
    const auto key = settings.get("AWS_ACCESS_KEY_ID");
    const auto secret = settings.get("AWS_SECRET_ACCESS_KEY");
    if (!key || !secret) {
        return make_error(ErrorCode::key_error,
                          "AWS credentials missing: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    AwsConfig config;
    config.credentials = Credentials{*key, *secret, settings.get("AWS_SESSION_TOKEN")};
    config.region = settings.get({"AWS_REGION", "AWS_DEFAULT_REGION"}).value_or("us-east-1");
    return config;
}

HttpClientFactory httplib_client_factory() {
    return [](const std::string& base_url) -> Result<std::unique_ptr<HttpClient>> {
        OTTS_TRY(auto client, HttplibClient::create(base_url));
        return std::unique_ptr<HttpClient>(std::move(client));
    };
}

AwsClient::AwsClient(AwsConfig config, std::string service, std::string endpoint, const Clock& clock,
                     HttpClientFactory factory, RetryPolicy retry)
    : m_config(std::move(config)),
      m_service(std::move(service)),
      m_endpoint(std::move(endpoint)),
      m_clock(clock),
      m_factory(std::move(factory)),
      m_retry(retry) {
    std::tie(m_host, m_base_path) = split_endpoint(m_endpoint);
}

std::string AwsClient::default_endpoint(std::string_view service, std::string_view region) {
    const std::string_view host_prefix = service == "ses" ? "email" : service;  // SES v2 lives at email.*
    const bool china = region.substr(0, 3) == "cn-";
    return "https://" + std::string(host_prefix) + "." + std::string(region) +
           (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

Result<AwsResponse> AwsClient::call_target(std::string_view target, const nlohmann::json& body,
                                           std::string_view content_type) {
    http::Request request;
    request.method = "POST";
    request.path = "/";
    request.headers.emplace("Content-Type", std::string(content_type));
    request.headers.emplace("X-Amz-Target", std::string(target));
    request.body = json_text(body);  // items hold outside bytes (a WebSocket client's User-Agent)
    return call(request);
}

Result<AwsResponse> AwsClient::call_rest(std::string_view method, std::string_view path, const nlohmann::json& body) {
    http::Request request;
    request.method = std::string(method);
    request.path = std::string(path);
    if (!body.is_null()) {
        request.headers.emplace("Content-Type", "application/json");
        request.body = json_text(body);
    }
    return call(request);
}

Result<AwsResponse> AwsClient::call_raw(std::string_view method, std::string_view path, std::string body,
                                        std::string_view content_type) {
    http::Request request;
    request.method = std::string(method);
    request.path = std::string(path);
    request.headers.emplace("Content-Type", std::string(content_type));
    request.body = std::move(body);
    return call(request);
}

Result<AwsResponse> AwsClient::call(const http::Request& request) {
    std::optional<AwsResponse> last_answer;
    Error last_error = make_error(ErrorCode::endpoint_unreachable, m_endpoint + ": no answer");
    for (int attempt = 0; attempt < std::max(1, m_retry.max_attempts); ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(backoff(m_retry, attempt - 1));
        auto answer = send_signed(request);
        if (!answer) {
            // Only a missing answer is worth repeating; a bad endpoint URL will not get better.
            if (answer.error().code != ErrorCode::endpoint_unreachable) return answer.error();
            last_error = answer.error();
            continue;
        }
        OTTS_TRY(auto response, parse_response(*answer));
        if (!is_retryable(response)) return response;
        last_answer = std::move(response);
    }
    // An overloaded service that answered is reported as its answer, not as unreachable.
    if (last_answer) return std::move(*last_answer);
    return last_error;
}

Result<http::Response> AwsClient::send_signed(const http::Request& request) {
    sigv4::Request to_sign{request.method, m_base_path + request.path, {}, {{"Host", m_host}}, request.body};
    for (const auto& [name, value] : request.query) to_sign.query.emplace_back(name, value);
    for (const auto& [name, value] : request.headers) to_sign.headers.push_back({name, value});
    // Signed afresh on every attempt: a retry after a long backoff must carry a current date.
    const sigv4::Options options{m_config.region, m_service, m_clock.now()};
    const auto signed_request = sigv4::sign_headers(to_sign, m_config.credentials, options);

    http::Request wire = request;
    wire.headers["Host"] = m_host;
    for (const auto& header : signed_request.add_headers) wire.headers[header.name] = header.value;

    OTTS_TRY(auto client, acquire());
    auto answer = client->send(wire);
    if (answer) release(std::move(client));  // a connection that failed is dropped, not reused
    return answer;
}

Result<std::unique_ptr<HttpClient>> AwsClient::acquire() {
    {
        std::lock_guard lock(m_pool_mutex);
        if (!m_idle.empty()) {
            auto client = std::move(m_idle.back());
            m_idle.pop_back();
            return client;
        }
    }
    return m_factory(m_endpoint);
}

void AwsClient::release(std::unique_ptr<HttpClient> client) {
    std::lock_guard lock(m_pool_mutex);
    m_idle.push_back(std::move(client));
}

}  // namespace otts::aws
