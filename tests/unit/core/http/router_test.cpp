#include "core/http/router.hpp"

#include <catch2/catch.hpp>

using namespace otts;
using namespace otts::http;

namespace {

Response render(const Request&, const Error& e) {
    return Response::json(error_info(e.code).http_status, {{"error", std::string(error_info(e.code).name)}});
}

Request make(std::string method, std::string path) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    return r;
}

Router sample() {
    Router router(render);
    router.add("GET", "/tokens", [](const Request&) { return Response::json(200, {{"route", "get"}}); });
    router.add("POST", "/tokens", [](const Request&) { return Response::json(200, {{"route", "post"}}); });
    router.add("GET", "/@connections/{id}", [](const Request& r) {
        return Response::json(200, {{"id", r.path_params.at("id")}});
    });
    return router;
}

}  // namespace

TEST_CASE("router dispatches by method and path", "[router]") {
    auto router = sample();
    CHECK(nlohmann::json::parse(router.handle(make("GET", "/tokens")).body)["route"] == "get");
    CHECK(nlohmann::json::parse(router.handle(make("POST", "/tokens")).body)["route"] == "post");
}

TEST_CASE("router fills path parameters from {name} segments", "[router]") {
    auto r = sample().handle(make("GET", "/@connections/abc="));
    CHECK(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["id"] == "abc=");
}

TEST_CASE("router answers 404 for unknown paths, trailing slashes and empty parameters", "[router]") {
    auto router = sample();
    CHECK(router.handle(make("GET", "/nope")).status == 404);
    CHECK(router.handle(make("GET", "/tokens/")).status == 404);
    CHECK(router.handle(make("GET", "/@connections/")).status == 404);
    CHECK(router.handle(make("GET", "/@connections/a/b")).status == 404);
    CHECK(router.handle(make("GET", "")).status == 404);
}

TEST_CASE("router answers 405 with Allow when only the method is wrong", "[router]") {
    auto r = sample().handle(make("DELETE", "/tokens"));
    CHECK(r.status == 405);
    CHECK(r.headers.at("allow") == "GET, POST");
    CHECK(nlohmann::json::parse(r.body)["error"] == "method_not_allowed");
}

TEST_CASE("request headers are case-insensitive and bearer tokens are parsed strictly", "[router]") {
    Request r;
    r.headers["authorization"] = "bearer abc.def.ghi";
    CHECK(r.header("AUTHORIZATION").value() == "bearer abc.def.ghi");
    CHECK(r.bearer_token().value() == "abc.def.ghi");
    r.headers["Authorization"] = "Basic abc";
    CHECK_FALSE(r.bearer_token());
    r.headers["Authorization"] = "Bearer ";
    CHECK_FALSE(r.bearer_token());
    r.headers["Authorization"] = "Bearer a b";
    CHECK_FALSE(r.bearer_token());
}
