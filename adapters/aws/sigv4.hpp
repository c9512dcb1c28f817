#pragma once
// AWS Signature Version 4 (AWS4-HMAC-SHA256), pure: no clock, no I/O. Two forms:
//   sign_headers  - the Authorization header form every AWS JSON call uses;
//   presign_query - the presigned-URL form (X-Amz-* query parameters).
// The pieces (canonical request, string to sign, signing key, signature) are exposed so the
// AWS test suites can check each step.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ports/clock.hpp"

namespace otts::aws {

struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::optional<std::string> session_token;  // what Lambda provides; signed as X-Amz-Security-Token
};

namespace sigv4 {

struct Header {
    std::string name;
    std::string value;
};
using QueryParam = std::pair<std::string, std::string>;  // decoded name and value

// A request as the signer sees it; order and repetition of headers and parameters are kept.
struct Request {
    std::string method;
    std::string path;               // as sent on the wire (before '?'), e.g. "/v2/email/outbound-emails"
    std::vector<QueryParam> query;  // decoded names and values
    std::vector<Header> headers;    // must include Host
    std::string body;
};

struct Options {
    std::string region;
    std::string service;
    UnixSeconds time = 0;
    bool normalize_path = true;           // remove "." / ".." and empty segments; false only for S3
    bool double_encode_path = true;       // encode the wire path again ('%' -> %25); false only for S3
    bool sign_body = false;               // header form: add and sign x-amz-content-sha256
    bool omit_session_token = false;      // add the token after signing (unsigned), for services that want it
    std::int64_t expires_seconds = 3600;  // query form: X-Amz-Expires
};

// What signing produced. The caller applies add_headers (replacing same-named headers) or
// appends add_query to the request it sends.
struct Signed {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;      // lower-case hex
    std::string authorization;  // header form only
    // Header form: X-Amz-Date, [X-Amz-Security-Token], [x-amz-content-sha256], Authorization.
    std::vector<Header> add_headers;
    std::vector<QueryParam> add_query;  // query form: the X-Amz-* parameters, decoded, X-Amz-Signature included
};

Signed sign_headers(const Request& request, const Credentials& credentials, const Options& options);
Signed presign_query(const Request& request, const Credentials& credentials, const Options& options);

// --- the steps, for tests -------------------------------------------------------------------

// RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash) as %XX.
std::string uri_encode(std::string_view text, bool keep_slash);
// (A query string is read with url::parse_query(raw, url::Plus::literal): SigV4 keeps '+'.)

std::string canonical_path(std::string_view wire_path, const Options& options);
std::string canonical_query(const std::vector<QueryParam>& query);
// Lower-cased names, sorted; repeated names joined with ',' in order; values trimmed with inner
// runs of whitespace folded to one space. Hop-by-hop headers and Authorization are left out.
struct CanonicalHeaders {
    std::string text;            // "name:value\n" lines
    std::string signed_headers;  // "host;x-amz-date"
};
CanonicalHeaders canonical_headers(const std::vector<Header>& headers);
std::string canonical_request(std::string_view method, std::string_view canonical_path,
                              std::string_view canonical_query, const CanonicalHeaders& headers,
                              std::string_view payload_hash);

std::string amz_date(UnixSeconds time);                            // 20150830T123600Z
std::optional<UnixSeconds> parse_amz_date(std::string_view text);  // the inverse
std::string credential_scope(UnixSeconds time, std::string_view region, std::string_view service);
std::string string_to_sign(UnixSeconds time, std::string_view scope, std::string_view canonical_request);
std::string signing_key(std::string_view secret, UnixSeconds time, std::string_view region,
                        std::string_view service);                                     // 32 raw bytes
std::string signature(std::string_view signing_key, std::string_view string_to_sign);  // hex

}  // namespace sigv4
}  // namespace otts::aws
