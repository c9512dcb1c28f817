#include "core/api/error_bodies.hpp"

#include <catch2/catch.hpp>

using namespace otts;
using namespace otts::api;

namespace {
nlohmann::json body(ErrorShape family, ErrorCode code, std::string detail = {}) {
    return nlohmann::json::parse(error_response(family, make_error(code, std::move(detail))).body);
}
}  // namespace

TEST_CASE("the family of a route follows its path prefix, segment by segment", "[api]") {
    CHECK(shape_for_path("/token") == ErrorShape::s0);
    CHECK(shape_for_path("/token/redeem") == ErrorShape::s0);
    CHECK(shape_for_path("/tokens") == ErrorShape::s1);
    CHECK(shape_for_path("/tokenzzz") == ErrorShape::neutral);
    CHECK(shape_for_path("/secrets/abc") == ErrorShape::s0_secrets);
    CHECK(shape_for_path("/nope") == ErrorShape::neutral);
    CHECK(shape_for_path("/v1/nope") == ErrorShape::s3);
    CHECK(shape_for_path("/v1/auth/request-pin") == ErrorShape::s3);
    CHECK(shape_for_path("/user/auth/jwt-token") == ErrorShape::s4);
    CHECK(shape_for_path("/@connections/abc") == ErrorShape::s4);
    CHECK(shape_for_path("/_otts/health") == ErrorShape::s3);
}

TEST_CASE("a path of no family answers a string error and a message", "[api]") {
    CHECK(body(ErrorShape::neutral, ErrorCode::route_not_found) ==
          nlohmann::json{{"error", "not_found"}, {"message", "no such route"}});
}

TEST_CASE("each family keeps its original error body shape", "[api]") {
    CHECK(body(ErrorShape::s0, ErrorCode::pow_invalid) == nlohmann::json{{"error", "invalid_pow"}});
    CHECK(body(ErrorShape::s1, ErrorCode::token_used) ==
          nlohmann::json{{"isValid", false}, {"message", "token already used"}});
    const auto s3 = body(ErrorShape::s3, ErrorCode::pin_invalid, "2 tries left");
    CHECK(s3["error"]["code"] == "invalid_pin");
    CHECK(s3["error"]["message"] == "2 tries left");
    CHECK(body(ErrorShape::s4, ErrorCode::invalid_token)["success"] == false);
}

TEST_CASE("error responses carry the table's status and no-store", "[api]") {
    const auto r = error_response(ErrorShape::s0, make_error(ErrorCode::token_used));
    CHECK(r.status == 409);
    CHECK(r.headers.at("cache-control") == "no-store");
    CHECK(r.headers.at("content-type") == "application/json");
}

namespace {
http::Response respond(ErrorShape family, ErrorCode code, std::string detail = {}) {
    return error_response(family, make_error(code, std::move(detail)));
}
}  // namespace

TEST_CASE("S3's auth routes answer with the original's codes and statuses", "[api]") {
    struct Row {
        ErrorCode code;
        int status;
        const char* name;
    };
    for (const auto& row :
         {Row{ErrorCode::bad_request, 400, "invalid_request"}, Row{ErrorCode::license_invalid, 400, "invalid_license"},
          Row{ErrorCode::token_expired, 400, "license_expired"},
          Row{ErrorCode::token_not_yet_valid, 400, "license_not_valid_yet"},
          Row{ErrorCode::token_used, 401, "invalid_token"}, Row{ErrorCode::invalid_token, 401, "invalid_token"},
          Row{ErrorCode::pin_invalid, 400, "invalid_pin"}, Row{ErrorCode::rate_limited, 429, "rate_limit_exceeded"},
          Row{ErrorCode::pin_cooldown, 429, "rate_limited"}, Row{ErrorCode::unauthenticated, 401, "unauthorized"},
          Row{ErrorCode::email_mismatch, 400, "email_mismatch"},
          Row{ErrorCode::license_mismatch, 400, "license_mismatch"}, Row{ErrorCode::store_error, 503, "store_error"}}) {
        INFO(row.name);
        const auto r = respond(ErrorShape::s3_auth, row.code, "why");
        CHECK(r.status == row.status);
        CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"error", {{"code", row.name}, {"message", "why"}}}});
    }
}

TEST_CASE("S3's shape elsewhere (/_otts, unknown paths) keeps the table's names and statuses", "[api]") {
    CHECK(respond(ErrorShape::s3, ErrorCode::bad_request).status == 400);
    CHECK(body(ErrorShape::s3, ErrorCode::bad_request)["error"]["code"] == "bad_request");
    CHECK(respond(ErrorShape::s3, ErrorCode::pin_invalid).status == 401);
    CHECK(body(ErrorShape::s3, ErrorCode::rate_limited)["error"]["code"] == "rate_limited");
}

