#pragma once
// The Mailer port over Amazon SES v2 SendEmail (POST /v2/email/outbound-emails), as the original
// S3 sends its PIN mail. A failed send is an error value; the PIN service logs it and still
// answers (core/pins/pins.cpp keeps it in PinIssued::mail_error).
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/aws/aws_client.hpp"
#include "core/ports/mailer.hpp"

namespace otts::aws {

struct SesConfig {
    std::string from_email;                        // SES_FROM_EMAIL: a verified identity
    std::optional<std::string> configuration_set;  // SES_CONFIGURATION_SET
    std::string endpoint;                          // SES_ENDPOINT, else the region's public one

    // usage error when SES_FROM_EMAIL (or OTTS_SES_FROM_EMAIL) is not set.
    static Result<SesConfig> from_settings(const Settings& settings, const AwsConfig& aws);
};

class SesMailer final : public Mailer {
public:
    SesMailer(std::unique_ptr<AwsClient> client, SesConfig config);

    // AWS credentials and region, then SesConfig, from `settings`; errors as those two.
    static Result<std::unique_ptr<SesMailer>> from_settings(const Settings& settings, const Clock& clock,
                                                            HttpClientFactory factory = httplib_client_factory());

    // endpoint_unreachable when SES could not be reached; server_error when it refused the
    // message (detail names the SES error type, e.g. MessageRejected).
    Result<void> send(const Mail& mail) override;

    const std::string& endpoint() const { return m_client->endpoint(); }

    // The SendEmail request body for `mail`.
    static nlohmann::json request_body(const Mail& mail, const SesConfig& config);

private:
    std::unique_ptr<AwsClient> m_client;
    SesConfig m_config;
};

}  // namespace otts::aws
