#include "adapters/aws/sigv4.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/http/url.hpp"
#include "tests/support/vectors.hpp"

using namespace otts;
using namespace otts::aws;
namespace fs = std::filesystem;

namespace {

// The secret of both suites (their README); the access key is read from each case.
constexpr const char* k_secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// Cases the request parser below cannot represent, with the reason. Every case found and not
// listed here is checked; a case added to the suites later is checked without a code change.
const std::map<std::string, std::string> k_not_representable = {};

struct HttpText {
    sigv4::Request request;
    std::string request_line;
};

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto line = std::string(text.substr(start, end - start));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

// "METHOD target HTTP/1.1", headers (folded lines continue the previous value), a blank line,
// the body. The target may hold spaces ("/example space/"), so the version is cut off the end.
HttpText parse_http(std::string_view text) {
    HttpText out;
    const auto blank = text.find("\n\n");
    const auto head = text.substr(0, blank);
    if (blank != std::string_view::npos) out.request.body = std::string(text.substr(blank + 2));
    const auto lines = split_lines(head);
    out.request_line = lines.at(0);
    const auto first_space = out.request_line.find(' ');
    const auto last_space = out.request_line.rfind(' ');
    out.request.method = out.request_line.substr(0, first_space);
    const auto target = out.request_line.substr(first_space + 1, last_space - first_space - 1);
    const auto question = target.find('?');
    out.request.path = target.substr(0, question);
    if (question != std::string::npos)
        out.request.query = url::parse_query(target.substr(question + 1), url::Plus::literal);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto& line = lines[i];
        if (line.empty()) continue;
        if ((line[0] == ' ' || line[0] == '\t') && !out.request.headers.empty()) {
            out.request.headers.back().value.append(" ").append(trim(line));
            continue;
        }
        const auto colon = line.find(':');
        out.request.headers.push_back({line.substr(0, colon), trim(line.substr(colon + 1))});
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::optional<std::string> header_of(const sigv4::Request& request, const std::string& name) {
    for (const auto& h : request.headers) {
        if (lower(h.name) == lower(name)) return h.value;
    }
    return std::nullopt;
}

// Headers as a sorted list of "name:value" with the values canonicalised, for set comparison.
std::vector<std::string> header_set(const std::vector<sigv4::Header>& headers) {
    std::vector<std::string> out;
    for (const auto& h : headers) {
        auto value = h.value;
        value.erase(std::unique(value.begin(), value.end(), [](char a, char b) { return a == ' ' && b == ' '; }),
                    value.end());
        out.push_back(lower(h.name) + ":" + trim(value));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The request as sent: its headers with the signer's added ones in place of same-named ones.
std::vector<sigv4::Header> applied(const sigv4::Request& request, const sigv4::Signed& signed_request) {
    std::vector<sigv4::Header> out;
    for (const auto& h : request.headers) {
        const bool replaced = std::any_of(signed_request.add_headers.begin(), signed_request.add_headers.end(),
                                          [&](const sigv4::Header& a) { return lower(a.name) == lower(h.name); });
        if (!replaced) out.push_back(h);
    }
    out.insert(out.end(), signed_request.add_headers.begin(), signed_request.add_headers.end());
    return out;
}

std::vector<sigv4::QueryParam> sorted(std::vector<sigv4::QueryParam> query) {
    std::sort(query.begin(), query.end());
    return query;
}

// Case folders (those holding `marker`, or `<folder name><marker>`), sorted, at any depth.
std::vector<fs::path> case_dirs(const fs::path& root, const std::string& marker, bool prefixed) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_directory()) continue;
        const auto name = entry.path().filename().string();
        if (fs::exists(entry.path() / (prefixed ? name + marker : marker))) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string relative_name(const fs::path& dir, const fs::path& root) { return fs::relative(dir, root).string(); }

std::optional<fs::path> suite_root(const char* suite) {
    const auto dir = test::vectors_dir();
    if (!dir) return std::nullopt;
    return *dir / "sigv4" / suite;
}

bool listed_as_not_representable(const std::string& name) {
    const auto it = k_not_representable.find(name);
    if (it == k_not_representable.end()) return false;
    WARN("sigv4 case " << name << " not checked: " << it->second);
    return true;
}

// --- aws4_testsuite: .req, .creq, .sts, .authz, .sreq -----------------------------------------

struct ClassicCase {
    HttpText req;
    HttpText sreq;
    std::vector<std::string> sts_lines;
    std::string creq, sts, authz;
};

ClassicCase read_classic(const fs::path& dir) {
    const auto base = dir / dir.filename();
    auto file = [&](const char* ext) { return test::read_text(base.string() + ext); };
    ClassicCase c{parse_http(file(".req")), parse_http(file(".sreq")), {}, file(".creq"), file(".sts"), file(".authz")};
    c.sts_lines = split_lines(c.sts);
    return c;
}

// The session token the .creq signs, as botocore's runner finds it: the value of an
// `x-amz-security-token:` line. nullopt when the request was signed without one.
std::optional<std::string> signed_token(const std::string& creq) {
    for (const auto& line : split_lines(creq)) {
        constexpr std::string_view k_prefix = "x-amz-security-token:";
        if (std::string_view(line).starts_with(k_prefix)) return line.substr(k_prefix.size());
    }
    return std::nullopt;
}

// The suite has no context file: time and scope come from the .sts, the access key from the
// .authz. Whether a session token is signed is read from the .creq (as botocore's runner
// does), whatever the .req holds: the signer adds it. A token only the .sreq carries was added
// after signing, unsigned.
void check_classic(const ClassicCase& c) {
    REQUIRE(c.sts_lines.size() == 4);
    std::vector<std::string> parts;  // date/region/service/aws4_request
    for (std::size_t start = 0, slash; start <= c.sts_lines[2].size(); start = slash + 1) {
        slash = c.sts_lines[2].find('/', start);
        if (slash == std::string::npos) slash = c.sts_lines[2].size();
        parts.push_back(c.sts_lines[2].substr(start, slash - start));
    }
    REQUIRE(parts.size() == 4);
    const auto time = sigv4::parse_amz_date(c.sts_lines[1]);
    REQUIRE(time);
    const auto credential = c.authz.substr(c.authz.find("Credential=") + 11);
    Credentials credentials{credential.substr(0, credential.find('/')), k_secret_key, std::nullopt};
    sigv4::Options options{parts[1], parts[2], *time};
    if (auto token = signed_token(c.creq)) {
        credentials.session_token = std::move(token);
    } else if (auto unsigned_token = header_of(c.sreq.request, "X-Amz-Security-Token")) {
        credentials.session_token = std::move(unsigned_token);
        options.omit_session_token = true;
    }

    const auto result = sigv4::sign_headers(c.req.request, credentials, options);
    CHECK(result.canonical_request == c.creq);
    CHECK(result.string_to_sign == c.sts);
    CHECK(result.authorization == c.authz);
    CHECK(header_set(applied(c.req.request, result)) == header_set(c.sreq.request.headers));
}

// --- aws-c-auth-v4: context.json, request.txt, header-*.txt, query-*.txt -----------------------

sigv4::Options options_of(const nlohmann::json& context) {
    std::string stamp = context.at("timestamp").get<std::string>();
    stamp.erase(std::remove_if(stamp.begin(), stamp.end(), [](char ch) { return ch == '-' || ch == ':'; }),
                stamp.end());
    const auto time = sigv4::parse_amz_date(stamp);
    REQUIRE(time);
    sigv4::Options options{context.at("region").get<std::string>(), context.at("service").get<std::string>(), *time};
    options.normalize_path = context.value("normalize", true);
    options.sign_body = context.value("sign_body", false);
    options.omit_session_token = context.value("omit_session_token", false);
    options.expires_seconds = context.value("expiration_in_seconds", 3600);
    return options;
}

Credentials credentials_of(const nlohmann::json& context) {
    const auto& c = context.at("credentials");
    Credentials out{c.at("access_key_id").get<std::string>(), c.at("secret_access_key").get<std::string>(),
                    std::nullopt};
    if (c.contains("token")) out.session_token = c.at("token").get<std::string>();
    return out;
}

void check_crt_header_form(const fs::path& dir, const sigv4::Request& request, const Credentials& credentials,
                           const sigv4::Options& options) {
    const auto result = sigv4::sign_headers(request, credentials, options);
    CHECK(result.canonical_request == test::read_text(dir / "header-canonical-request.txt"));
    CHECK(result.string_to_sign == test::read_text(dir / "header-string-to-sign.txt"));
    CHECK(result.signature == test::read_text(dir / "header-signature.txt"));
    const auto signed_request = parse_http(test::read_text(dir / "header-signed-request.txt"));
    CHECK(header_of(signed_request.request, "Authorization") == result.authorization);
    CHECK(header_set(applied(request, result)) == header_set(signed_request.request.headers));
}

void check_crt_query_form(const fs::path& dir, const sigv4::Request& request, const Credentials& credentials,
                          const sigv4::Options& options) {
    const auto result = sigv4::presign_query(request, credentials, options);
    CHECK(result.canonical_request == test::read_text(dir / "query-canonical-request.txt"));
    CHECK(result.string_to_sign == test::read_text(dir / "query-string-to-sign.txt"));
    CHECK(result.signature == test::read_text(dir / "query-signature.txt"));
    const auto signed_request = parse_http(test::read_text(dir / "query-signed-request.txt"));
    auto sent = request.query;
    sent.insert(sent.end(), result.add_query.begin(), result.add_query.end());
    CHECK(sorted(sent) == sorted(signed_request.request.query));
    CHECK(header_set(request.headers) == header_set(signed_request.request.headers));
}

}  // namespace

TEST_CASE("sigv4: aws4_testsuite cases", "[sigv4]") {
    const auto root = suite_root("aws4_testsuite");
    if (!root) return;
    const auto cases = case_dirs(*root, ".req", true);
    REQUIRE(!cases.empty());
    for (const auto& dir : cases) {
        const auto name = relative_name(dir, *root);
        if (listed_as_not_representable(name)) continue;
        INFO("aws4_testsuite case " << name);
        check_classic(read_classic(dir));
    }
}

TEST_CASE("sigv4: aws-c-auth-v4 cases, header and query forms", "[sigv4]") {
    const auto root = suite_root("aws-c-auth-v4");
    if (!root) return;
    const auto cases = case_dirs(*root, "context.json", false);
    REQUIRE(!cases.empty());
    for (const auto& dir : cases) {
        const auto name = relative_name(dir, *root);
        if (listed_as_not_representable(name)) continue;
        INFO("aws-c-auth-v4 case " << name);
        const auto context = test::read_json(dir / "context.json");
        const auto request = parse_http(test::read_text(dir / "request.txt")).request;
        check_crt_header_form(dir, request, credentials_of(context), options_of(context));
        check_crt_query_form(dir, request, credentials_of(context), options_of(context));
    }
}

TEST_CASE("sigv4: uri_encode keeps only the unreserved characters", "[sigv4]") {
    CHECK(sigv4::uri_encode("-._~AZaz09", false) == "-._~AZaz09");
    CHECK(sigv4::uri_encode("a b/c+d=e", false) == "a%20b%2Fc%2Bd%3De");
    CHECK(sigv4::uri_encode("/a b/", true) == "/a%20b/");
    CHECK(sigv4::uri_encode("\xE1\x88\xB4", false) == "%E1%88%B4");
}

TEST_CASE("sigv4: paths are normalised and encoded twice, except for S3", "[sigv4]") {
    sigv4::Options service{"us-east-1", "service", 0};
    CHECK(sigv4::canonical_path("", service) == "/");
    CHECK(sigv4::canonical_path("//a/./b/../c//", service) == "/a/c/");
    CHECK(sigv4::canonical_path("/a%20b", service) == "/a%2520b");
    sigv4::Options s3{"us-east-1", "s3", 0};
    s3.normalize_path = false;
    s3.double_encode_path = false;
    CHECK(sigv4::canonical_path("/my-object//example//photo.user", s3) == "/my-object//example//photo.user");
    CHECK(sigv4::canonical_path("/a%20b c", s3) == "/a%20b%20c");
}

TEST_CASE("sigv4: header values are trimmed, inner spaces folded and names sorted", "[sigv4]") {
    const auto canonical = sigv4::canonical_headers(
        {{"My-Header2", "  \"a   b   c\"  "}, {"Host", "example.amazonaws.com"}, {"My-Header1", "value1"}});
    CHECK(canonical.text == "host:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n");
    CHECK(canonical.signed_headers == "host;my-header1;my-header2");
}

TEST_CASE("sigv4: hop-by-hop headers and User-Agent are not signed", "[sigv4]") {
    const auto canonical =
        sigv4::canonical_headers({{"Host", "h"}, {"User-Agent", "x"}, {"Connection", "keep-alive"}, {"X-A", "1"}});
    CHECK(canonical.signed_headers == "host;x-a");
}

TEST_CASE("sigv4: amz dates round-trip and malformed ones are rejected", "[sigv4]") {
    CHECK(sigv4::amz_date(1440938160) == "20150830T123600Z");
    CHECK(sigv4::parse_amz_date("20150830T123600Z") == 1440938160);
    CHECK_FALSE(sigv4::parse_amz_date("2015-08-30T12:36:00Z"));
    CHECK_FALSE(sigv4::parse_amz_date("20150830T12360xZ"));
}

TEST_CASE("sigv4: a session token is signed as X-Amz-Security-Token unless omitted", "[sigv4]") {
    const sigv4::Request request{"POST", "/", {}, {{"Host", "example.amazonaws.com"}}, "{}"};
    Credentials credentials{"AKIDEXAMPLE", k_secret_key, "TOKEN"};
    sigv4::Options options{"us-east-1", "dynamodb", 1440938160};
    const auto signed_in = sigv4::sign_headers(request, credentials, options);
    CHECK(signed_in.authorization.find("SignedHeaders=host;x-amz-date;x-amz-security-token,") != std::string::npos);
    options.omit_session_token = true;
    const auto added_after = sigv4::sign_headers(request, credentials, options);
    CHECK(added_after.authorization.find("SignedHeaders=host;x-amz-date,") != std::string::npos);
    const auto& added = added_after.add_headers;
    CHECK(std::any_of(added.begin(), added.end(), [](const auto& h) { return h.name == "X-Amz-Security-Token"; }));
}
