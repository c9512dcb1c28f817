#include "emulator/access_log.hpp"

#include <catch2/catch.hpp>

using namespace otts;

namespace {
http::Request request(std::string path, http::Params query = {}) {
    http::Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    return r;
}
}  // namespace

TEST_CASE("masked_target keeps short paths as they are", "[serve][log]") {
    CHECK(emulator::masked_target(request("/")) == "/");
    CHECK(emulator::masked_target(request("/token/redeem")) == "/token/redeem");
    CHECK(emulator::masked_target(request("/@connections/abc")) == "/@connections/abc");
}

TEST_CASE("masked_target keeps 4 characters of a secret's id: the id reads the secret", "[serve][log]") {
    CHECK(emulator::masked_target(request("/secrets/Ab3dEf6hIj9kLmNoPqRsTu")) == "/secrets/Ab3d...");
    CHECK(emulator::masked_target(request("/secrets")) == "/secrets");
    CHECK(emulator::masked_target(request("/tokens/Ab3dEf6hIj9kLmNoPqRsTu")) == "/tokens/Ab3dEf6hIj9kLmNoPqRsTu");
}

TEST_CASE("masked_target shortens long segments so a token in a path is not logged", "[serve][log]") {
    const std::string token = "eyJhbGciOiJIUzI1NiJ9.eyJ1dWlkIjoiMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";
    const auto logged = emulator::masked_target(request("/x/" + token));
    CHECK(logged == "/x/eyJhbG...");
    CHECK(logged.find(token) == std::string::npos);
}

TEST_CASE("masked_target names query parameters but never their values", "[serve][log]") {
    const auto logged = emulator::masked_target(request("/", {{"token", "secret-value"}, {"to", "a@b.c"}}));
    CHECK(logged == "/?to=...&token=...");
}

TEST_CASE("masked_target replaces bytes outside printable ASCII", "[serve][log]") {
    CHECK(emulator::masked_target(request("/a\nb\xff")) == "/a?b?");
}
