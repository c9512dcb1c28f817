#include "adapters/aws/sigv4.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include "core/encoding/base64.hpp"
#include "core/http/url.hpp"
#include "core/jose/crypto.hpp"

namespace otts::aws::sigv4 {
namespace {

constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_escape_at(std::string_view text, std::size_t i) {
    return text[i] == '%' && i + 2 < text.size() && hex_decode(text.substr(i + 1, 2)).has_value();
}

void append_escape(std::string& out, unsigned char c) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    out += '%';
    out += k_hex[c >> 4];
    out += k_hex[c & 0xF];
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Headers a proxy or the transport may add, change or drop on the way (hop-by-hop headers,
// User-Agent, tracing); signing them would make the signature fragile. Authorization is the
// signature itself.
bool is_unsigned_header(std::string_view lower_name) {
    static constexpr std::array<std::string_view, 10> k_names = {
        "authorization", "connection", "expect",     "proxy-authorization", "te",
        "trailer",       "upgrade",    "user-agent", "transfer-encoding",   "x-amzn-trace-id"};
    return std::find(k_names.begin(), k_names.end(), lower_name) != k_names.end();
}

// Trimmed, with every run of whitespace (folded header lines included) made one space.
std::string canonical_value(std::string_view value) {
    std::string out;
    bool pending_space = false;
    for (char c : value) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

// RFC 3986 §5.2.4 plus the removal of empty segments, as the non-S3 services expect: "//a/./b/.."
// becomes "/a". A trailing '/' of the input is kept.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> kept;
    for (std::size_t start = 0; start <= path.size();) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const auto segment = path.substr(start, end - start);
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
        } else if (!segment.empty() && segment != ".") {
            kept.push_back(segment);
        }
        start = end + 1;
    }
    std::string out;
    for (auto segment : kept) {
        out += '/';
        out += segment;
    }
    if (out.empty() || path.back() == '/') out += '/';
    return out;
}

// S3 signs the path encoded once: escapes already on the wire stay as they are.
std::string encode_keeping_escapes(std::string_view path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (is_escape_at(path, i)) {
            out += path.substr(i, 3);
            i += 2;
        } else if (is_unreserved(path[i]) || path[i] == '/') {
            out += path[i];
        } else {
            append_escape(out, static_cast<unsigned char>(path[i]));
        }
    }
    return out;
}

// `headers` without the ones named in `replaced` (case-insensitively).
std::vector<Header> without(const std::vector<Header>& headers, const std::vector<Header>& replaced) {
    std::vector<Header> out;
    for (const auto& header : headers) {
        const bool drop = std::any_of(replaced.begin(), replaced.end(),
                                      [&](const Header& r) { return lower(r.name) == lower(header.name); });
        if (!drop) out.push_back(header);
    }
    return out;
}

// Canonical request, string to sign and signature over already prepared parts.
Signed finish(const Request& request, const Credentials& credentials, const Options& options,
              const std::vector<QueryParam>& query, const CanonicalHeaders& headers, std::string_view payload_hash) {
    Signed out;
    out.canonical_request = canonical_request(request.method, canonical_path(request.path, options),
                                              canonical_query(query), headers, payload_hash);
    const auto scope = credential_scope(options.time, options.region, options.service);
    out.string_to_sign = string_to_sign(options.time, scope, out.canonical_request);
    const auto key = signing_key(credentials.secret_access_key, options.time, options.region, options.service);
    out.signature = signature(key, out.string_to_sign);
    return out;
}

std::string credential(const Credentials& credentials, const Options& options) {
    return credentials.access_key_id + "/" + credential_scope(options.time, options.region, options.service);
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_unreserved(byte) || (keep_slash && c == '/')) {
            out += c;
        } else {
            append_escape(out, byte);
        }
    }
    return out;
}

std::string canonical_path(std::string_view wire_path, const Options& options) {
    std::string path = options.normalize_path ? remove_dot_segments(wire_path) : std::string(wire_path);
    if (path.empty()) path = "/";
    return options.double_encode_path ? uri_encode(path, true) : encode_keeping_escapes(path);
}

std::string canonical_query(const std::vector<QueryParam>& query) {
    std::vector<QueryParam> encoded;
    encoded.reserve(query.size());
    for (const auto& [name, value] : query) encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [name, value] : encoded) {
        if (!out.empty()) out += '&';
        out += name + "=" + value;
    }
    return out;
}

CanonicalHeaders canonical_headers(const std::vector<Header>& headers) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& header : headers) {
        auto name = lower(header.name);
        if (!is_unsigned_header(name)) entries.emplace_back(std::move(name), canonical_value(header.value));
    }
    // Stable: the values of a repeated header keep the order they were sent in.
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    CanonicalHeaders out;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const bool repeat = i > 0 && entries[i].first == entries[i - 1].first;
        if (repeat) {
            out.text.insert(out.text.size() - 1, "," + entries[i].second);
            continue;
        }
        out.text += entries[i].first + ":" + entries[i].second + "\n";
        if (!out.signed_headers.empty()) out.signed_headers += ';';
        out.signed_headers += entries[i].first;
    }
    return out;
}