TEST_CASE("S2 answers {error: message}, or {error: title, message} where the original titles it", "[api]") {
    CHECK(body(ErrorShape::s2, ErrorCode::unauthenticated, "Not authenticated") ==
          nlohmann::json{{"error", "Not authenticated"}});
    CHECK(respond(ErrorShape::s2, ErrorCode::unauthenticated).status == 401);
    CHECK(body(ErrorShape::s2, ErrorCode::csrf_failed, "Missing X-L42-CSRF header") ==
          nlohmann::json{{"error", "CSRF validation failed"}, {"message", "Missing X-L42-CSRF header"}});
    CHECK(respond(ErrorShape::s2, ErrorCode::csrf_failed).status == 403);
    CHECK(body(ErrorShape::s2, ErrorCode::refresh_refused, "revoked") ==
          nlohmann::json{{"error", "Refresh failed"}, {"message", "revoked"}});
    CHECK(respond(ErrorShape::s2, ErrorCode::refresh_refused).status == 401);
    CHECK(body(ErrorShape::s2, ErrorCode::server_error, "down")["error"] == "Refresh failed");
    CHECK(respond(ErrorShape::s2, ErrorCode::server_error).status == 502);
    CHECK(respond(ErrorShape::s2, ErrorCode::invalid_token).status == 403);
    // What the router and the transport answer under /auth keeps the table's status.
    CHECK(respond(ErrorShape::s2, ErrorCode::route_not_found).status == 404);
    CHECK(body(ErrorShape::s2, ErrorCode::payload_too_large) == nlohmann::json{{"error", "request body too large"}});
}

TEST_CASE("S4 refuses a session without the CSRF header in its shape", "[api]") {
    const auto r = respond(ErrorShape::s4, ErrorCode::csrf_failed);
    CHECK(r.status == 403);
    CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"success", false}, {"error", "CSRF validation failed"}});
}

TEST_CASE("the dev IdP's token endpoint answers RFC 6749 errors, described only by a detail", "[api]") {
    CHECK(body(ErrorShape::oauth, ErrorCode::bad_request, "malformed form body") ==
          nlohmann::json{{"error", "invalid_request"}, {"error_description", "malformed form body"}});
    CHECK(respond(ErrorShape::oauth, ErrorCode::invalid_token, "code was already used").status == 400);
    CHECK(body(ErrorShape::oauth, ErrorCode::invalid_token, "x")["error"] == "invalid_grant");
    CHECK(body(ErrorShape::oauth, ErrorCode::unsupported, "x")["error"] == "unsupported_grant_type");
    CHECK(body(ErrorShape::oauth, ErrorCode::internal) == nlohmann::json{{"error", "server_error"}});
    CHECK(respond(ErrorShape::oauth, ErrorCode::internal).status == 500);
}

TEST_CASE("the dev IdP's Cognito API answers 400 with an exception type", "[api]") {
    for (const auto& [code, type] :
         std::vector<std::pair<ErrorCode, std::string>>{{ErrorCode::route_not_found, "InvalidAction"},
                                                        {ErrorCode::bad_request, "SerializationException"},
                                                        {ErrorCode::unsupported, "InvalidParameterException"},
                                                        {ErrorCode::invalid_token, "NotAuthorizedException"}}) {
        INFO(type);
        const auto r = respond(ErrorShape::cognito, code, "why");
        CHECK(r.status == 400);
        CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"__type", type}, {"message", "why"}});
        CHECK(r.headers.at("Content-Type") == "application/x-amz-json-1.1");
    }
}

TEST_CASE("an HTML error page escapes its message", "[api]") {
    const auto r = respond(ErrorShape::html, ErrorCode::bad_request, "<b>&'\"</b>");
    CHECK(r.status == 400);
    CHECK(r.body == "<!doctype html><p>&lt;b&gt;&amp;&#39;&quot;&lt;/b&gt;</p>\n");
    CHECK(r.headers.at("Content-Type") == "text/html; charset=utf-8");
    CHECK(error_status(ErrorShape::html, make_error(ErrorCode::bad_request)) == 400);
}

TEST_CASE("retry_later is the error with Retry-After", "[api]") {
    const auto r = retry_later(ErrorShape::s0, make_error(ErrorCode::rate_limited), 42);
    CHECK(r.status == 429);
    CHECK(r.headers.at("Retry-After") == "42");
    CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"error", "rate_limited"}});
}
