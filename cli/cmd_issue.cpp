// otts issue [one-time|create|user]: sign a token of one family with the local keys. One-time
// tokens are also written to the local store so that `otts verify` can consume them.
#include <memory>
#include <optional>

#include "cli/claims_option.hpp"
#include "cli/commands.hpp"
#include "core/api/api_client.hpp"
#include "core/tokens/create_tokens.hpp"
#include "core/tokens/one_time_tokens.hpp"
#include "core/encoding/time_format.hpp"
#include "core/tokens/user_tokens.hpp"

namespace otts::cli {
namespace {

struct IssueOptions {
    std::string family = "one-time";
    std::optional<std::string> ttl;  // given, even empty, is parsed: --ttl '' is refused
    std::string user;
    int difficulty = -1;
    std::vector<std::string> claims;
};

Result<IssuedToken> issue_one(Context& ctx, Family family, const IssueOptions& opts, const nlohmann::json& extra) {
    std::optional<UnixSeconds> ttl;
    if (opts.ttl) {
        ttl = parse_duration(*opts.ttl);
        if (!ttl) return make_error(ErrorCode::usage, "invalid --ttl '" + *opts.ttl + "' (e.g. 300, 5m, 8h, 30d)");
    }
    OTTS_TRY(auto keys, ctx.hs_keys(family));
    OTTS_TRY(const auto leeway, ctx.leeway());
    switch (family) {
        case Family::one_time: {
            OTTS_TRY(auto ports, ctx.ports());
            return OneTimeTokens(ports, std::move(keys), leeway)
                .issue(ttl.value_or(OneTimeTokens::k_default_ttl), extra);
        }
        case Family::create: {
            OTTS_TRY(auto ports, ctx.ports());
            std::optional<int> bits;
            if (opts.difficulty >= 0) bits = opts.difficulty;
            return CreateTokens(ports, std::move(keys), CreateTokenPolicy{.leeway = leeway}).issue(bits, ttl, extra);
        }
        case Family::user: {
            if (opts.user.empty()) return make_error(ErrorCode::usage, "issue user needs --user ID");
            // User tokens keep no state: no store is opened.
            return UserTokens(ctx.clock, std::move(keys), leeway)
                .issue(opts.user, ttl.value_or(UserTokens::k_default_ttl), extra);
        }
        default: return make_error(ErrorCode::usage, "otts issue makes one-time, create or user tokens");
    }
}

// --endpoint: the server issues with its own keys and policy: one-time tokens by GET /tokens
// (S1), create tokens by POST /token (S0). Local-only options would be silently ignored there,
// so they are refused.
Result<nlohmann::json> issue_remote(HttpClient& client, Family family, const IssueOptions& opts) {
    if (opts.ttl || !opts.user.empty() || opts.difficulty >= 0 || !opts.claims.empty()) {
        return make_error(ErrorCode::usage, "--ttl, --user, --difficulty and --claim apply to local tokens only");
    }
    if (family != Family::one_time && family != Family::create) {
        return make_error(ErrorCode::usage,
                          "with --endpoint, otts issue makes one-time and create tokens (user tokens are "
                          "issued to signed-in users by POST /user/auth/jwt-token)");
    }
    OTTS_TRY(auto body,
             api::call_api(client, family == Family::one_time ? api::api_get("/tokens")
                                                              : api::api_post("/token", nlohmann::json::object())));
    if (!body.is_object() || !body.contains("token"))
        return make_error(ErrorCode::server_error, "no token in the answer");
    body["family"] = family_name(family);
    return body;
}

int run_issue(Context& ctx, const IssueOptions& opts) {
    const auto family = parse_family(opts.family);
    if (!family) return ctx.fail(make_error(ErrorCode::usage, "unknown token family '" + opts.family + "'"));
    auto client = ctx.endpoint();
    if (!client) return ctx.fail(client.error());
    if (*client) {
        auto answer = issue_remote(**client, *family, opts);
        if (!answer) return ctx.fail(answer.error());
        return ctx.emit(*answer, (*answer)["token"].get<std::string>());
    }
    auto extra = parse_claims(opts.claims);
    if (!extra) return ctx.fail(extra.error());
    auto issued = issue_one(ctx, *family, opts, *extra);
    if (!issued) return ctx.fail(issued.error());
    const nlohmann::json out = {{"token", issued->token},
                                {"family", family_name(*family)},
                                {"expires_at", issued->expires_at},
                                {"expiration", iso8601(issued->expires_at)},
                                {"claims", issued->claims}};
    return ctx.emit(out, issued->token);
}

}  // namespace

void setup_issue(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<IssueOptions>();
    auto* cmd = app.add_subcommand("issue", "Issue a token: one-time (default), create or user");
    cmd->add_option("family", opts->family, "Token family: one-time, create or user")
        ->check(CLI::IsMember({"one-time", "create", "user"}));
    cmd->add_option("--ttl", opts->ttl, "Lifetime: 300, 5m, 8h, 30d (defaults: one-time 8h, create 5m, user 1h)");
    cmd->add_option("--user", opts->user, "User id (the userId claim of a user token)");
    cmd->add_option("--difficulty", opts->difficulty, "PoW difficulty in bits for a create token (default 18)")
        ->check(CLI::Range(0, 64));
    cmd->add_option("--claim", opts->claims, "Extra claim NAME=VALUE (VALUE parsed as JSON if it can be)")
        ->allow_extra_args(false);  // repeatable, one pair each, so a family word after it is not eaten
    cmd->callback([&ctx, opts] { ctx.exit_status = run_issue(ctx, *opts); });
}

}  // namespace otts::cli
