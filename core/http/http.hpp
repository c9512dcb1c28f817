#pragma once
// Transport-neutral HTTP messages (DESIGN §2). The emulator converts cpp-httplib to and from
// these, the Lambda converts API Gateway events; every route sees only Request and Response.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace otts::http {

// Header names compare case-insensitively (RFC 9110 §5.1).
struct CaseInsensitiveLess {
    bool operator()(std::string_view a, std::string_view b) const;
    using is_transparent = void;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;
using Params = std::map<std::string, std::string, std::less<>>;

struct Request {
    std::string method;     // upper case: "GET", "POST", ...
    std::string path;       // percent-decoded, without the query string
    Params query;           // first value of each name
    Headers headers;        // repeated headers joined with ", " by the adapter
    Params cookies;         // from the Cookie header(s)
    std::string body;       // raw bytes (adapters decode base64 bodies)
    std::string source_ip;  // client address, for rate limits and logs
    Params path_params;     // filled by the router from "{name}" segments

    std::optional<std::string_view> header(std::string_view name) const;
    // The token of an "Authorization: Bearer <token>" header, if any.
    std::optional<std::string_view> bearer_token() const;
};

// The name=value pairs of a Cookie header ("a=1; b=2"), trimmed, added to `cookies`; the first
// of a repeated name wins (as for query parameters) and pairs without a name are skipped.
void parse_cookie_header(std::string_view header, Params& cookies);

struct Response {
    int status = 200;
    Headers headers;
    std::vector<std::string> cookies;  // one Set-Cookie value each
    std::string body;

    // A JSON response with Content-Type application/json.
    static Response json(int status, const nlohmann::json& body);
};

}  // namespace otts::http
