#include "adapters/sqlite_outbox.hpp"

#include <catch2/catch.hpp>

#include "adapters/sqlite_store.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/support/sqlite_fixture.hpp"
#include "tests/support/outbox_mail.hpp"

using otts::Mail;
using otts::SqliteStore;

namespace {

using otts::test::ids;
using otts::test::mail;

using otts::test::k_now;

using otts::test::open_memory;

}  // namespace

TEST_CASE("the outbox lists mail oldest first, optionally for one address", "[outbox][sqlite]") {
    auto store = open_memory();
    auto& outbox = store->outbox();
    REQUIRE(outbox.add(mail("b", "x@example.com", k_now + 1)).ok());
    REQUIRE(outbox.add(mail("a", "y@example.com", k_now)).ok());
    REQUIRE(outbox.add(mail("c", "x@example.com", k_now + 1)).ok());
    CHECK(ids(*outbox.list(std::nullopt)) == std::vector<std::string>{"a", "b", "c"});
    CHECK(ids(*outbox.list(std::string("x@example.com"))) == std::vector<std::string>{"b", "c"});
    CHECK(outbox.list(std::string("nobody@example.com"))->empty());
}

TEST_CASE("outbox get, remove and clear", "[outbox][sqlite]") {
    auto store = open_memory();
    auto& outbox = store->outbox();
    auto with_html = mail("a", "x@example.com");
    with_html.html = "<p>hi</p>";
    REQUIRE(outbox.add(with_html).ok());
    REQUIRE(outbox.add(mail("b", "x@example.com")).ok());
    const auto got = *outbox.get("a");
    REQUIRE(got);
    CHECK(got->subject == "subject a");
    CHECK(got->html == std::optional<std::string>("<p>hi</p>"));
    CHECK_FALSE(outbox.get("b")->value().html);
    CHECK_FALSE(*outbox.get("zzz"));
    CHECK(*outbox.remove("a"));
    CHECK_FALSE(*outbox.remove("a"));
    CHECK(*outbox.clear() == 1);
    CHECK(outbox.list(std::nullopt)->empty());
}

TEST_CASE("adding a mail id twice fails with store_error", "[outbox][sqlite]") {
    auto store = open_memory();
    REQUIRE(store->outbox().add(mail("a", "x@example.com")).ok());
    const auto again = store->outbox().add(mail("a", "x@example.com"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == otts::ErrorCode::store_error);
}

TEST_CASE("the store's sweep covers tokens, PINs and old mail", "[outbox][pins][sqlite]") {
    auto store = open_memory();
    REQUIRE(store->put_token({otts::TokenKind::one_time, "t", k_now + 10, std::nullopt}).ok());
    REQUIRE(store->pins().put_pin({"u@example.com", "h", "l", "pin_1", k_now, k_now + 10, 0}, 0).ok());
    REQUIRE(store->outbox().add(mail("old", "u@example.com", k_now - SqliteStore::k_outbox_retention + 10)).ok());
    REQUIRE(store->outbox().add(mail("new", "u@example.com", k_now)).ok());
    CHECK(*store->sweep(k_now + 9) == 0);
    CHECK(*store->sweep(k_now + 10) == 3);
    CHECK(ids(*store->outbox().list(std::nullopt)) == std::vector<std::string>{"new"});
}

TEST_CASE("reset empties every table", "[outbox][pins][sqlite]") {
    auto store = open_memory();
    REQUIRE(store->put_token({otts::TokenKind::one_time, "t", k_now + 10, std::nullopt}).ok());
    REQUIRE(store->pins().put_pin({"u@example.com", "h", "l", "pin_1", k_now, k_now + 10, 0}, 0).ok());
    REQUIRE(store->outbox().add(mail("m", "u@example.com")).ok());
    otts::Resettable& resettable = *store;
    const auto deleted = resettable.reset();
    REQUIRE(deleted.ok());
    CHECK(*deleted == 3);
    CHECK_FALSE(*store->get_token(otts::TokenKind::one_time, "t", k_now));
    CHECK_FALSE(*store->pins().get_pin("u@example.com", k_now));
    CHECK(store->outbox().list(std::nullopt)->empty());
}
