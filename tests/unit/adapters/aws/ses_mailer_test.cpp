#include "adapters/aws/ses_mailer.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "adapters/httplib_client.hpp"
#include "adapters/system_clock.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/unit/adapters/aws/fake_http_client.hpp"

using namespace otts;
using namespace otts::aws;
using namespace otts::aws::testing;

namespace {

Mail pin_mail(const std::string& pin) {
    return Mail{"mail_1",
                "user@example.com",
                "Your otts Authentication PIN",
                "Hello,\n\nYour authentication PIN for otts is: " + pin + "\n",
                std::nullopt,
                1'700'000'000};
}

SesConfig ses_config(std::optional<std::string> configuration_set = std::nullopt) {
    return SesConfig{"pins@otts.test", std::move(configuration_set), "http://127.0.0.1:1"};
}

SesMailer fake_mailer(Exchange& exchange, const Clock& clock, SesConfig config = ses_config()) {
    auto client =
        std::make_unique<AwsClient>(test_config(), "ses", config.endpoint, clock, fake_factory(exchange), k_no_wait);
    return SesMailer(std::move(client), std::move(config));
}

}  // namespace

TEST_CASE("ses mailer builds a SendEmail v2 body with a simple text message", "[ses_mailer]") {
    const auto body = SesMailer::request_body(pin_mail("123456"), ses_config());
    CHECK(body.at("FromEmailAddress") == "pins@otts.test");
    CHECK(body.at("Destination").at("ToAddresses") == nlohmann::json::array({"user@example.com"}));
    const auto& simple = body.at("Content").at("Simple");
    CHECK(simple.at("Subject").at("Data") == "Your otts Authentication PIN");
    CHECK(simple.at("Body").at("Text").at("Data").get<std::string>().find("123456") != std::string::npos);
    CHECK_FALSE(simple.at("Body").contains("Html"));
    CHECK_FALSE(body.contains("ConfigurationSetName"));
}

TEST_CASE("ses mailer adds the HTML part and the configuration set when given", "[ses_mailer]") {
    auto mail = pin_mail("123456");
    mail.html = "<p>123456</p>";
    const auto body = SesMailer::request_body(mail, ses_config("tracking"));
    CHECK(body.at("Content").at("Simple").at("Body").at("Html").at("Data") == "<p>123456</p>");
    CHECK(body.at("ConfigurationSetName") == "tracking");
}

TEST_CASE("ses mailer posts to /v2/email/outbound-emails signed for ses", "[ses_mailer]") {
    Exchange exchange;
    exchange.answers.push_back(answer(200, R"({"MessageId":"m-1"})"));
    otts::test::FakeClock clock;
    auto mailer = fake_mailer(exchange, clock);
    REQUIRE(mailer.send(pin_mail("123456")));
    REQUIRE(exchange.requests.size() == 1);
    const auto& sent = exchange.requests[0];
    CHECK(sent.method == "POST");
    CHECK(sent.path == "/v2/email/outbound-emails");
    CHECK(sent.header("Authorization")->find("/us-east-1/ses/aws4_request") != std::string_view::npos);
    CHECK(nlohmann::json::parse(sent.body) == SesMailer::request_body(pin_mail("123456"), ses_config()));
}

TEST_CASE("ses mailer reports a refused message as server_error naming the SES error", "[ses_mailer]") {
    Exchange exchange;
    exchange.answers.push_back(
        answer(400, R"({"message":"Email address is not verified."})", {{"x-amzn-ErrorType", "MessageRejected:"}}));
    otts::test::FakeClock clock;
    auto mailer = fake_mailer(exchange, clock);
    const auto sent = mailer.send(pin_mail("123456"));
    REQUIRE_FALSE(sent);
    CHECK(sent.error().code == ErrorCode::server_error);
    CHECK(sent.error().detail.find("MessageRejected") != std::string::npos);
}

TEST_CASE("ses mailer reports endpoint_unreachable when SES does not answer", "[ses_mailer]") {
    Exchange exchange;
    for (int i = 0; i < 6; ++i) exchange.answers.push_back(make_error(ErrorCode::endpoint_unreachable, "refused"));
    otts::test::FakeClock clock;
    auto mailer = fake_mailer(exchange, clock);
    const auto sent = mailer.send(pin_mail("123456"));
    REQUIRE_FALSE(sent);
    CHECK(sent.error().code == ErrorCode::endpoint_unreachable);
}

TEST_CASE("ses config reads the originals' variables and SES_ENDPOINT overrides the endpoint", "[ses_mailer]") {
    Settings settings;
    settings.set_override("SES_FROM_EMAIL", "noreply@example.com");
    settings.set_override("SES_CONFIGURATION_SET", "set-1");
    AwsConfig aws;
    aws.region = "eu-west-1";
    auto config = SesConfig::from_settings(settings, aws);
    REQUIRE(config);
    CHECK(config->from_email == "noreply@example.com");
    CHECK(config->configuration_set == "set-1");
    CHECK(config->endpoint == "https://email.eu-west-1.amazonaws.com");
    settings.set_override("SES_ENDPOINT", "http://127.0.0.1:8005");
    config = SesConfig::from_settings(settings, aws);
    REQUIRE(config);
    CHECK(config->endpoint == "http://127.0.0.1:8005");
}

TEST_CASE("ses config without SES_FROM_EMAIL is a usage error", "[ses_mailer]") {
    const auto config = SesConfig::from_settings(Settings{}, AwsConfig{});
    REQUIRE_FALSE(config);
    CHECK(config.error().code == ErrorCode::usage);
}

// Needs a running aws-ses-v2-local: tests/blackbox/test_ses.sh starts one and runs this hidden
// test with SES_ENDPOINT (and dummy AWS keys) set. Without SES_ENDPOINT it skips.
TEST_CASE("ses peer: a PIN mail sent with SesMailer arrives at aws-ses-v2-local", "[.ses_peer]") {
    const char* endpoint = std::getenv("SES_ENDPOINT");
    if (endpoint == nullptr || *endpoint == '\0') {
        WARN("skipped: SES_ENDPOINT is not set (tests/blackbox/test_ses.sh sets it)");
        return;
    }
    SystemClock clock;
    auto mailer = SesMailer::from_settings(Settings(process_environment()), clock);  // the script's SES_* and AWS_*
    REQUIRE(mailer);
    REQUIRE((*mailer)->endpoint() == endpoint);  // never AWS itself
    const std::string pin = std::to_string(100000 + clock.now_ns() % 900000);
    auto mail = pin_mail(pin);
    mail.html = "<p>Your PIN: <b>" + pin + "</b></p>";
    REQUIRE((*mailer)->send(mail));

    auto http = HttplibClient::create(endpoint);
    REQUIRE(http);
    http::Request get;
    get.method = "GET";
    get.path = "/store";
    const auto store = (*http)->send(get);
    REQUIRE(store);
    REQUIRE(store->status == 200);
    const auto emails = nlohmann::json::parse(store->body).at("emails");
    const auto found = std::find_if(emails.begin(), emails.end(), [&](const nlohmann::json& e) {
        return e.value("body", nlohmann::json::object()).value("text", "").find(pin) != std::string::npos;
    });
    REQUIRE(found != emails.end());
    CHECK(found->at("subject") == mail.subject);
    CHECK(found->at("destination").at("to") == nlohmann::json::array({mail.to}));
    CHECK(found->at("body").at("html") == *mail.html);
    CHECK(found->at("from") == std::getenv("SES_FROM_EMAIL"));
}
