#include "core/api/outbox_routes.hpp"

#include <catch2/catch.hpp>

#include "tests/support/s3_fixture.hpp"

using otts::test::body_of;

namespace {

void add(otts::test::S3Fixture& f, const std::string& id, const std::string& to) {
    REQUIRE(f.sqlite->outbox().add(otts::Mail{id, to, "s", "t " + id, std::nullopt, f.clock.now()}).ok());
}

}  // namespace

TEST_CASE("GET /_otts/outbox lists mail, filtered by ?to= and ?id=", "[outbox][api]") {
    otts::test::S3Fixture f;
    add(f, "m1", "a@example.com");
    add(f, "m2", "b@example.com");
    auto all = f.send("GET", "/_otts/outbox");
    REQUIRE(all.status == 200);
    CHECK(all.headers.at("Cache-Control") == "no-store");
    const auto messages = body_of(all)["messages"];
    REQUIRE(messages.size() == 2);
    CHECK(messages[0]["id"] == "m1");
    CHECK(messages[0]["to"] == "a@example.com");
    CHECK(messages[0]["subject"] == "s");
    CHECK(messages[0]["text"] == "t m1");
    CHECK(messages[0]["sent_at"] == otts::iso8601(f.clock.now()));
    CHECK_FALSE(messages[0].contains("html"));
    CHECK(body_of(f.send("GET", "/_otts/outbox", {{"to", "b@example.com"}}))["messages"].size() == 1);
    CHECK(body_of(f.send("GET", "/_otts/outbox", {{"id", "m2"}}))["messages"][0]["id"] == "m2");
    CHECK(body_of(f.send("GET", "/_otts/outbox", {{"id", "m2"}, {"to", "a@example.com"}}))["messages"].empty());
    CHECK(body_of(f.send("GET", "/_otts/outbox", {{"id", "nope"}}))["messages"].empty());
}

TEST_CASE("the PIN mail shows up in the outbox", "[outbox][api]") {
    otts::test::S3Fixture f;
    REQUIRE(f.post("/v1/auth/request-pin", {{"license", f.license().text}}).status == 200);
    const auto messages = body_of(f.send("GET", "/_otts/outbox", {{"to", "user@example.com"}}))["messages"];
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["text"].get<std::string>().find(f.last_pin()) != std::string::npos);
}

TEST_CASE("DELETE /_otts/outbox clears all, one by ?id=, or one by path", "[outbox][api]") {
    otts::test::S3Fixture f;
    add(f, "m1", "a@example.com");
    add(f, "m2", "a@example.com");
    add(f, "m3", "a@example.com");
    CHECK(body_of(f.send("DELETE", "/_otts/outbox/m1"))["deleted"] == 1);
    const auto missing = f.send("DELETE", "/_otts/outbox/m1");
    CHECK(missing.status == 404);
    CHECK(body_of(missing)["error"]["code"] == "not_found");
    CHECK(body_of(f.send("DELETE", "/_otts/outbox", {{"id", "m2"}}))["deleted"] == 1);
    CHECK(body_of(f.send("DELETE", "/_otts/outbox"))["deleted"] == 1);
    CHECK(body_of(f.send("GET", "/_otts/outbox"))["messages"].empty());
}

// Issue 11: the 404's message quotes the id, and a lone 0xFF made dumping it throw (a 500).
TEST_CASE("DELETE /_otts/outbox/{id} of an id that is not UTF-8 answers 404 in S3's shape", "[outbox][api]") {
    otts::test::S3Fixture f;
    const auto missing = f.send("DELETE", "/_otts/outbox/\xff");
    CHECK(missing.status == 404);
    CHECK(body_of(missing)["error"]["code"] == "not_found");
    CHECK(body_of(missing)["error"]["message"] == "no message \xEF\xBF\xBD");  // U+FFFD
}
