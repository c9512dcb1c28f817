#pragma once
// Secrets fetched once at startup from AWS: an SSM Parameter Store SecureString (the JWT secret,
// `/${ENVIRONMENT}/jwt-secret`) or a Secrets Manager secret. Wiring into the configuration is
// the caller's business; these only fetch.
#include <string>
#include <string_view>

#include "adapters/aws/aws_client.hpp"
#include "core/result.hpp"

namespace otts::aws {

// The SSM parameter name the originals read their JWT secret from: "/{environment}/jwt-secret".
std::string jwt_secret_parameter(std::string_view environment);

// AmazonSSM.GetParameter with WithDecryption; `client` signs for service "ssm". The value of
// the parameter. key_error when the parameter does not exist, is empty, or SSM refused
// (detail names the SSM error type); endpoint_unreachable as the client reports it.
Result<std::string> fetch_ssm_parameter(AwsClient& client, std::string_view name);

// secretsmanager.GetSecretValue for `secret_id` (an ARN or a name); `client` signs for service
// "secretsmanager". The SecretString. key_error when the secret does not exist, has no
// SecretString (binary secrets are not supported) or Secrets Manager refused.
Result<std::string> fetch_secret_value(AwsClient& client, std::string_view secret_id);

}  // namespace otts::aws
