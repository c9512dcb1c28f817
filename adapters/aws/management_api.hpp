#pragma once
// API Gateway's management API for a WebSocket API's connections (ApiGatewayManagementApi,
// rest-json, SigV4 service "execute-api"): PostToConnection, as a ConnectionPoster.
//   POST {endpoint}/@connections/{connectionId}  body = the message → 200; 410 GoneException
// The endpoint is the stage's URL, https://{api-id}.execute-api.{region}.amazonaws.com/{stage},
// from WEBSOCKET_API_ENDPOINT (PornSpot's name for it; a wss:// URL is taken as https://).
#include <memory>
#include <optional>
#include <string>

#include "adapters/aws/aws_client.hpp"
#include "core/connections/queue_push.hpp"

namespace otts::aws {

inline constexpr const char* k_websocket_endpoint_setting = "WEBSOCKET_API_ENDPOINT";

class ManagementApi final : public ConnectionPoster {
public:
    explicit ManagementApi(std::unique_ptr<AwsClient> client);

    // nullopt when WEBSOCKET_API_ENDPOINT is not set; key_error without AWS credentials.
    static Result<std::optional<std::unique_ptr<ManagementApi>>> from_settings(
        const Settings& settings, const Clock& clock, HttpClientFactory factory = httplib_client_factory());

    // delivered on 2xx, gone on 410; endpoint_unreachable when no answer came; server_error for
    // any other answer (detail names the AWS error type, e.g. ForbiddenException).
    Result<PostOutcome> post_to_connection(const std::string& id, const std::string& data) override;

    const std::string& endpoint() const { return m_client->endpoint(); }

private:
    std::unique_ptr<AwsClient> m_client;
};

}  // namespace otts::aws
