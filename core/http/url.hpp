#pragma once
// URL pieces the token handler and its dev IdP build and read: percent-encoding (RFC 3986),
// application/x-www-form-urlencoded bodies and query strings, and the origin of a URL.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http/http.hpp"

namespace otts::url {

// Every byte but the RFC 3986 unreserved characters as %XX (upper-case hex).
std::string percent_encode(std::string_view text);
// "%XX" and '+' (as a space, the form encoding); nullopt on a broken escape.
std::optional<std::string> percent_decode(std::string_view text);

using Pairs = std::vector<std::pair<std::string, std::string>>;
// "a=1&b=x%20y": each name and value percent-encoded, in the given order.
std::string encode_pairs(const Pairs& pairs);
// A form body or query string into its first value per name; nullopt on a broken escape.
std::optional<http::Params> decode_pairs(std::string_view text);

// "scheme://host[:port]" of an absolute http(s) URL, lower-cased; nullopt for anything else.
std::optional<std::string> origin_of(std::string_view url);
// True for http(s) URLs whose host is localhost, 127.0.0.1 or [::1].
bool is_loopback_url(std::string_view url);

}  // namespace otts::url
