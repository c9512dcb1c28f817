// otts secret create|get|burn: S0's end-to-end encrypted secrets (sealed.fyi, DESIGN §13) from
// the command line. The secret is encrypted here, exactly as sealed.fyi's browser code does
// (core/secrets/secret_crypto), so the server only ever sees ciphertext; the key travels in the
// link's fragment. With --endpoint the requests go to that server; without, the same requests
// are answered in process over the local store (cli/local_api).
//
// Standard input is the secret for `create`, so a passphrase comes from a file
// (--passphrase-file, never the command line); `--passphrase-file -` (standard input) is
// accepted by `get` only.
#include <cstdio>
#include <iostream>
#include <memory>

#include "adapters/data_home.hpp"
#include "cli/commands.hpp"
#include "cli/local_api.hpp"
#include "core/api/api_client.hpp"
#include "core/encoding/base64.hpp"
#include "core/encoding/time_format.hpp"
#include "core/pow/pow.hpp"
#include "core/secrets/secret_crypto.hpp"

namespace otts::cli {
namespace {

// sealed.fyi's bounds (its validation.js): 15 minutes to 90 days, 1 to 5 views.
constexpr UnixSeconds k_min_ttl = 900;
constexpr UnixSeconds k_max_ttl = 7'776'000;
// A create token lives 300 s: a solution found later is useless.
constexpr double k_pow_timeout_seconds = 300;

struct SecretOptions {
    std::string ttl = "24h";  // sealed.fyi's default choice
    int views = 1;
    std::string passphrase_file;
    std::string page;
    std::string link;
    std::string id;
    std::string burn_token;
};

// The passphrase in `path` ("-": standard input), without the line end an editor or `echo`
// leaves. Never echoed, never logged.
Result<std::optional<std::string>> read_passphrase(const std::string& path) {
    if (path.empty()) return std::optional<std::string>();
    std::string text;
    if (path == "-") {
        char buf[4096];
        while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
            text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
            if (text.size() > k_max_file_bytes) return make_error(ErrorCode::usage, "passphrase input too large");
        }
    } else {
        OTTS_TRY(text, read_file(path));
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) return make_error(ErrorCode::usage, "the passphrase file is empty");
    return std::optional<std::string>(std::move(text));
}

// The secret from standard input, read no further than one byte past the limit.
Result<std::string> read_plaintext() {
    std::string text;
    char buf[16 * 1024];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
        if (text.size() > secrets::k_max_plaintext_bytes) {
            return make_error(ErrorCode::usage, "the secret on standard input is over " +
                                                    std::to_string(secrets::k_max_plaintext_bytes) +
                                                    " bytes (the server takes 68 KiB of base64 ciphertext)");
        }
    }
    if (text.empty()) return make_error(ErrorCode::usage, "no secret on standard input");
    return text;
}

// The page the link points at: --page, else the web page of the server the secret went to
// (--endpoint or OTTS_ENDPOINT; the local `otts serve` default for the local store).
Result<std::string> page_of(Context& ctx, const std::string& page) {
    if (!page.empty()) return page;
    std::string base = ctx.options.endpoint;
    if (base.empty()) {
        OTTS_TRY(const auto* config, ctx.settings());
        base = config->get("OTTS_ENDPOINT").value_or(k_default_endpoint);
    }
    if (base.empty() || base.back() != '/') base += '/';
    return base;
}

Result<pow::Challenge> challenge_of(const nlohmann::json& issued) {
    const auto challenge = issued.value("powChallenge", nlohmann::json::object());
    if (!issued.value("token", nlohmann::json()).is_string() || !issued.value("nonce", nlohmann::json()).is_string() ||
        !challenge.is_object() || !challenge.value("prefix", nlohmann::json()).is_string() ||
        !challenge.value("difficulty", nlohmann::json()).is_number_integer()) {
        return make_error(ErrorCode::server_error, "POST /token answered without a token and PoW challenge");
    }
    pow::Challenge out{challenge["prefix"].get<std::string>(), issued["nonce"].get<std::string>(),
                       challenge["difficulty"].get<int>()};
    if (out.difficulty < 0 || out.difficulty > pow::k_max_difficulty) {
        return make_error(ErrorCode::pow_unsolved, "the server asks for an unsolvable PoW difficulty");
    }
    return out;
}

// A view that does not exist any more, whatever the reason, reads the same (anti-oracle).
Error not_available_if_missing(Error error) {
    if (error_info(error.code).exit_code == exit_code::not_found) {
        error.detail = "secret not available (expired, viewed its maximum times, burned, or never existed)";
    }
    return error;
}

