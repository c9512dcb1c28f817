#include "cli/context.hpp"

#include <iostream>
#include <iterator>

#include "adapters/key_config.hpp"
#include "adapters/httplib_client.hpp"
#include "adapters/sqlite_store.hpp"
#include "app/policy.hpp"
#include "core/encoding/json_text.hpp"
#include "core/encoding/text.hpp"

namespace otts::cli {

Result<const Settings*> Context::settings() {
    if (m_settings) return &*m_settings;
    const auto dir =
        resolve_home_dir(options.home.empty() ? std::nullopt : std::optional<std::filesystem::path>(options.home));
    OTTS_TRY(auto loaded, Settings::load(dir / "config", process_environment()));
    if (!options.secret_file.empty()) loaded.set_override("OTTS_SECRET_FILE", options.secret_file);
    if (!options.previous_secret_file.empty())
        loaded.set_override("OTTS_PREVIOUS_SECRET_FILE", options.previous_secret_file);
    if (!options.leeway.empty()) loaded.set_override("OTTS_LEEWAY", options.leeway);
    if (!options.db.empty()) loaded.set_override("OTTS_DB", options.db);
    m_settings = std::move(loaded);
    return &*m_settings;
}

Result<const DataHome*> Context::home() {
    if (m_home) return &*m_home;
    const auto dir =
        resolve_home_dir(options.home.empty() ? std::nullopt : std::optional<std::filesystem::path>(options.home));
    OTTS_TRY(auto home, ensure_data_home(dir, random));
    m_home = std::move(home);
    debug("data home: " + m_home->dir.string());
    return &*m_home;
}

Result<Ports> Context::ports() {
    if (!m_store) {
        OTTS_TRY(const auto* config, settings());
        std::string path;
        if (auto db = config->get("OTTS_DB")) {
            path = *db;
        } else {
            OTTS_TRY(const auto* dir, home());
            path = dir->db_path().string();
        }
        debug("store: " + path);
        OTTS_TRY(auto store, SqliteStore::open(path));
        m_store = std::move(store);
    }
    return Ports{*m_store, clock, random};
}

Result<jwt::KeySet> Context::hs_keys(Family family) {
    OTTS_TRY(const auto* config, settings());
    OTTS_TRY(const auto* dir, home());
    OTTS_TRY(auto keys, hs_family_keys(family, *config, *dir));
    std::string kids;
    for (const auto& key : keys) kids += " " + (key.kid.empty() ? std::string("(no kid)") : key.kid);
    debug(std::string(family_name(family)) + " keys (kid):" + kids);
    return keys;
}

Result<jwt::KeySet> Context::license_keys(bool for_signing) {
    OTTS_TRY(const auto* config, settings());
    OTTS_TRY(const auto* dir, home());
    return for_signing ? license_signing_keys(*config, *dir) : license_verifying_keys(*config, *dir);
}

Result<HttpClient*> Context::endpoint() {
    if (m_client) return m_client.get();
    std::string url = options.endpoint;
    if (url.empty()) {
        OTTS_TRY(const auto* config, settings());
        url = config->get("OTTS_ENDPOINT").value_or("");
    }
    if (url.empty()) return static_cast<HttpClient*>(nullptr);
    debug("endpoint: " + url);
    OTTS_TRY(auto client, HttplibClient::create(url));
    m_client = std::move(client);
    return m_client.get();
}

Result<HttpClient*> Context::server() {
    OTTS_TRY(auto* client, endpoint());
    if (client) return client;
    options.endpoint = k_default_endpoint;
    return endpoint();
}

Result<UnixSeconds> Context::leeway() {
    OTTS_TRY(const auto* config, settings());
    return app::leeway_setting(*config);  // --leeway is OTTS_LEEWAY's override
}

int Context::emit(const nlohmann::json& value, const std::string& human) const {
    if (options.json) {
        std::cout << json_text(value) << '\n';
    } else if (!human.empty()) {
        std::cout << human << '\n';
    }
    return exit_code::ok;
}

int Context::fail(const Error& error) const {
    const auto& info = error_info(error.code);
    if (options.json) {
        // json_text: a message may quote a path or an argument that is not UTF-8.
        std::cout << json_text({{"error", info.name}, {"message", error.message()}}) << '\n';
    }
    std::cerr << "otts: error: " << error.message() << '\n';
    return info.exit_code;
}

void Context::note(const std::string& line) const {
    if (!options.quiet) std::cerr << line << '\n';
}

void Context::debug(const std::string& line) const {
    if (options.verbose > 0 && !options.quiet) std::cerr << "otts: " << line << '\n';
}

Result<std::string> read_token_argument(const std::string& arg) {
    std::string text = arg;
    if (arg.empty() || arg == "-") {
        // Bounded read: a token is at most 8 KiB, a license a little more.
        std::string input;
        char buf[4096];
        while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
            input.append(buf, static_cast<std::size_t>(std::cin.gcount()));
            if (input.size() > 64 * 1024) return make_error(ErrorCode::invalid_token, "input too large");
        }
        text = std::move(input);
    }
    const auto token = trim(text);
    if (token.empty()) return make_error(ErrorCode::usage, "no token given");
    return std::string(token);
}

}  // namespace otts::cli
