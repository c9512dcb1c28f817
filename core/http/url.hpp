#pragma once
// URL pieces every front end and the token handler read and build: percent-encoding (RFC 3986),
// query strings and application/x-www-form-urlencoded bodies, and the origin of a URL. The one
// place that splits "a=1&b=2" and decodes %XX: the emulator, the Lambda events, the WebSocket
// port, the dev IdP's forms and SigV4 all read queries through it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http/http.hpp"

namespace otts::url {

// Every byte but the RFC 3986 unreserved characters as %XX (upper-case hex).
std::string percent_encode(std::string_view text);

// What '+' means: a space in query strings and forms, itself in paths and in SigV4's queries.
enum class Plus { space, literal };
// "%XX" and '+' (as a space, the form encoding); nullopt on a broken escape.
std::optional<std::string> percent_decode(std::string_view text);
// Lenient, as cpp-httplib's decoder (the emulator's): a '%' not followed by two hex digits stays
// as it is, so an odd URL still reaches the router (and its 404).
std::string percent_decode_lenient(std::string_view text, Plus plus);

using RawPairs = std::vector<std::pair<std::string_view, std::string_view>>;
// "a=1&&b&c=x%20y" → {a,1},{b,""},{c,x%20y}: the name=value pieces of a query or form, not yet
// decoded, in order, repeats kept, empty pieces skipped; a piece without '=' has an empty value.
RawPairs split_pairs(std::string_view text);

using Pairs = std::vector<std::pair<std::string, std::string>>;
// split_pairs, each name and value decoded leniently (a query as a client sent it).
Pairs parse_query(std::string_view text, Plus plus = Plus::space);
// "a=1&b=x%20y": each name and value percent-encoded, in the given order.
std::string encode_pairs(const Pairs& pairs);
// A form body or query string into its first value per name; nullopt on a broken escape.
std::optional<http::Params> decode_pairs(std::string_view text);

// "scheme://host[:port]" of an absolute http(s) URL, lower-cased; nullopt for anything else.
std::optional<std::string> origin_of(std::string_view url);

}  // namespace otts::url
