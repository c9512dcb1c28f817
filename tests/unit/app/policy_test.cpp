#include "app/policy.hpp"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/deployments.hpp"

using namespace otts;
using app::Deployment;
using app::Policy;

namespace {

Policy policy_of(Environment environment, Deployment deployment) {
    auto policy = app::make_policy(Settings(std::move(environment)), deployment);
    if (!policy) FAIL(test::deployment_name(deployment) << ": " << policy.error().message());
    return std::move(*policy);
}

std::vector<std::pair<int, int>> ladder_steps(const Policy& policy) {
    std::vector<std::pair<int, int>> out;
    for (const auto& step : policy.pow_ladder) out.emplace_back(step.per_minute, step.difficulty);
    return out;
}

// One documented variable, a value, and what it must do to the policy of either deployment.
struct Effect {
    std::string name;
    std::string value;
    std::function<void(const Policy&)> check;
};

}  // namespace

TEST_CASE("every policy variable has the same effect in the emulator and the Lambda", "[app][policy]") {
    const std::vector<Effect> effects = {
        {"OTTS_LEEWAY", "5s", [](const Policy& p) { CHECK(p.leeway == 5); }},
        {"OTTS_LEEWAY", "2m", [](const Policy& p) { CHECK(p.leeway == 120); }},
        {"OTTS_LEEWAY", "0", [](const Policy& p) { CHECK(p.leeway == 0); }},
        {"OTTS_POW_DIFFICULTY", "7", [](const Policy& p) { CHECK(p.pow_difficulty == 7); }},
        {"OTTS_POW_DIFFICULTY", "0", [](const Policy& p) { CHECK(p.pow_difficulty == 0); }},
        {"OTTS_POW_DIFFICULTY", "64", [](const Policy& p) { CHECK(p.pow_difficulty == 64); }},
        {"OTTS_POW_LADDER", "30:20,10:18",
         [](const Policy& p) {
             CHECK(ladder_steps(p) == std::vector<std::pair<int, int>>{{10, 18}, {30, 20}});
         }},
        {"OTTS_RATE_LIMITS", "true",
         [](const Policy& p) {
             CHECK(p.rate_limits);
             CHECK(p.pin.rate_limits);
         }},
        {"OTTS_RATE_LIMITS", "1", [](const Policy& p) { CHECK((p.rate_limits && p.pin.rate_limits)); }},
        {"OTTS_RATE_LIMITS", "false",
         [](const Policy& p) {
             CHECK_FALSE(p.rate_limits);
             CHECK_FALSE(p.pin.rate_limits);
         }},
        {"OTTS_RATE_LIMITS", "0", [](const Policy& p) { CHECK_FALSE((p.rate_limits || p.pin.rate_limits)); }},
        {"OTTS_CORS_ORIGINS", "https://a.example, https://b.example",
         [](const Policy& p) {
             CHECK(p.cors_origins == std::vector<std::string>{"https://a.example", "https://b.example"});
         }},
        {"OTTS_CORS_ORIGINS", "*", [](const Policy& p) { CHECK(p.cors_origins == std::vector<std::string>{"*"}); }},
        {"PIN_TTL_HOURS", "2", [](const Policy& p) { CHECK(p.pin.ttl == 2 * 3600); }},
        {"PIN_RATE_LIMIT_SECONDS", "60", [](const Policy& p) { CHECK(p.pin.cooldown == 60); }},
    };
    for (const auto& effect : effects) {
        for (const auto deployment : test::k_deployments) {
            INFO(test::deployment_name(deployment) << ": " << effect.name << "=" << effect.value);
            effect.check(policy_of(Environment{{effect.name, effect.value}}, deployment));
        }
    }
}

