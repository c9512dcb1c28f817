// otts verify TOKEN|-: signature, claims and family, and for single-use families the atomic
// consume in the local store (unless --no-consume). Licenses (base64 text) verify too.
#include <memory>

#include "cli/commands.hpp"
#include "core/api/api_client.hpp"
#include "core/tokens/create_tokens.hpp"
#include "core/tokens/licenses.hpp"
#include "core/tokens/one_time_tokens.hpp"
#include "core/encoding/json_member.hpp"
#include "core/encoding/time_format.hpp"
#include "core/tokens/user_tokens.hpp"

namespace otts::cli {
namespace {

struct VerifyOptions {
    std::string token;
    std::string expect;
    std::string pow;
    std::string nonce;
    bool no_consume = false;
};

struct Verified {
    Family family;
    nlohmann::json claims;
    bool consumed = false;
};

// The family to check against: --expect if given, else what the (unverified) claims say.
// Guessing is safe: the chosen family's keys and rules still decide.
Result<Family> target_family(const std::string& token, const VerifyOptions& opts) {
    if (!opts.expect.empty()) {
        const auto family = parse_family(opts.expect);
        if (!family) return make_error(ErrorCode::usage, "unknown token family '" + opts.expect + "'");
        return *family;
    }
    if (token.find('.') == std::string::npos) return Family::license;  // base64 license text
    OTTS_TRY(const auto decoded, jwt::decode(token));
    const auto family = family_of(decoded.payload);
    if (!family) return make_error(ErrorCode::invalid_token, "token belongs to no known family");
    return *family;
}

Result<Verified> verify_create(Context& ctx, const std::string& token, const VerifyOptions& opts) {
    OTTS_TRY(auto keys, ctx.hs_keys(Family::create));
    OTTS_TRY(const auto leeway, ctx.leeway());
    OTTS_TRY(auto ports, ctx.ports());
    CreateTokens service(ports, std::move(keys), CreateTokenPolicy{.leeway = leeway});
    std::optional<std::string_view> nonce;
    if (!opts.nonce.empty()) nonce = opts.nonce;
    if (opts.pow.empty()) {
        if (!opts.no_consume) {
            return make_error(ErrorCode::usage,
                              "a create token is redeemed with --pow SOLUTION (or checked with --no-consume)");
        }
        OTTS_TRY(auto claims, service.check(token));
        return Verified{Family::create, std::move(claims), false};
    }
    if (opts.no_consume) {
        OTTS_TRY(auto claims, service.check_solution(token, nonce, opts.pow));
        return Verified{Family::create, std::move(claims), false};
    }
    OTTS_TRY(auto claims, service.redeem(token, nonce, opts.pow));
    return Verified{Family::create, std::move(claims), true};
}

Result<Verified> verify_one_time(Context& ctx, const std::string& token, const VerifyOptions& opts) {
    OTTS_TRY(auto keys, ctx.hs_keys(Family::one_time));
    OTTS_TRY(const auto leeway, ctx.leeway());
    OTTS_TRY(auto ports, ctx.ports());
    OneTimeTokens service(ports, std::move(keys), leeway);
    OTTS_TRY(auto claims, opts.no_consume ? service.check(token) : service.consume(token));
    return Verified{Family::one_time, std::move(claims), !opts.no_consume};
}

Result<Verified> verify_user(Context& ctx, const std::string& token) {
    OTTS_TRY(auto keys, ctx.hs_keys(Family::user));
    OTTS_TRY(const auto leeway, ctx.leeway());
    OTTS_TRY(auto claims, UserTokens(ctx.clock, std::move(keys), leeway).check(token));
    return Verified{Family::user, std::move(claims), false};
}

Result<Verified> verify_license(Context& ctx, const std::string& text) {
    OTTS_TRY(auto keys, ctx.license_keys(false));
    OTTS_TRY(const auto leeway, ctx.leeway());
    OTTS_TRY(auto license, Licenses(ctx.clock, ctx.random, std::move(keys), leeway).verify(text));
    license.claims["license_key_hash"] = license.key_hash;
    return Verified{Family::license, std::move(license.claims), false};
}

// --endpoint: the server checks and consumes: one-time tokens by POST /tokens (S1), create
// tokens by POST /token/redeem (S0). The claims shown are the server's answer.
Result<Verified> verify_remote(HttpClient& client, Family family, const std::string& token, const VerifyOptions& opts) {
    if (opts.no_consume) return make_error(ErrorCode::usage, "--no-consume has no remote form: the API consumes");
    if (family == Family::one_time) {
        OTTS_TRY(auto body, api::call_api(client, api::api_post("/tokens", {{"token", token}})));
        return Verified{family, std::move(body), true};
    }
    if (family != Family::create) {
        return make_error(ErrorCode::usage, "with --endpoint, otts verify redeems one-time and create tokens");
    }
    if (opts.pow.empty()) return make_error(ErrorCode::usage, "a create token is redeemed with --pow SOLUTION");
    std::string nonce = opts.nonce;
    if (nonce.empty()) {
        OTTS_TRY(const auto decoded, jwt::decode(token));
        nonce = optional_string(decoded.payload, "nonce").value_or("");
    }
    OTTS_TRY(auto body,
             api::call_api(client, api::api_post("/token/redeem", {{"nonce", nonce}, {"pow", opts.pow}}, token)));
    return Verified{family, std::move(body), true};
}

Result<Verified> verify_any(Context& ctx, const std::string& token, const VerifyOptions& opts) {
    if (token.size() > 2 * jwt::k_max_token_bytes) return make_error(ErrorCode::invalid_token, "token too large");
    OTTS_TRY(const auto family, target_family(token, opts));
    if (!opts.pow.empty() && family != Family::create) {
        return make_error(ErrorCode::usage, "--pow applies to create tokens only");
    }
    OTTS_TRY(auto* client, ctx.endpoint());
    if (client) return verify_remote(*client, family, token, opts);
    switch (family) {
        case Family::create: return verify_create(ctx, token, opts);
        case Family::one_time: return verify_one_time(ctx, token, opts);
        case Family::user: return verify_user(ctx, token);
        case Family::license: return verify_license(ctx, token);
        case Family::access:
        case Family::refresh: break;
    }
    return make_error(ErrorCode::key_error, "access and refresh tokens are verified by a running otts serve");
}

std::string describe(const Verified& v) {
    std::string line = "valid " + std::string(family_name(v.family)) + " token";
    if (v.claims.contains("exp") && v.claims["exp"].is_number()) {
        line += ", expires " + iso8601(v.claims["exp"].get<UnixSeconds>());
    }
    if (v.consumed) line += " (consumed)";
    return line;
}

int run_verify(Context& ctx, const VerifyOptions& opts) {
    auto token = read_token_argument(opts.token);
    if (!token) return ctx.fail(token.error());
    auto verified = verify_any(ctx, *token, opts);
    if (!verified) return ctx.fail(verified.error());
    return ctx.emit({{"valid", true},
                     {"family", family_name(verified->family)},
                     {"consumed", verified->consumed},
                     {"claims", verified->claims}},
                    describe(*verified));
}

}  // namespace

void setup_verify(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<VerifyOptions>();
    auto* cmd = app.add_subcommand("verify", "Verify a token (and consume it if single-use); '-' reads stdin");
    cmd->add_option("token", opts->token, "The token or license text, or - for standard input");
    cmd->add_option("--expect", opts->expect, "Require this family: one-time, create, user, license")
        ->check(CLI::IsMember({"one-time", "create", "user", "license"}));
    cmd->add_option("--pow", opts->pow, "PoW solution that redeems a create token");
    cmd->add_option("--nonce", opts->nonce, "Nonce sent with the solution (must match the token's)");
    cmd->add_flag("--no-consume", opts->no_consume, "Only check: leave single-use tokens unconsumed");
    cmd->callback([&ctx, opts] { ctx.exit_status = run_verify(ctx, *opts); });
}

}  // namespace otts::cli
