#pragma once
// The whole API router of the emulator over real services and an in-memory SQLite store, on a
// fake clock: route tests call Api::handle with requests they build.
#include <string>

#include "core/api/api.hpp"
#include "core/connections/connections.hpp"
#include "core/tokens/create_tokens.hpp"
#include "core/tokens/one_time_tokens.hpp"
#include "core/pow/pow.hpp"
#include "core/secrets/secrets.hpp"
#include "tests/support/s3_fixture.hpp"

namespace otts::test {

// Content-Type of the JSON bodies route tests send.
inline const http::Headers k_json{{"Content-Type", "application/json"}};

struct ApiFixture : S3Fixture {
    CreateTokens create{ports, hs_keys(), CreateTokenPolicy{.pow_difficulty = 4}};
    OneTimeTokens one_time{ports, hs_keys()};
    pow::PowDifficulty difficulty{4};
    api::RateLimiter limiter{10, 60};
    Secrets secrets{sqlite->secrets(), create, clock, random};
    api::RateLimiter secret_read_limiter{60, 60};
    api::RateLimiter secret_burn_limiter{10, 60};
    InMemoryConnectionRegistry connections;
    api::Api api;

    explicit ApiFixture(bool rate_limits = false, api::CorsPolicy cors = {}) : api(std::move(cors)) {
        api::add_routes(api.router(),
                        api::ApiDeps{
                            .create_tokens = {create, difficulty, clock, rate_limits ? &limiter : nullptr},
                            .secrets = api::SecretDeps{secrets, clock, rate_limits ? &secret_read_limiter : nullptr,
                                                       rate_limits ? &secret_burn_limiter : nullptr},
                            .one_time_tokens = {one_time},
                            .access_tokens = {licenses, pins, tokens, clock, nullptr},
                            .user_tokens = {tokens, user_tokens, nullptr},
                            .outbox = api::OutboxDeps{sqlite->outbox()},
                            .connections = api::ConnectionDeps{connections, clock},
                            .admin = {.store = store,
                                      .clock = clock,
                                      .difficulty = difficulty,
                                      .router = api.router(),
                                      .version = "0.0.0-test",
                                      .store_name = "sqlite::memory:",
                                      .reset = sqlite.get(),
                                      .ws_url = "ws://127.0.0.1:8081"},
                        });
    }

    http::Response call(std::string method, std::string path, std::string body = {}, http::Headers headers = {}) const {
        http::Request r;
        r.method = std::move(method);
        r.path = std::move(path);
        r.body = std::move(body);
        r.headers = std::move(headers);
        r.source_ip = "127.0.0.1";
        return api.handle(std::move(r));
    }

    static nlohmann::json json(const http::Response& r) { return nlohmann::json::parse(r.body); }

    // A solution for the challenge of a POST /token body (low difficulty: a short search).
    static std::string solve(const nlohmann::json& issued) {
        const auto prefix = issued["powChallenge"]["prefix"].get<std::string>();
        const auto nonce = issued["nonce"].get<std::string>();
        const int bits = issued["powChallenge"]["difficulty"].get<int>();
        for (long i = 0;; ++i) {
            if (pow::pow_valid(prefix, nonce, std::to_string(i), bits)) return std::to_string(i);
        }
    }
};

}  // namespace otts::test