TEST_CASE("unset, the policy variables take the same defaults in both deployments", "[app][policy]") {
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        const auto policy = policy_of({}, deployment);
        CHECK(policy.leeway == jwt::k_default_leeway);
        CHECK(policy.pow_difficulty == 18);
        CHECK(policy.pow_ladder.empty());
        CHECK_FALSE(policy.rate_limits);
        CHECK(policy.cors_origins.empty());
        CHECK(policy.pin.ttl == 12 * 3600);
        CHECK(policy.pin.cooldown == 300);
        CHECK(policy.pin.hmac_key.empty());  // a key, handed over with the keys
        CHECK(policy.version == OTTS_VERSION);
    }
}

TEST_CASE("the deployments differ by design in CORS, the PIN cooldown and the fixed PIN only", "[app][policy]") {
    const Environment fixed{{"OTTS_FIXED_PIN", "123456"}};
    const auto emulator = policy_of(fixed, Deployment::emulator);
    const auto lambda = policy_of(fixed, Deployment::lambda);
    // No origin configured: a developer's localhost pages in the emulator, nothing deployed.
    CHECK(emulator.cors_localhost_when_empty);
    CHECK_FALSE(lambda.cors_localhost_when_empty);
    // The originals' PIN cooldown: on when deployed, off in the emulator unless asked.
    CHECK_FALSE(emulator.pin.rate_limits);
    CHECK(lambda.pin.rate_limits);
    // A fixed PIN is a test convenience a deployment never honours.
    CHECK(emulator.pin.fixed_pin == "123456");
    CHECK_FALSE(lambda.pin.fixed_pin);
}

TEST_CASE("an invalid policy value is a usage error naming its variable, in both deployments", "[app][policy]") {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"OTTS_LEEWAY", "soon"},
        {"OTTS_LEEWAY", "-5"},
        {"OTTS_LEEWAY", "30x"},
        {"OTTS_POW_DIFFICULTY", "65"},
        {"OTTS_POW_DIFFICULTY", "-1"},
        {"OTTS_POW_DIFFICULTY", "eighteen"},
        {"OTTS_POW_DIFFICULTY", "18 "},
        {"OTTS_POW_LADDER", "10"},
        {"OTTS_POW_LADDER", "10:65"},
        {"OTTS_RATE_LIMITS", "yes please"},
        {"PIN_TTL_HOURS", "0"},
        {"PIN_TTL_HOURS", "1.5"},
        {"PIN_TTL_HOURS", "99999999999999999999"},
        {"PIN_RATE_LIMIT_SECONDS", "-300"},
    };
    for (const auto& [name, value] : bad) {
        for (const auto deployment : test::k_deployments) {
            INFO(test::deployment_name(deployment) << ": " << name << "=" << value);
            const auto policy = app::make_policy(Settings(Environment{{name, value}}), deployment);
            REQUIRE_FALSE(policy);
            CHECK(policy.error().code == ErrorCode::usage);
            CHECK_THAT(policy.error().message(), Catch::Contains(name) && Catch::Contains("'" + value + "'"));
        }
    }
}

TEST_CASE("a flag is an override: it beats the environment and the config file", "[app][policy]") {
    Settings settings(Environment{{"OTTS_POW_DIFFICULTY", "7"}, {"OTTS_LEEWAY", "10"}});
    settings.set_override("OTTS_POW_DIFFICULTY", "9");
    for (const auto deployment : test::k_deployments) {
        INFO(test::deployment_name(deployment));
        const auto policy = app::make_policy(settings, deployment);
        REQUIRE(policy);
        CHECK(policy->pow_difficulty == 9);
        CHECK(policy->leeway == 10);
    }
}

TEST_CASE("leeway_setting reads OTTS_LEEWAY alone, as the policy does", "[app][policy]") {
    CHECK(app::leeway_setting(Settings{}).value() == jwt::k_default_leeway);
    CHECK(app::leeway_setting(Settings(Environment{{"OTTS_LEEWAY", "45"}})).value() == 45);
    const auto bad = app::leeway_setting(Settings(Environment{{"OTTS_LEEWAY", "soon"}}));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::usage);
}
