// The Lambda's composition: everything from the environment, nothing from a data home.
#include "adapters/aws/aws_client.hpp"
#include "adapters/aws/management_api.hpp"
#include "adapters/aws/secrets.hpp"
#include "adapters/key_config.hpp"
#include "adapters/system_clock.hpp"
#include "adapters/system_random.hpp"
#include "app/services.hpp"
#include "core/jose/crypto.hpp"

namespace otts::app {
namespace {

// key_config falls back to the data home's files; a Lambda has none, so each fallback is
// pointed at a directory that cannot exist and every required variable is checked first, with
// a message that names it.
const DataHome k_no_home{"/nonexistent/otts-lambda-has-no-data-home"};

Result<void> require(const Settings& settings, std::initializer_list<std::string_view> names) {
    if (settings.get(names)) return Ok{};
    std::string list;
    for (auto name : names) list += (list.empty() ? "" : " or ") + std::string(name);
    return make_error(ErrorCode::key_error, list + " must be set (a Lambda has no data home to keep a key in)");
}

// OTTS_PIN_KEY, else derived from the HS256 secret the way the data home's is.
Result<std::string> lambda_pin_key(const Settings& settings, const Keys& keys) {
    if (settings.get("OTTS_PIN_KEY")) return pin_hash_key(settings, k_no_home);
    return crypto::hmac_sha256(keys.create.front().secret, "otts pin hash key");
}

Result<Keys> lambda_keys(const Settings& settings) {
    OTTS_TRY_VOID(require(settings, {"OTTS_SECRET_FILE", "OTTS_SECRET", "JWT_SECRET"}));
    OTTS_TRY_VOID(require(settings, {"OTTS_LICENSE_PUBLIC_KEY", "LICENSE_PUBLIC_KEY"}));
    OTTS_TRY_VOID(require(settings, {"OTTS_AUTH_TOKEN_KEY"}));
    Keys keys;
    OTTS_TRY(keys.create, hs_family_keys(Family::create, settings, k_no_home));
    OTTS_TRY(keys.user, hs_family_keys(Family::user, settings, k_no_home));
    // S1's SECRET_KEY when set, else the same secret as the other HS256 families.
    Settings one_time = settings;
    if (!settings.get({"OTTS_SECRET_FILE", "OTTS_SECRET", "SECRET_KEY"})) {
        one_time.set_override("SECRET_KEY", *settings.get("JWT_SECRET"));
    }
    OTTS_TRY(keys.one_time, hs_family_keys(Family::one_time, one_time, k_no_home));
    OTTS_TRY(keys.license, license_verifying_keys(settings, k_no_home));
    OTTS_TRY(keys.auth, auth_token_keys(settings, k_no_home));
    OTTS_TRY(keys.pin, lambda_pin_key(settings, keys));
    return keys;
}

// The originals keep secrets outside the environment: S4 reads its JWT secret from SSM
// (`/${ENVIRONMENT}/jwt-secret`) and S3 may name its license key by a Secrets Manager ARN.
// Both are fetched here, once per container, and then read like any other setting.
Result<Settings> with_fetched_secrets(Settings settings, const Clock& clock) {
    const auto environment = settings.get("ENVIRONMENT");
    const bool ssm_secret = environment && !settings.get({"OTTS_SECRET_FILE", "OTTS_SECRET", "JWT_SECRET"});
    const auto license = settings.get("LICENSE_PUBLIC_KEY");
    const bool license_arn = license && license->starts_with("arn:aws:secretsmanager:");
    if (!ssm_secret && !license_arn) return settings;  // nothing to fetch: no AWS credentials needed
    OTTS_TRY(const auto aws, aws::AwsConfig::from_settings(settings));
    const auto endpoint = [&](std::string_view service, std::string_view variable) {
        return settings.get(variable).value_or(aws::AwsClient::default_endpoint(service, aws.region));
    };
    if (ssm_secret) {
        aws::AwsClient ssm(aws, "ssm", endpoint("ssm", "SSM_ENDPOINT"), clock);
        OTTS_TRY(auto secret, aws::fetch_ssm_parameter(ssm, aws::jwt_secret_parameter(*environment)));
        settings.set_override("JWT_SECRET", std::move(secret));
    }
    if (license_arn) {
        aws::AwsClient secrets(aws, "secretsmanager", endpoint("secretsmanager", "SECRETSMANAGER_ENDPOINT"), clock);
        OTTS_TRY(auto pem, aws::fetch_secret_value(secrets, *license));
        settings.set_override("LICENSE_PUBLIC_KEY", std::move(pem));
    }
    return settings;
}

// POST /@queues/{queueId}: the subscribers' records from the store, each reached through API
// Gateway's management API at WEBSOCKET_API_ENDPOINT. Without that setting the route answers 501
// naming it, rather than pretending no one is subscribed.
Result<api::QueuePush> queue_push(const Settings& settings, ConnectionStore& store, const Clock& clock) {
    OTTS_TRY(auto management, aws::ManagementApi::from_settings(settings, clock));
    if (!management) {
        return api::QueuePush([](const std::string&, const std::string&) -> Result<std::size_t> {
            return make_error(ErrorCode::unsupported,
                              std::string(aws::k_websocket_endpoint_setting) +
                                  " is not set: the Lambda needs API Gateway's management endpoint "
                                  "(https://{api-id}.execute-api.{region}.amazonaws.com/{stage}) to push to a queue");
        });
    }
    std::shared_ptr<ConnectionPoster> poster = std::move(*management);
    return api::QueuePush([poster, &store](const std::string& queue_id, const std::string& data) {
        return push_to_queue(store, *poster, queue_id, data);
    });
}

}  // namespace

Result<std::unique_ptr<Stack>> lambda_stack(const Settings& environment,
                                            std::function<void(std::string_view)> log_error) {
    OTTS_TRY(auto policy, make_policy(environment, Deployment::lambda));  // before any network call
    auto clock = std::make_unique<SystemClock>();
    OTTS_TRY(const auto settings, with_fetched_secrets(environment, *clock));
    OTTS_TRY(auto keys, lambda_keys(settings));
    // No table check: init is cold-start latency, and a missing table still fails with its name.
    OTTS_TRY(auto backend, open_backend(settings.get("OTTS_STORE").value_or("dynamodb"), settings, *clock,
                                        /*check_tables=*/false));
    std::unique_ptr<Mailer> mailer;  // null: the outbox (OTTS_MAILER=outbox)
    if (settings.get("OTTS_MAILER").value_or("ses") != "outbox") {
        OTTS_TRY(mailer, open_ses_mailer(settings, *clock));
    }
    // S2 only with Cognito configured (COGNITO_USER_POOL_ID); SESSION_SECRET is then required.
    OTTS_TRY(auto auth, token_handler_setup(settings, "", std::nullopt));
    StackParts parts{
        .backend = std::move(backend),
        .mailer = std::move(mailer),
        .keys = std::move(keys),
        .policy = std::move(policy),
        .clock = std::move(clock),
        .random = std::make_unique<SystemRandom>(),
        .log_error = std::move(log_error),
        .auth = std::move(auth),
    };
    OTTS_TRY(auto stack, Stack::create(std::move(parts)));
    OTTS_TRY(auto queues, queue_push(settings, stack->connection_store(), stack->clock()));
    stack->add_routes(std::nullopt, std::move(queues));  // no outbox, reset or /@connections in a deployment
    return stack;
}

}  // namespace otts::app
