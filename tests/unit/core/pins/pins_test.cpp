#include "core/pins/pins.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <variant>

#include "tests/support/s3_fixture.hpp"

using otts::PinCoolingDown;
using otts::PinIssued;

namespace {

PinIssued issued(const otts::Result<otts::PinRequestOutcome>& outcome) {
    REQUIRE(outcome.ok());
    REQUIRE(std::holds_alternative<PinIssued>(*outcome));
    return std::get<PinIssued>(*outcome);
}

}  // namespace

TEST_CASE("generate_pin gives six digits, each digit value about equally often", "[pins]") {
    otts::test::SeededRandom random(7);
    std::map<char, int> counts;
    for (int i = 0; i < 20000; ++i) {
        const auto pin = otts::generate_pin(random);
        REQUIRE(pin.size() == 6);
        for (char c : pin) {
            REQUIRE((c >= '0' && c <= '9'));
            ++counts[c];
        }
    }
    for (const auto& [digit, n] : counts) CHECK(std::abs(n - 12000) < 600);
}

TEST_CASE("mask_email keeps the first letter and the domain", "[pins]") {
    CHECK(otts::mask_email("user@example.com") == "u***@example.com");
    CHECK(otts::mask_email("a@b.io") == "a***@b.io");
    CHECK(otts::mask_email("nonsense") == "***");
}

TEST_CASE("a requested PIN is mailed, stored only as an HMAC, and bound to the license", "[pins]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    const auto pin = issued(f.pins.request(license));
    CHECK(pin.email == "user@example.com");
    CHECK(pin.pin_id == "pin_" + std::to_string(f.clock.now() * 1'000'000'000LL));
    CHECK(pin.expires_at == f.clock.now() + 12 * 3600);
    CHECK_FALSE(pin.mail_error);
    const auto mailed = f.last_pin();
    REQUIRE(mailed.size() == 6);
    const auto row = f.sqlite->pins().get_pin("user@example.com", f.clock.now()).value();
    REQUIRE(row);
    CHECK(row->pin_hash == f.pins.hash("user@example.com", mailed));
    CHECK(row->pin_hash.find(mailed) == std::string::npos);
    CHECK(row->license_key_hash == license.key_hash);
    CHECK(f.pins.verify(f.license(), mailed).error().code == otts::ErrorCode::pin_invalid);  // another license
    CHECK(f.pins.verify(license, mailed).ok());
    CHECK_FALSE(f.pins.verify(license, mailed).ok());  // consumed
}

TEST_CASE("a PIN expires after PIN_TTL_HOURS", "[pins]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    issued(f.pins.request(license));
    f.clock.advance(12 * 3600);
    const auto late = f.pins.verify(license, f.last_pin());
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().message() == "Invalid or expired PIN");
}

TEST_CASE("a PIN is good through its last second, once, and dead from expires_at on", "[pins][edge]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    const auto first = issued(f.pins.request(license));
    f.clock.set(first.expires_at - 1);
    REQUIRE(f.pins.verify(license, f.last_pin()).ok());
    CHECK_FALSE(f.pins.verify(license, f.last_pin()).ok());
    const auto second = issued(f.pins.request(license));
    f.clock.set(second.expires_at);
    CHECK(f.pins.verify(license, f.last_pin()).error().message() == "Invalid or expired PIN");
}

TEST_CASE("five wrong PINs kill the PIN", "[pins]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    issued(f.pins.request(license));
    const auto right = f.last_pin();
    const auto wrong = right == "000000" ? "111111" : "000000";
    for (int i = 0; i < 5; ++i) CHECK_FALSE(f.pins.verify(license, wrong).ok());
    const auto dead = f.pins.verify(license, right);
    REQUIRE_FALSE(dead.ok());
    CHECK(dead.error().message() == "Too many wrong PINs; request a new PIN");
}

TEST_CASE("a new PIN supersedes the old one", "[pins]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    issued(f.pins.request(license));
    const auto first = f.last_pin();
    f.clock.advance(1);
    issued(f.pins.request(license));
    const auto second = f.last_pin();
    if (first != second) CHECK_FALSE(f.pins.verify(license, first).ok());
    CHECK(f.pins.verify(license, second).ok());
}

TEST_CASE("the cooldown applies only with rate limits on", "[pins]") {
    otts::test::S3Fixture f;
    const auto license = f.license();
    issued(f.pins.request(license));
    issued(f.pins.request(license));  // rate limits off: supersedes at once
    auto config = otts::test::test_pin_config();
    config.rate_limits = true;
    otts::Pins limited(f.sqlite->pins(), f.mailer, f.clock, f.random, config);
    f.clock.advance(100);
    const auto outcome = limited.request(license);
    REQUIRE(outcome.ok());
    REQUIRE(std::holds_alternative<PinCoolingDown>(*outcome));
    CHECK(std::get<PinCoolingDown>(*outcome).retry_after == 200);
    f.clock.advance(200);
    issued(limited.request(license));
}

TEST_CASE("a fixed PIN is used when configured, and must be six digits", "[pins]") {
    otts::test::S3Fixture f;
    auto config = otts::test::test_pin_config();
    config.fixed_pin = "123456";
    REQUIRE(config.check().ok());
    otts::Pins fixed(f.sqlite->pins(), f.mailer, f.clock, f.random, config);
    const auto license = f.license();
    issued(fixed.request(license));
    CHECK(f.last_pin() == "123456");
    CHECK(fixed.verify(license, "123456").ok());
    config.fixed_pin = "12345";
    CHECK(config.check().error().code == otts::ErrorCode::usage);
    CHECK(otts::test::test_pin_config("short").check().error().code == otts::ErrorCode::key_error);
}

TEST_CASE("a mail failure is reported but the PIN still stands, as in the original", "[pins]") {
    struct BrokenMailer final : otts::Mailer {
        otts::Result<void> send(const otts::Mail&) override {
            return otts::make_error(otts::ErrorCode::endpoint_unreachable, "no mail today");
        }
    } broken;
    otts::test::S3Fixture f;
    otts::Pins pins(f.sqlite->pins(), broken, f.clock, f.random, otts::test::test_pin_config());
    const auto pin = issued(pins.request(f.license()));
    REQUIRE(pin.mail_error);
    CHECK(pin.mail_error->code == otts::ErrorCode::endpoint_unreachable);
    CHECK(f.sqlite->pins().get_pin("user@example.com", f.clock.now()).value());
}
