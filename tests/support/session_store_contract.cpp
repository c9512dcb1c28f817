#include "tests/support/session_store_contract.hpp"
#include "tests/support/fake_clock.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace otts::test {
namespace {

constexpr UnixSeconds k_lifetime = 30 * 24 * 3600;
// base64url of 32 bytes, as the cookie carries it: 43 characters, '-' and '_' included.
const std::string k_id = "q3-Zx_9bLw0Tn4Ck-Vd_8Hs2Rj7Pm1Ye5Ua6Gf0Io3E";

SessionRecord record(const std::string& data, UnixSeconds created_at = k_now, const std::string& id = k_id) {
    return SessionRecord{id, data, created_at, created_at + k_lifetime};
}

void put(SessionStore& store, const SessionRecord& r) {
    const auto result = store.put_session(r);
    if (!result) FAIL(result.error().message());
}

std::optional<SessionRecord> get(SessionStore& store, UnixSeconds now = k_now + 1, const std::string& id = k_id) {
    auto result = store.get_session(id, now);
    if (!result) FAIL(result.error().message());
    return *result;
}

std::int64_t sweep(SessionStore& store, UnixSeconds now) {
    const auto result = store.sweep_sessions(now);
    if (!result) FAIL(result.error().message());
    return *result;
}

// A JWT-shaped string of about `length` characters (header.payload.signature, base64url).
std::string jwt_like(char fill, std::size_t length) {
    std::string payload = "eyJzdWIiOiJ1c2VyLTEyMyIsImF1ZCI6ImwtNDIifQ";
    while (payload.size() < length) payload += std::string(1, fill) + "_x-Y9";
    return "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0." + payload + ".c2lnbmF0dXJlLXNpZ25hdHVyZQ-_";
}

// The token handler's session data at its largest: the IdP's three tokens, about 8 KiB.
std::string large_data() {
    return R"({"access_token":")" + jwt_like('a', 2600) + R"(","id_token":")" + jwt_like('b', 2600) +
           R"(","refresh_token":")" + jwt_like('c', 2600) + R"(","token_type":"Bearer","expires_in":3600})";
}

void read_write_sections(const SessionStoreMaker& make) {
    SECTION("an unknown id reads as absent") {
        auto store = make();
        CHECK_FALSE(get(*store));
    }
    SECTION("put then get returns the data and both times") {
        auto store = make();
        put(*store, record(R"({"state":"s1","verifier":"v1"})"));
        const auto got = get(*store);
        REQUIRE(got);
        CHECK(got->id == k_id);
        CHECK(got->data == R"({"state":"s1","verifier":"v1"})");
        CHECK(got->created_at == k_now);
        CHECK(got->expires_at == k_now + k_lifetime);
    }
    SECTION("a second put replaces the data but keeps created_at and expires_at") {
        auto store = make();
        put(*store, record(R"({"step":1})"));
        put(*store, record(R"({"step":2})", k_now + 3600));
        const auto got = get(*store, k_now + 3601);
        REQUIRE(got);
        CHECK(got->data == R"({"step":2})");
        CHECK(got->created_at == k_now);
        CHECK(got->expires_at == k_now + k_lifetime);
        CHECK_FALSE(get(*store, k_now + k_lifetime));  // the lifetime is absolute
    }
    SECTION("a session is live until expires_at and absent from then on, before any sweep") {
        auto store = make();
        put(*store, record("{}"));
        CHECK(get(*store, k_now + k_lifetime - 1));
        CHECK_FALSE(get(*store, k_now + k_lifetime));
        CHECK_FALSE(get(*store, k_now + k_lifetime + 1));
    }
    SECTION("ids with '-' and '_' are separate rows") {
        auto store = make();
        put(*store, record(R"({"n":1})", k_now, "a-b_c"));
        put(*store, record(R"({"n":2})", k_now, "a_b-c"));
        CHECK(get(*store, k_now + 1, "a-b_c")->data == R"({"n":1})");
        CHECK(get(*store, k_now + 1, "a_b-c")->data == R"({"n":2})");
        CHECK_FALSE(get(*store, k_now + 1, "a-b-c"));
    }
    SECTION("about 8 KiB of JSON with three JWTs round-trips byte for byte") {
        auto store = make();
        const auto data = large_data();
        REQUIRE(data.size() > 7800);
        put(*store, record(data));
        CHECK(get(*store)->data == data);
        put(*store, record(data + " "));
        CHECK(get(*store)->data == data + " ");
    }
}

void delete_sweep_sections(const SessionStoreMaker& make) {
    SECTION("delete removes the session; deleting an unknown id is fine") {
        auto store = make();
        put(*store, record("{}"));
        put(*store, record("{}", k_now, "other"));
        REQUIRE(store->delete_session(k_id).ok());
        CHECK_FALSE(get(*store));
        CHECK(get(*store, k_now + 1, "other"));
        CHECK(store->delete_session(k_id).ok());
        CHECK(store->delete_session("never-written").ok());
    }
    SECTION("sweep deletes expired sessions only and counts them") {
        auto store = make();
        put(*store, record("{}", k_now, "old-1"));
        put(*store, record("{}", k_now + 10, "old_2"));
        put(*store, record("{}", k_now + 11, "live"));
        CHECK(sweep(*store, k_now + k_lifetime - 1) == 0);
        CHECK(sweep(*store, k_now + k_lifetime + 10) == 2);
        CHECK(sweep(*store, k_now + k_lifetime + 10) == 0);
        CHECK(get(*store, k_now + k_lifetime + 10, "live"));
        CHECK_FALSE(get(*store, k_now, "old-1"));  // gone, not merely expired
        CHECK_FALSE(get(*store, k_now, "old_2"));
    }
}

}  // namespace

void run_session_store_contract(const SessionStoreMaker& make) {
    read_write_sections(make);
    delete_sweep_sections(make);
}

}  // namespace otts::test
