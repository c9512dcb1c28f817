#include "adapters/aws/management_api.hpp"

#include <utility>

namespace otts::aws {

ManagementApi::ManagementApi(std::unique_ptr<AwsClient> client) : m_client(std::move(client)) {}

Result<std::optional<std::unique_ptr<ManagementApi>>> ManagementApi::from_settings(const Settings& settings,
                                                                                   const Clock& clock,
                                                                                   HttpClientFactory factory) {
    auto endpoint = settings.get("WEBSOCKET_API_ENDPOINT");  // k_websocket_endpoint_setting
    if (!endpoint || endpoint->empty()) return std::optional<std::unique_ptr<ManagementApi>>();
    // CloudFormation's WebSocket URL is wss://; the management API is the same host over HTTPS.
    if (endpoint->starts_with("wss://")) endpoint = "https://" + endpoint->substr(6);
    OTTS_TRY(auto aws, AwsConfig::from_settings(settings));
    auto client = std::make_unique<AwsClient>(std::move(aws), "execute-api", *endpoint, clock, std::move(factory));
    return std::optional(std::make_unique<ManagementApi>(std::move(client)));
}

Result<PostOutcome> ManagementApi::post_to_connection(const std::string& id, const std::string& data) {
    // The id is encoded on the wire as the SDKs encode a path label ('=' → %3D); the signer then
    // encodes the whole path once more, as it does for every service but S3.
    const auto path = "/@connections/" + sigv4::uri_encode(id, false);
    OTTS_TRY(const auto answer, m_client->call_raw("POST", path, data, "application/octet-stream"));
    if (answer.ok()) return PostOutcome::delivered;
    if (answer.status == 410 || answer.error_type == "GoneException") return PostOutcome::gone;
    return make_error(ErrorCode::server_error, "PostToConnection answered " + std::to_string(answer.status) + " " +
                                                   answer.error_type + ": " + answer.error_message);
}

}  // namespace otts::aws