Result<UnixSeconds> ttl_of(const std::string& text) {
    const auto ttl = parse_duration(text);
    if (!ttl || *ttl < k_min_ttl || *ttl > k_max_ttl) {
        return make_error(ErrorCode::usage, "invalid --ttl '" + text + "': 15m to 90d (e.g. 1h, 24h, 7d)");
    }
    return *ttl;
}

// POST /token, its proof of work, POST /secrets: the answer {id, burnToken, expiresAt}.
Result<nlohmann::json> store_sealed(const Context& ctx, HttpClient& client, const secrets::SealedSecret& sealed,
                                    UnixSeconds ttl, int views) {
    OTTS_TRY(auto issued, api::call_api(client, api::api_post("/token", nullptr)));
    OTTS_TRY(const auto challenge, challenge_of(issued));
    const auto solved = pow::solve(challenge, pow::SolveLimits{0, k_pow_timeout_seconds, 0});
    if (!solved.solution) return make_error(ErrorCode::pow_unsolved);
    ctx.debug("PoW: " + std::to_string(solved.stats.hashes) + " hashes at difficulty " +
              std::to_string(challenge.difficulty));
    const nlohmann::json body = {{"ciphertext", sealed.ciphertext},
                                 {"iv", sealed.iv},
                                 {"salt", sealed.salt ? nlohmann::json(*sealed.salt) : nlohmann::json(nullptr)},
                                 {"nonce", challenge.nonce},
                                 {"pow", *solved.solution},
                                 {"ttl", ttl},
                                 {"maxViews", views},
                                 {"passphraseProtected", sealed.salt.has_value()}};
    return api::call_api(client, api::api_post("/secrets", body, issued["token"].get<std::string>()));
}

int run_create(Context& ctx, const SecretOptions& opts) {
    if (opts.passphrase_file == "-") {
        return ctx.fail(make_error(ErrorCode::usage, "standard input holds the secret: give the passphrase in a file"));
    }
    auto ttl = ttl_of(opts.ttl);
    if (!ttl) return ctx.fail(ttl.error());
    auto passphrase = read_passphrase(opts.passphrase_file);
    if (!passphrase) return ctx.fail(passphrase.error());
    auto plaintext = read_plaintext();
    if (!plaintext) return ctx.fail(plaintext.error());

    const secrets::SealMaterial material{ctx.random.bytes(secrets::k_key_bytes), ctx.random.bytes(secrets::k_iv_bytes),
                                         ctx.random.bytes(secrets::k_salt_bytes),
                                         ctx.random.bytes(secrets::k_iv_bytes)};
    auto sealed = secrets::seal_secret(*plaintext, *passphrase, material);
    if (!sealed) return ctx.fail(sealed.error());

    std::unique_ptr<HttpClient> local;
    auto client = api_client(ctx, local);
    if (!client) return ctx.fail(client.error());
    auto created = store_sealed(ctx, **client, *sealed, *ttl, opts.views);
    if (!created) return ctx.fail(created.error());
    const auto id = created->value("id", nlohmann::json());
    if (!id.is_string() || !secrets::parse_share_link("#" + id.get<std::string>() + ":k")) {
        return ctx.fail(make_error(ErrorCode::server_error, "POST /secrets answered without a usable id"));
    }
    auto page = page_of(ctx, opts.page);
    if (!page) return ctx.fail(page.error());
    const auto link = secrets::make_share_link(*page, id.get<std::string>(), sealed->fragment);
    return ctx.emit({{"link", link},
                     {"id", id},
                     {"burnToken", created->value("burnToken", nlohmann::json())},
                     {"expiresAt", created->value("expiresAt", nlohmann::json())}},
                    link);
}

// Whether the link's fragment holds a wrapped key (60 bytes: wrapIV, key, tag) rather than a
// bare 32-byte key. Told from the link alone, so that `get` refuses a bad link, or a missing
// passphrase, before the GET spends a view.
Result<bool> link_needs_passphrase(const secrets::ShareLink& link) {
    const auto bytes = base64url_decode(link.fragment);
    if (bytes && bytes->size() == secrets::k_key_bytes) return false;
    if (bytes && bytes->size() == secrets::k_iv_bytes + secrets::k_key_bytes + secrets::k_tag_bytes) return true;
    return make_error(ErrorCode::invalid_token, "the link's key is neither a 32-byte key nor a wrapped one");
}

