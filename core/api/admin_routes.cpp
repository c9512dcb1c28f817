#include "core/api/admin_routes.hpp"

#include <memory>

#include "core/api/error_bodies.hpp"
#include "core/api/openapi.hpp"

namespace otts::api {
namespace {

http::Response deleted(const Result<std::int64_t>& count) {
    if (!count) return error_response(ErrorShape::s3, count.error());
    return http::Response::json(200, {{"deleted", *count}});
}

http::Response health(const AdminDeps& deps) {
    nlohmann::json body = {{"status", "ok"},
                           {"version", deps.version},
                           {"store", deps.store_name},
                           {"pow_difficulty", deps.difficulty.current(deps.clock.now())}};
    if (!deps.ws_url.empty()) body["ws_url"] = deps.ws_url;
    return http::Response::json(200, body);
}

}  // namespace

void add_admin_routes(http::Router& router, AdminDeps deps) {
    auto shared = std::make_shared<const AdminDeps>(std::move(deps));
    router.add("GET", "/_otts/health", [shared](const http::Request&) { return health(*shared); });
    router.add("POST", "/_otts/sweep",
               [shared](const http::Request&) { return deleted(shared->store.sweep(shared->clock.now())); });
    if (shared->reset) {
        router.add("POST", "/_otts/reset", [shared](const http::Request&) {
            auto done = shared->reset->reset();
            if (!done) return error_response(ErrorShape::s3, done.error());
            return http::Response::json(200, {{"reset", true}});
        });
    }
    router.add("GET", "/_otts/openapi.json", [shared](const http::Request&) {
        return http::Response::json(200, openapi_document(shared->router.routes(), shared->version));
    });
}

}  // namespace otts::api
