#include "core/http/http.hpp"

#include <algorithm>
#include <cctype>

#include "core/encoding/json_text.hpp"
#include "core/encoding/text.hpp"

namespace otts::http {

namespace {
unsigned char lower(unsigned char c) { return static_cast<unsigned char>(std::tolower(c)); }

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](unsigned char x, unsigned char y) { return lower(x) == lower(y); });
}
}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](unsigned char x, unsigned char y) { return lower(x) < lower(y); });
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    return std::string_view(it->second);
}

std::optional<std::string_view> Request::bearer_token() const {
    auto value = header("Authorization");
    if (!value || value->size() <= 7) return std::nullopt;
    // The scheme is case-insensitive (RFC 9110 §11.1); exactly one space before the token.
    if (!iequals(value->substr(0, 7), "Bearer ")) return std::nullopt;
    auto token = value->substr(7);
    if (token.find(' ') != std::string_view::npos) return std::nullopt;
    return token;
}

void parse_cookie_header(std::string_view header, Params& cookies) {
    while (!header.empty()) {
        const auto semicolon = header.find(';');
        const auto pair = trim(header.substr(0, semicolon));
        const auto equals = pair.find('=');
        if (equals != std::string_view::npos && equals > 0) {
            cookies.emplace(std::string(trim(pair.substr(0, equals))), std::string(trim(pair.substr(equals + 1))));
        }
        if (semicolon == std::string_view::npos) break;
        header.remove_prefix(semicolon + 1);
    }
}

Response Response::json(int status, const nlohmann::json& body) {
    Response r;
    r.status = status;
    r.headers["Content-Type"] = "application/json";
    r.body = json_text(body);  // bodies echo paths, headers and ids: never throw on their bytes
    return r;
}

}  // namespace otts::http
