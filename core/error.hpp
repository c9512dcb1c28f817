#pragma once
// The one error vocabulary of otts. Every failure a user can see is an ErrorCode; one table
// (error.cpp) maps each code to its stable name, default message, HTTP status and CLI exit code.
#include <optional>
#include <string>
#include <string_view>

namespace otts {

enum class ErrorCode {
    internal,             // a bug or an unexpected library failure
    usage,                // bad command line or bad argument value
    bad_request,          // malformed input from a client (JSON, base64, missing field)
    invalid_token,        // signature, format, claims, algorithm or wrong family
    token_expired,        // exp passed (beyond leeway)
    token_not_yet_valid,  // nbf / iat in the future (beyond leeway)
    token_used,           // single-use token already consumed
    token_not_found,      // single-use token never issued (or swept)
    pow_invalid,          // proof-of-work solution does not meet the difficulty
    pow_unsolved,         // solver hit its time or iteration bound
    pin_invalid,
    rate_limited,
    payload_too_large,
    route_not_found,
    method_not_allowed,
    key_error,    // a key or secret is missing, unreadable or unusable
    store_error,  // the store failed (I/O, locked, schema)
    endpoint_unreachable,
    server_error,  // a remote otts answered 5xx
    // Refusals some original answers with a code of its own (core/api/error_bodies.cpp).
    unauthenticated,   // no credentials, or none the route accepts
    csrf_failed,       // a cookie-authenticated POST without the CSRF header
    refresh_refused,   // the identity provider refused a refresh token
    license_invalid,   // a license that does not verify (signature, format, email)
    email_mismatch,    // a refresh token presented with a license for another email
    license_mismatch,  // a refresh token presented with another license for its email
    pin_cooldown,      // a PIN requested again within the cooldown
    unsupported,       // a grant type, auth flow or action otts does not implement
};

struct ErrorInfo {
    std::string_view name;     // stable snake_case name, used in JSON bodies and --json output
    std::string_view message;  // default human message
    int http_status;
    int exit_code;
};

// The table row for `code`. Never fails: every enumerator has a row.
const ErrorInfo& error_info(ErrorCode code);
// The code whose stable name is `name` (as JSON error bodies carry it), if any.
std::optional<ErrorCode> error_code_named(std::string_view name);

struct Error {
    ErrorCode code;
    std::string detail;  // more specific than the table message; never holds a secret or full token

    // detail if set, otherwise the table's message.
    std::string message() const;
};

// Exit codes of DESIGN §10.
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int internal = 1;
inline constexpr int usage = 2;
inline constexpr int invalid_token = 10;
inline constexpr int expired = 11;
inline constexpr int used = 12;
inline constexpr int not_found = 13;
inline constexpr int pow = 14;
inline constexpr int pin = 15;
inline constexpr int rate_limited = 16;
inline constexpr int store = 20;
inline constexpr int unreachable = 21;
inline constexpr int server = 22;
}  // namespace exit_code

}  // namespace otts
