#include "core/error.hpp"

#include <array>

namespace otts {
namespace {

struct Row {
    ErrorCode code;
    ErrorInfo info;
};

// The single mapping table. Order follows the enum; error_info() checks that it does.
constexpr std::array k_rows{
    Row{ErrorCode::internal, {"internal_error", "internal error", 500, exit_code::internal}},
    Row{ErrorCode::usage, {"usage", "invalid usage", 400, exit_code::usage}},
    Row{ErrorCode::bad_request, {"bad_request", "malformed request", 400, exit_code::usage}},
    Row{ErrorCode::invalid_token, {"invalid_token", "invalid token", 401, exit_code::invalid_token}},
    Row{ErrorCode::token_expired, {"token_expired", "token expired", 401, exit_code::expired}},
    Row{ErrorCode::token_not_yet_valid, {"token_not_yet_valid", "token not yet valid", 401, exit_code::expired}},
    Row{ErrorCode::token_used, {"token_used", "token already used", 409, exit_code::used}},
    Row{ErrorCode::token_not_found, {"token_not_found", "token not found", 404, exit_code::not_found}},
    Row{ErrorCode::pow_invalid, {"invalid_pow", "proof of work invalid", 403, exit_code::pow}},
    Row{ErrorCode::pow_unsolved, {"pow_unsolved", "proof of work not solved within its bounds", 408, exit_code::pow}},
    Row{ErrorCode::pin_invalid, {"invalid_pin", "invalid PIN", 401, exit_code::pin}},
    Row{ErrorCode::rate_limited, {"rate_limited", "too many requests", 429, exit_code::rate_limited}},
    Row{ErrorCode::payload_too_large, {"payload_too_large", "request body too large", 413, exit_code::usage}},
    Row{ErrorCode::route_not_found, {"not_found", "no such route", 404, exit_code::usage}},
    Row{ErrorCode::method_not_allowed, {"method_not_allowed", "method not allowed", 405, exit_code::usage}},
    Row{ErrorCode::key_error, {"key_error", "key unavailable", 500, exit_code::usage}},
    Row{ErrorCode::store_error, {"store_error", "store unavailable", 503, exit_code::store}},
    Row{ErrorCode::endpoint_unreachable, {"endpoint_unreachable", "endpoint unreachable", 502, exit_code::unreachable}},
    Row{ErrorCode::server_error, {"server_error", "server error", 502, exit_code::server}},
    Row{ErrorCode::unauthenticated, {"unauthenticated", "not authenticated", 401, exit_code::invalid_token}},
    Row{ErrorCode::csrf_failed, {"csrf_failed", "CSRF validation failed", 403, exit_code::usage}},
    Row{ErrorCode::refresh_refused, {"refresh_refused", "refresh token refused", 401, exit_code::invalid_token}},
    Row{ErrorCode::license_invalid, {"license_invalid", "license invalid", 401, exit_code::invalid_token}},
    Row{ErrorCode::email_mismatch,
        {"email_mismatch", "license email does not match the token", 400, exit_code::invalid_token}},
    Row{ErrorCode::license_mismatch,
        {"license_mismatch", "license does not match the token", 400, exit_code::invalid_token}},
    Row{ErrorCode::pin_cooldown, {"pin_cooldown", "a PIN was requested too recently", 429, exit_code::rate_limited}},
    Row{ErrorCode::unsupported, {"unsupported", "not supported", 400, exit_code::usage}},
};

constexpr bool rows_follow_enum() {
    for (std::size_t i = 0; i < k_rows.size(); ++i) {
        if (static_cast<std::size_t>(k_rows[i].code) != i) return false;
    }
    return true;
}
static_assert(rows_follow_enum(), "k_rows must list every ErrorCode in enum order");
static_assert(k_rows.size() == static_cast<std::size_t>(ErrorCode::unsupported) + 1);

}  // namespace

const ErrorInfo& error_info(ErrorCode code) { return k_rows[static_cast<std::size_t>(code)].info; }

std::optional<ErrorCode> error_code_named(std::string_view name) {
    for (const auto& row : k_rows) {
        if (row.info.name == name) return row.code;
    }
    return std::nullopt;
}

std::string Error::message() const { return detail.empty() ? std::string(error_info(code).message) : detail; }

}  // namespace otts
