// otts solve-pow [TOKEN|-]: the client side of S0's proof of work. The challenge comes from a
// create token's claims (decoded, not verified: the client has no key), from the JSON body of
// POST /token on stdin, or from --prefix/--nonce/--difficulty. Bounded by --timeout and
// --max-iterations; a progress line goes to stderr only when it is a terminal.
#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "cli/commands.hpp"
#include "core/pow/pow.hpp"

namespace otts::cli {
namespace {

struct SolveOptions {
    std::string token;
    std::string prefix;
    std::string nonce;
    int difficulty = -1;
    unsigned threads = 0;
    double timeout = 0;
    std::uint64_t max_iterations = 0;
    bool bench = false;
};

Result<pow::Challenge> challenge_from_claims(const nlohmann::json& claims) {
    const auto prefix = claims.find("pow_prefix");
    const auto nonce = claims.find("nonce");
    const auto bits = claims.find("pow_difficulty");
    if (prefix == claims.end() || !prefix->is_string() || nonce == claims.end() || !nonce->is_string() ||
        bits == claims.end() || !bits->is_number_integer()) {
        return make_error(ErrorCode::invalid_token, "not a create token: no PoW challenge in its claims");
    }
    return pow::Challenge{prefix->get<std::string>(), nonce->get<std::string>(), bits->get<int>()};
}

// A create token, or the JSON body of POST /token ({token, nonce, powChallenge}).
Result<pow::Challenge> challenge_from_text(const std::string& text) {
    std::string token = text;
    if (!text.empty() && text.front() == '{') {
        const auto body = nlohmann::json::parse(text, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("token") || !body["token"].is_string()) {
            return make_error(ErrorCode::bad_request, "expected the JSON body of POST /token with a \"token\" member");
        }
        token = body["token"].get<std::string>();
    }
    OTTS_TRY(const auto decoded, jwt::decode(token));
    return challenge_from_claims(decoded.payload);
}

Result<pow::Challenge> challenge_of(const SolveOptions& opts) {
    const bool manual = !opts.prefix.empty() || !opts.nonce.empty() || opts.difficulty >= 0;
    if (opts.bench) return pow::Challenge{"bench:", opts.nonce.empty() ? std::string(32, '0') : opts.nonce, 64};
    if (manual) {
        if (opts.nonce.empty() || opts.difficulty < 0) {
            return make_error(ErrorCode::usage,
                              "--nonce and --difficulty are needed without a token (--prefix defaults to empty)");
        }
        return pow::Challenge{opts.prefix, opts.nonce, opts.difficulty};
    }
    OTTS_TRY(const auto text, read_token_argument(opts.token));
    return challenge_from_text(text);
}

std::function<void(std::uint64_t)> progress_printer(const Context& ctx) {
    if (ctx.options.quiet || ctx.options.json || ::isatty(STDERR_FILENO) == 0) return {};
    return [](std::uint64_t hashes) {
        std::fprintf(stderr, "\r%.1f M hashes", static_cast<double>(hashes) / 1e6);
        std::fflush(stderr);
    };
}

int run_solve(Context& ctx, const SolveOptions& opts) {
    auto challenge = challenge_of(opts);
    if (!challenge) return ctx.fail(challenge.error());
    if (challenge->difficulty < 0 || challenge->difficulty > pow::k_max_difficulty) {
        return ctx.fail(make_error(ErrorCode::usage, "difficulty must be between 0 and 64"));
    }
    pow::SolveLimits limits{opts.threads, opts.timeout, opts.max_iterations};
    if (opts.bench && limits.timeout_seconds <= 0) limits.timeout_seconds = 3;
    const auto progress = progress_printer(ctx);
    const auto result = pow::solve(*challenge, limits, progress);
    if (progress) std::fputs("\r\033[K", stderr);
    const double rate = result.stats.seconds > 0 ? static_cast<double>(result.stats.hashes) / result.stats.seconds : 0;
    nlohmann::json out = {{"hashes", result.stats.hashes},
                          {"seconds", result.stats.seconds},
                          {"hashes_per_s", rate},
                          {"difficulty", challenge->difficulty}};
    if (opts.bench) {
        char line[96];
        std::snprintf(line, sizeof line, "%.1f M hashes/s", rate / 1e6);
        return ctx.emit(out, line);
    }
    if (!result.solution) return ctx.fail(make_error(ErrorCode::pow_unsolved));
    out["solution"] = *result.solution;
    out["nonce"] = challenge->nonce;
    out["prefix"] = challenge->prefix;
    return ctx.emit(out, *result.solution);
}

}  // namespace

void setup_solve_pow(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SolveOptions>();
    auto* cmd = app.add_subcommand("solve-pow", "Solve the proof of work of a create token");
    cmd->add_option("token", opts->token, "A create token or the JSON body of POST /token; - or nothing reads stdin");
    cmd->add_option("--prefix", opts->prefix, "Challenge prefix (instead of a token)");
    cmd->add_option("--nonce", opts->nonce, "Challenge nonce (instead of a token)");
    cmd->add_option("--difficulty", opts->difficulty, "Leading zero bits (instead of a token)")
        ->check(CLI::Range(0, 64));
    cmd->add_option("--threads", opts->threads, "Worker threads (default: every core)")->check(CLI::Range(1u, 1024u));
    cmd->add_option("--timeout", opts->timeout, "Give up after this many seconds (exit 14)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--max-iterations", opts->max_iterations, "Give up after this many hashes (exit 14)")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--bench", opts->bench, "Measure hashes/s on an unsolvable challenge (3 s unless --timeout)");
    cmd->callback([&ctx, opts] { ctx.exit_status = run_solve(ctx, *opts); });
}

}  // namespace otts::cli
