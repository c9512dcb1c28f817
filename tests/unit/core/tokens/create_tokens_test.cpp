#include "core/tokens/create_tokens.hpp"

#include <catch2/catch.hpp>
#include <regex>

#include "core/pow/pow.hpp"
#include "tests/support/service_fixture.hpp"

using namespace otts;
using otts::test::ServiceFixture;

namespace {

std::string solve_for(const nlohmann::json& claims) {
    const auto result = pow::solve({claims["pow_prefix"], claims["nonce"], claims["pow_difficulty"]}, {1, 0, 0});
    REQUIRE(result.solution);
    return *result.solution;
}

}  // namespace

TEST_CASE("a create token carries the S0 claims", "[create]") {
    ServiceFixture f;
    const auto issued = CreateTokens(f.ports, ServiceFixture::hs_keys()).issue();
    REQUIRE(issued.ok());
    const auto& c = issued->claims;
    CHECK(c["op"] == "create");
    CHECK(c["pow_difficulty"] == 18);
    CHECK(c["pow_prefix"] == "sealed:");
    CHECK(std::regex_match(c["nonce"].get<std::string>(), std::regex("^[0-9a-f]{32}$")));
    CHECK(c["exp"].get<UnixSeconds>() - c["iat"].get<UnixSeconds>() == 300);
}

TEST_CASE("a create token redeems once with a valid solution, then is a replay", "[create]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(8);
    REQUIRE(issued.ok());
    const auto solution = solve_for(issued->claims);
    CHECK(tokens.redeem(issued->token, issued->claims["nonce"].get<std::string>(), solution).ok());
    const auto replay = tokens.redeem(issued->token, std::nullopt, solution);
    REQUIRE_FALSE(replay.ok());
    CHECK(replay.error().code == ErrorCode::token_used);
}

TEST_CASE("check answers token_used once the create token was redeemed", "[create]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(4);
    REQUIRE(issued.ok());
    const auto solution = solve_for(issued->claims);
    CHECK(tokens.check(issued->token).ok());
    CHECK(tokens.check_solution(issued->token, std::nullopt, solution).ok());
    REQUIRE(tokens.redeem(issued->token, std::nullopt, solution).ok());
    const auto checked = tokens.check_solution(issued->token, std::nullopt, solution);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().code == ErrorCode::token_used);
}

TEST_CASE("a wrong solution is invalid_pow and does not use up the token", "[create]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(20);
    REQUIRE(issued.ok());
    std::string wrong = "0";
    while (pow::pow_valid("sealed:", issued->claims["nonce"].get<std::string>(), wrong, 20)) wrong += "0";
    const auto result = tokens.redeem(issued->token, std::nullopt, wrong);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::pow_invalid);
    CHECK(tokens.redeem(issued->token, std::nullopt, solve_for(issued->claims)).ok());
}

TEST_CASE("a nonce that differs from the token's is refused", "[create]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(4);
    REQUIRE(issued.ok());
    const auto result = tokens.redeem(issued->token, std::string(32, 'a'), solve_for(issued->claims));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::invalid_token);
}

TEST_CASE("difficulty outside 0..64 is refused at issue", "[create]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys());
    CHECK_FALSE(tokens.issue(65).ok());
    CHECK_FALSE(tokens.issue(-1).ok());
}

TEST_CASE("an expired create token is refused before the PoW is looked at", "[create]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(4);
    REQUIRE(issued.ok());
    const auto solution = solve_for(issued->claims);
    f.clock.advance(300 + jwt::k_default_leeway + 1);
    const auto result = tokens.redeem(issued->token, std::nullopt, solution);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::token_expired);
}

// DESIGN §5: whole-second edges on a fake clock. The replay row must outlive every instant at
// which any verifier sharing the store could accept the token.
TEST_CASE("a create token redeemed in its last valid second cannot be redeemed again", "[create][edge]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys(), CreateTokenPolicy{.leeway = 0});
    const auto issued = tokens.issue(0, 3);
    REQUIRE(issued.ok());
    const auto solution = solve_for(issued->claims);
    f.clock.set(issued->expires_at - 1);
    REQUIRE(tokens.redeem(issued->token, std::nullopt, solution).ok());
    CHECK(tokens.redeem(issued->token, std::nullopt, solution).error().code == ErrorCode::token_used);
    f.clock.set(issued->expires_at);  // the second the issue report replayed in
    CHECK(tokens.redeem(issued->token, std::nullopt, solution).error().code == ErrorCode::token_expired);
    // A second server on the same store with the largest leeway still sees the replay row.
    CreateTokens lenient(f.ports, ServiceFixture::hs_keys(), CreateTokenPolicy{.leeway = jwt::k_max_leeway});
    f.clock.set(issued->expires_at + jwt::k_max_leeway - 1);
    CHECK(lenient.redeem(issued->token, std::nullopt, solution).error().code == ErrorCode::token_used);
    CHECK(f.sqlite->sweep(f.clock.now()).value() == 0);
    f.clock.set(issued->expires_at + jwt::k_max_leeway);
    CHECK(lenient.redeem(issued->token, std::nullopt, solution).error().code == ErrorCode::token_expired);
}

TEST_CASE("a create token with the default leeway is single use through exp + leeway - 1", "[create][edge]") {
    ServiceFixture f;
    CreateTokens tokens(f.ports, ServiceFixture::hs_keys());
    const auto issued = tokens.issue(0);
    REQUIRE(issued.ok());
    const auto solution = solve_for(issued->claims);
    f.clock.set(issued->expires_at + jwt::k_default_leeway - 1);
    REQUIRE(tokens.redeem(issued->token, std::nullopt, solution).ok());
    for (int i = 0; i < 3; ++i)
        CHECK(tokens.redeem(issued->token, std::nullopt, solution).error().code == ErrorCode::token_used);
    f.clock.set(issued->expires_at + jwt::k_default_leeway);
    CHECK(tokens.redeem(issued->token, std::nullopt, solution).error().code == ErrorCode::token_expired);
}
