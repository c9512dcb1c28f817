#include "cli/claims_option.hpp"

namespace otts::cli {

Result<nlohmann::json> parse_claims(const std::vector<std::string>& pairs) {
    nlohmann::json claims = nlohmann::json::object();
    for (const auto& pair : pairs) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0) {
            return make_error(ErrorCode::usage, "--claim expects NAME=VALUE, got '" + pair + "'");
        }
        const std::string value = pair.substr(eq + 1);
        auto parsed = nlohmann::json::parse(value, nullptr, false);
        claims[pair.substr(0, eq)] = parsed.is_discarded() ? nlohmann::json(value) : std::move(parsed);
    }
    return claims;
}

}  // namespace otts::cli
