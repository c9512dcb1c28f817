#include "core/api/api_client.hpp"

#include <catch2/catch.hpp>

using namespace otts;
using otts::api::error_from_response;

namespace {

http::Response response_of(int status, std::string body) {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

ErrorCode code_of(int status, std::string body) {
    return error_from_response(response_of(status, std::move(body))).code;
}

}  // namespace

TEST_CASE("server errors map back to the error codes they name, in every family's shape", "[cli][remote]") {
    CHECK(code_of(409, R"({"error":"token_used"})") == ErrorCode::token_used);    // S0
    CHECK(code_of(403, R"({"error":"invalid_pow"})") == ErrorCode::pow_invalid);  // S0
    CHECK(code_of(401, R"({"error":{"code":"invalid_pin","message":"4 tries left"}})") ==
          ErrorCode::pin_invalid);                                                                        // S3
    CHECK(code_of(401, R"({"isValid":false,"message":"Token already used"})") == ErrorCode::token_used);  // S1
    CHECK(code_of(401, R"({"isValid":false,"message":"Token has expired"})") == ErrorCode::token_expired);
    CHECK(code_of(401, R"({"isValid":false,"message":"Token not found"})") == ErrorCode::token_not_found);
    CHECK(code_of(401, R"({"success":false,"error":"Unauthorized"})") == ErrorCode::invalid_token);  // S4
}

TEST_CASE("unknown error shapes fall back on the HTTP status", "[cli][remote]") {
    CHECK(code_of(429, "slow down") == ErrorCode::rate_limited);
    CHECK(code_of(502, "<html>Bad Gateway</html>") == ErrorCode::server_error);
    CHECK(code_of(404, R"({"message":"Not Found"})") == ErrorCode::token_not_found);
    CHECK(code_of(409, R"({"error":"something_new"})") == ErrorCode::token_used);
}

TEST_CASE("the server's message is kept for the user", "[cli][remote]") {
    const auto e =
        error_from_response(response_of(401, R"({"error":{"code":"invalid_pin","message":"4 tries left"}})"));
    CHECK(e.message() == "4 tries left");
}

TEST_CASE("a string error with a message keeps the message: S0's invalid_request, unknown paths", "[cli][remote]") {
    const auto invalid = error_from_response(
        response_of(400, R"({"error":"invalid_request","message":"maxViews must be an integer from 1 to 5"})"));
    CHECK(invalid.code == ErrorCode::bad_request);
    CHECK(invalid.message() == "server answered 400: maxViews must be an integer from 1 to 5");
    const auto missing = error_from_response(response_of(404, R"({"error":"not_found","message":"no such route"})"));
    CHECK(missing.code == ErrorCode::route_not_found);
    CHECK(missing.message() == "server answered 404: no such route");
    CHECK(error_from_response(response_of(404, R"({"error":"not_available"})")).code == ErrorCode::token_not_found);
}
