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
    CHECK(shape_for_path("/tokenzzz") == ErrorShape::s3);
    CHECK(shape_for_path("/v1/auth/request-pin") == ErrorShape::s3);
    CHECK(shape_for_path("/user/auth/jwt-token") == ErrorShape::s4);
    CHECK(shape_for_path("/@connections/abc") == ErrorShape::s4);
    CHECK(shape_for_path("/_otts/health") == ErrorShape::s3);
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
