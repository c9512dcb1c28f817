#include "core/http/url.hpp"

#include <algorithm>
#include <cctype>

namespace otts::url {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

}  // namespace

std::string percent_encode(std::string_view text) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] != '%') {
            out += text[i];
        } else {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
    }
    return out;
}

std::string encode_pairs(const Pairs& pairs) {
    std::string out;
    for (const auto& [name, value] : pairs) {
        if (!out.empty()) out += '&';
        out += percent_encode(name) + "=" + percent_encode(value);
    }
    return out;
}

std::optional<http::Params> decode_pairs(std::string_view text) {
    http::Params out;
    while (!text.empty()) {
        auto amp = text.find('&');
        auto pair = text.substr(0, amp);
        if (!pair.empty()) {
            auto eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq));
            auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
            if (!name || !value) return std::nullopt;
            out.emplace(std::move(*name), std::move(*value));  // first value wins
        }
        if (amp == std::string_view::npos) break;
        text.remove_prefix(amp + 1);
    }
    return out;
}

std::optional<std::string> origin_of(std::string_view url) {
    std::string lower(url);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string_view rest = lower;
    std::string_view scheme;
    if (rest.starts_with("https://")) {
        scheme = "https://";
    } else if (rest.starts_with("http://")) {
        scheme = "http://";
    } else {
        return std::nullopt;
    }
    rest.remove_prefix(scheme.size());
    auto end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, end);
    // No userinfo: "https://good.example@evil.example" must not pass for good.example.
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    return std::string(scheme) + std::string(authority);
}

bool is_loopback_url(std::string_view url) {
    auto origin = origin_of(url);
    if (!origin) return false;
    std::string_view host = *origin;
    host.remove_prefix(host.find("//") + 2);
    if (host.starts_with("[::1]")) {
        host.remove_prefix(5);
    } else {
        auto colon = host.find(':');
        auto name = host.substr(0, colon);
        if (name != "localhost" && name != "127.0.0.1") return false;
        host.remove_prefix(name.size());
    }
    return host.empty() || host.front() == ':';
}

}  // namespace otts::url
