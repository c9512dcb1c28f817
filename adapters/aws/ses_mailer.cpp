#include "adapters/aws/ses_mailer.hpp"

#include <utility>

namespace otts::aws {

namespace {
constexpr const char* k_send_path = "/v2/email/outbound-emails";
}  // namespace

Result<SesConfig> SesConfig::from_settings(const Settings& settings, const AwsConfig& aws) {
    auto from = settings.get({"SES_FROM_EMAIL", "OTTS_SES_FROM_EMAIL"});
    if (!from) return make_error(ErrorCode::usage, "SES mail needs SES_FROM_EMAIL (a verified sender address)");
    SesConfig config;
    config.from_email = std::move(*from);
    config.configuration_set = settings.get({"SES_CONFIGURATION_SET", "OTTS_SES_CONFIGURATION_SET"});
    config.endpoint =
        settings.get({"SES_ENDPOINT", "OTTS_SES_ENDPOINT"}).value_or(AwsClient::default_endpoint("ses", aws.region));
    return config;
}

SesMailer::SesMailer(std::unique_ptr<AwsClient> client, SesConfig config)
    : m_client(std::move(client)), m_config(std::move(config)) {}

Result<std::unique_ptr<SesMailer>> SesMailer::from_settings(const Settings& settings, const Clock& clock,
                                                            HttpClientFactory factory) {
    OTTS_TRY(auto aws, AwsConfig::from_settings(settings));
    OTTS_TRY(auto config, SesConfig::from_settings(settings, aws));
    auto client = std::make_unique<AwsClient>(std::move(aws), "ses", config.endpoint, clock, std::move(factory));
    return std::make_unique<SesMailer>(std::move(client), std::move(config));
}

nlohmann::json SesMailer::request_body(const Mail& mail, const SesConfig& config) {
    nlohmann::json body_parts{{"Text", {{"Data", mail.text}, {"Charset", "UTF-8"}}}};
    if (mail.html) body_parts["Html"] = {{"Data", *mail.html}, {"Charset", "UTF-8"}};
    nlohmann::json body{
        {"FromEmailAddress", config.from_email},
        {"Destination", {{"ToAddresses", nlohmann::json::array({mail.to})}}},
        {"Content", {{"Simple", {{"Subject", {{"Data", mail.subject}, {"Charset", "UTF-8"}}}, {"Body", body_parts}}}}}};
    if (config.configuration_set) body["ConfigurationSetName"] = *config.configuration_set;
    return body;
}

Result<void> SesMailer::send(const Mail& mail) {
    OTTS_TRY(const auto answer, m_client->call_rest("POST", k_send_path, request_body(mail, m_config)));
    if (answer.ok()) return Ok{};
    return make_error(ErrorCode::server_error, "SES refused the mail (" + std::to_string(answer.status) + " " +
                                                   answer.error_type + "): " + answer.error_message);
}

}  // namespace otts::aws
