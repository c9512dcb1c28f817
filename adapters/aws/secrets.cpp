#include "adapters/aws/secrets.hpp"

#include "core/encoding/json_member.hpp"

namespace otts::aws {
namespace {

constexpr const char* k_json_1_1 = "application/x-amz-json-1.1";

Error refused(std::string_view what, std::string_view name, const AwsResponse& answer) {
    return make_error(ErrorCode::key_error, std::string(what) + " '" + std::string(name) + "': " + answer.error_type +
                                                (answer.error_message.empty() ? "" : ": " + answer.error_message));
}

}  // namespace

std::string jwt_secret_parameter(std::string_view environment) {
    std::string name = "/";
    name.append(environment).append("/jwt-secret");
    return name;
}

Result<std::string> fetch_ssm_parameter(AwsClient& client, std::string_view name) {
    const nlohmann::json request{{"Name", std::string(name)}, {"WithDecryption", true}};
    OTTS_TRY(const auto answer, client.call_target("AmazonSSM.GetParameter", request, k_json_1_1));
    if (!answer.ok()) return refused("SSM parameter", name, answer);
    const auto& body = answer.body;
    const auto* parameter = member(body, "Parameter");
    auto value = parameter ? non_empty_string(*parameter, "Value") : std::nullopt;
    if (!value) return make_error(ErrorCode::key_error, "SSM parameter '" + std::string(name) + "' has no value");
    return std::move(*value);
}

Result<std::string> fetch_secret_value(AwsClient& client, std::string_view secret_id) {
    const nlohmann::json request{{"SecretId", std::string(secret_id)}};
    OTTS_TRY(const auto answer, client.call_target("secretsmanager.GetSecretValue", request, k_json_1_1));
    if (!answer.ok()) return refused("secret", secret_id, answer);
    auto value = non_empty_string(answer.body, "SecretString");
    if (!value) {
        return make_error(ErrorCode::key_error, "secret '" + std::string(secret_id) + "' has no SecretString");
    }
    return std::move(*value);
}

}  // namespace otts::aws