std::string canonical_request(std::string_view method, std::string_view canonical_path,
                              std::string_view canonical_query, const CanonicalHeaders& headers,
                              std::string_view payload_hash) {
    std::string out;
    out.append(method).append("\n");
    out.append(canonical_path).append("\n");
    out.append(canonical_query).append("\n");
    out.append(headers.text).append("\n");
    out.append(headers.signed_headers).append("\n");
    out.append(payload_hash);
    return out;
}

std::string amz_date(UnixSeconds time) {
    const std::time_t t = time;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
    return buffer;
}

std::optional<UnixSeconds> parse_amz_date(std::string_view text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
    auto number = [&](std::size_t at, std::size_t len) {
        int value = 0;
        for (std::size_t i = at; i < at + len; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    std::tm tm{};
    tm.tm_year = number(0, 4) - 1900;
    tm.tm_mon = number(4, 2) - 1;
    tm.tm_mday = number(6, 2);
    tm.tm_hour = number(9, 2);
    tm.tm_min = number(11, 2);
    tm.tm_sec = number(13, 2);
    if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0) {
        return std::nullopt;
    }
    return static_cast<UnixSeconds>(timegm(&tm));
}

std::string credential_scope(UnixSeconds time, std::string_view region, std::string_view service) {
    std::string out = amz_date(time).substr(0, 8);
    out.append("/").append(region).append("/").append(service).append("/aws4_request");
    return out;
}

std::string string_to_sign(UnixSeconds time, std::string_view scope, std::string_view canonical_request) {
    std::string out(k_algorithm);
    out.append("\n").append(amz_date(time)).append("\n").append(scope).append("\n");
    out += hex_encode(crypto::sha256(canonical_request));
    return out;
}

std::string signing_key(std::string_view secret, UnixSeconds time, std::string_view region, std::string_view service) {
    const auto date_key = crypto::hmac_sha256("AWS4" + std::string(secret), amz_date(time).substr(0, 8));
    const auto region_key = crypto::hmac_sha256(date_key, region);
    const auto service_key = crypto::hmac_sha256(region_key, service);
    return crypto::hmac_sha256(service_key, "aws4_request");
}

std::string signature(std::string_view signing_key, std::string_view string_to_sign) {
    return hex_encode(crypto::hmac_sha256(signing_key, string_to_sign));
}

Signed sign_headers(const Request& request, const Credentials& credentials, const Options& options) {
    const auto payload_hash = hex_encode(crypto::sha256(request.body));
    std::vector<Header> added{{"X-Amz-Date", amz_date(options.time)}};
    const bool token = credentials.session_token.has_value();
    if (token) added.push_back({"X-Amz-Security-Token", *credentials.session_token});
    if (options.sign_body) added.push_back({"x-amz-content-sha256", payload_hash});

    auto headers = without(request.headers, added);
    for (const auto& header : added) {
        const bool unsigned_token = token && options.omit_session_token && header.name == "X-Amz-Security-Token";
        if (!unsigned_token) headers.push_back(header);
    }
    const auto canonical = canonical_headers(headers);
    auto out = finish(request, credentials, options, request.query, canonical, payload_hash);
    out.authorization = std::string(k_algorithm) + " Credential=" + credential(credentials, options) +
                        ", SignedHeaders=" + canonical.signed_headers + ", Signature=" + out.signature;
    added.push_back({"Authorization", out.authorization});
    out.add_headers = std::move(added);
    return out;
}

Signed presign_query(const Request& request, const Credentials& credentials, const Options& options) {
    const auto canonical = canonical_headers(request.headers);
    std::vector<QueryParam> added{{"X-Amz-Algorithm", std::string(k_algorithm)},
                                  {"X-Amz-Credential", credential(credentials, options)},
                                  {"X-Amz-Date", amz_date(options.time)},
                                  {"X-Amz-Expires", std::to_string(options.expires_seconds)}};
    const bool token = credentials.session_token.has_value();
    if (token && !options.omit_session_token) added.emplace_back("X-Amz-Security-Token", *credentials.session_token);
    added.emplace_back("X-Amz-SignedHeaders", canonical.signed_headers);

    auto query = request.query;
    query.insert(query.end(), added.begin(), added.end());
    auto out = finish(request, credentials, options, query, canonical, hex_encode(crypto::sha256(request.body)));
    added.emplace_back("X-Amz-Signature", out.signature);
    if (token && options.omit_session_token) added.emplace_back("X-Amz-Security-Token", *credentials.session_token);
    out.add_query = std::move(added);
    return out;
}

}  // namespace otts::aws::sigv4
