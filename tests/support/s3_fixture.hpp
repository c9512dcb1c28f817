#pragma once
// The S3 services wired on a fake clock, seeded randomness and in-memory SQLite: licenses,
// PINs mailed into the outbox, access/refresh tokens, S4 user tokens, and a router holding
// the S3, outbox and user routes. Fields are public so tests can turn the knobs.
#include <optional>
#include <string>

#include "core/api/error_bodies.hpp"
#include "core/api/outbox_routes.hpp"
#include "core/api/access_token_routes.hpp"
#include "core/api/user_token_routes.hpp"
#include "core/encoding/time_format.hpp"
#include "tests/support/service_fixture.hpp"

namespace otts::test {

// A PIN configuration with a test key and the defaults otherwise.
inline PinConfig test_pin_config(std::string key = std::string(32, 'p')) {
    PinConfig config;
    config.hmac_key = std::move(key);
    return config;
}

inline LicenseRequest license_request(std::string email, UnixSeconds valid_for = 365 * 86400) {
    LicenseRequest request;
    request.email = std::move(email);
    request.valid_for = valid_for;
    return request;
}

struct S3Fixture : ServiceFixture {
    jwt::KeySet license_keys{jwt::Key::es256(crypto::PKey::generate_p256().value()).value()};
    Licenses licenses{clock, random, license_keys};
    OutboxMailer mailer{sqlite->outbox()};
    Pins pins{sqlite->pins(), mailer, clock, random, test_pin_config()};
    AccessTokens tokens{store, clock, random, license_keys};
    UserTokens user_tokens{clock, hs_keys()};
    http::Router router{api::render_error};

    S3Fixture() {
        api::add_access_token_routes(router, {licenses, pins, tokens, clock, nullptr});
        api::add_outbox_routes(router, {sqlite->outbox()});
        api::add_user_token_routes(router, {tokens, user_tokens, nullptr});
    }

    License license(const std::string& email = "user@example.com") {
        return licenses.create(license_request(email)).value();
    }

    http::Response post(const std::string& path, const nlohmann::json& body,
                        std::optional<std::string> bearer = std::nullopt) {
        http::Request request;
        request.method = "POST";
        request.path = path;
        request.headers["Content-Type"] = "application/json";
        if (bearer) request.headers["Authorization"] = "Bearer " + *bearer;
        request.body = body.dump();
        return router.handle(std::move(request));
    }

    http::Response send(const std::string& method, const std::string& path, http::Params query = {}) {
        http::Request request;
        request.method = method;
        request.path = path;
        request.query = std::move(query);
        return router.handle(std::move(request));
    }

    // The PIN in the newest mail to `email`.
    std::string last_pin(const std::string& email = "user@example.com") {
        const auto mails = sqlite->outbox().list(email).value();
        if (mails.empty()) return {};
        const auto& text = mails.back().text;
        const auto at = text.find("is: ");
        return at == std::string::npos ? std::string() : text.substr(at + 4, 6);
    }
};

inline nlohmann::json body_of(const http::Response& response) { return nlohmann::json::parse(response.body); }

}  // namespace otts::test
