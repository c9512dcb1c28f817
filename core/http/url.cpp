#include "core/http/url.hpp"

#include <algorithm>
#include <cctype>

#include "core/encoding/base64.hpp"

namespace otts::url {
namespace {

bool unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

// The byte of the escape "%XX" starting at text[i]; nullopt when none starts there.
std::optional<char> escape_at(std::string_view text, std::size_t i) {
    if (text[i] != '%' || i + 2 >= text.size()) return std::nullopt;
    const auto byte = hex_decode(text.substr(i + 1, 2));
    if (!byte) return std::nullopt;
    return byte->front();
}

enum class Broken { refuse, keep };

std::optional<std::string> decode(std::string_view text, Plus plus, Broken broken) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+' && plus == Plus::space) {
            out += ' ';
        } else if (text[i] != '%') {
            out += text[i];
        } else if (const auto byte = escape_at(text, i)) {
            out += *byte;
            i += 2;
        } else if (broken == Broken::keep) {
            out += '%';
        } else {
            return std::nullopt;
        }
    }
    return out;
}

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

std::optional<std::string> percent_decode(std::string_view text) { return decode(text, Plus::space, Broken::refuse); }

std::string percent_decode_lenient(std::string_view text, Plus plus) {
    return decode(text, plus, Broken::keep).value_or(std::string());  // never nullopt when kept
}

RawPairs split_pairs(std::string_view text) {
    RawPairs out;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto pair = text.substr(0, amp);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            out.emplace_back(pair.substr(0, eq),
                             eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) break;
        text.remove_prefix(amp + 1);
    }
    return out;
}

Pairs parse_query(std::string_view text, Plus plus) {
    Pairs out;
    for (const auto& [name, value] : split_pairs(text)) {
        out.emplace_back(percent_decode_lenient(name, plus), percent_decode_lenient(value, plus));
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
    for (const auto& [raw_name, raw_value] : split_pairs(text)) {
        auto name = percent_decode(raw_name);
        auto value = percent_decode(raw_value);
        if (!name || !value) return std::nullopt;
        out.emplace(std::move(*name), std::move(*value));  // first value wins
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

}  // namespace otts::url