int run_get(Context& ctx, const SecretOptions& opts) {
    auto link = secrets::parse_share_link(opts.link);
    if (!link) return ctx.fail(link.error());
    auto passphrase = read_passphrase(opts.passphrase_file);
    if (!passphrase) return ctx.fail(passphrase.error());
    auto protected_link = link_needs_passphrase(*link);
    if (!protected_link) return ctx.fail(protected_link.error());
    if (*protected_link && !*passphrase) {
        return ctx.fail(make_error(ErrorCode::usage, "this link is protected by a passphrase: give --passphrase-file"));
    }
    std::unique_ptr<HttpClient> local;
    auto client = api_client(ctx, local);
    if (!client) return ctx.fail(client.error());
    auto got = api::call_api(**client, api::api_get("/secrets/" + link->id));
    if (!got) return ctx.fail(not_available_if_missing(got.error()));
    const auto field = [&](const char* name) { return got->value(name, nlohmann::json()); };
    const auto salt = field("salt");
    if (!field("ciphertext").is_string() || !field("iv").is_string() || !(salt.is_string() || salt.is_null())) {
        return ctx.fail(make_error(ErrorCode::server_error, "GET /secrets answered without ciphertext and iv"));
    }
    auto plaintext =
        secrets::open_secret(field("ciphertext").get<std::string>(), field("iv").get<std::string>(),
                             salt.is_string() ? std::optional<std::string>(salt.get<std::string>()) : std::nullopt,
                             link->fragment, *passphrase);
    if (!plaintext) return ctx.fail(plaintext.error());
    if (ctx.options.json) return ctx.emit({{"id", link->id}, {"secret", *plaintext}}, "");
    std::cout.write(plaintext->data(), static_cast<std::streamsize>(plaintext->size()));  // the bytes, as sent
    std::cout.flush();
    return exit_code::ok;
}

int run_burn(Context& ctx, const SecretOptions& opts) {
    // An id, or a whole link (its id is used; the key is not needed).
    std::string id = opts.id;
    if (id.find(':') != std::string::npos) {
        auto link = secrets::parse_share_link(id);
        if (!link) return ctx.fail(link.error());
        id = link->id;
    } else if (!secrets::parse_share_link(id + ":k")) {
        return ctx.fail(make_error(ErrorCode::usage, "not a secret id: '" + id + "'"));
    }
    auto token = read_token_argument(opts.burn_token);
    if (!token) return ctx.fail(token.error());
    std::unique_ptr<HttpClient> local;
    auto client = api_client(ctx, local);
    if (!client) return ctx.fail(client.error());
    auto call = api::api_delete("/secrets/" + id);
    call.headers["X-Burn-Token"] = *token;
    auto burned = api::call_api(**client, call);
    if (!burned) return ctx.fail(burned.error());
    // The original answers 204 whether or not the token matched: nothing here tells which.
    return ctx.emit({{"id", id}, {"burned", true}}, "");
}

}  // namespace

void setup_secret(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SecretOptions>();
    auto* cmd = app.add_subcommand("secret", "End-to-end encrypted secrets (S0, sealed.fyi): create, get, burn");
    cmd->require_subcommand(1);

    auto* create = cmd->add_subcommand("create", "Encrypt standard input here and store it; prints the share link");
    create->add_option("--ttl", opts->ttl, "Lifetime, 15m to 90d (default 24h)");
    create->add_option("--views", opts->views, "Reads before it is deleted, 1 to 5 (default 1)")
        ->check(CLI::Range(1, 5));
    create->add_option("--passphrase-file", opts->passphrase_file,
                       "Also protect the key with the passphrase in this file");
    create->add_option("--page", opts->page, "The page the link opens (default: the server's web page)");
    create->callback([&ctx, opts] { ctx.exit_status = run_create(ctx, *opts); });

    auto* get = cmd->add_subcommand("get", "Fetch a secret by its link, decrypt it, write it to standard output");
    get->add_option("link", opts->link, "The share link, <page>#<id>:<key>")->required();
    get->add_option("--passphrase-file", opts->passphrase_file, "The passphrase, from this file (- standard input)");
    get->callback([&ctx, opts] { ctx.exit_status = run_get(ctx, *opts); });

    auto* burn = cmd->add_subcommand("burn", "Delete a secret before it is read (needs its burn token)");
    burn->add_option("id", opts->id, "The secret's id (or its link)")->required();
    burn->add_option("--burn-token", opts->burn_token, "The burn token printed by create --json (- standard input)")
        ->required();
    burn->callback([&ctx, opts] { ctx.exit_status = run_burn(ctx, *opts); });
}

}  // namespace otts::cli
