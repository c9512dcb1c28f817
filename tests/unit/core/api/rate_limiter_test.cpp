#include "core/api/rate_limiter.hpp"

#include <catch2/catch.hpp>

using namespace otts::api;

TEST_CASE("a key is allowed `limit` hits per window, then told when to retry", "[ratelimit]") {
    RateLimiter limiter(2, 60);
    CHECK_FALSE(limiter.hit("a", 100).has_value());
    CHECK_FALSE(limiter.hit("a", 110).has_value());
    CHECK(limiter.hit("a", 130) == 30);
    CHECK_FALSE(limiter.hit("b", 130).has_value());  // keys are independent
    CHECK_FALSE(limiter.hit("a", 160).has_value());  // a new window
}
