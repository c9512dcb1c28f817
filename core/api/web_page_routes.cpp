#include "core/api/web_page.hpp"

namespace otts::api {

void add_web_page_routes(http::Router& router) {
    router.add("GET", "/", [](const http::Request&) {
        http::Response response;
        response.headers["Content-Type"] = "text/html; charset=utf-8";
        // The page only talks to its own origin; nothing inline may load from elsewhere.
        response.headers["Content-Security-Policy"] =
            "default-src 'self'; script-src 'self' 'unsafe-inline' blob:; worker-src blob:; "
            "style-src 'unsafe-inline'; connect-src 'self' ws: wss:";
        response.body = std::string(web_page_html());
        return response;
    });
}

}  // namespace otts::api
