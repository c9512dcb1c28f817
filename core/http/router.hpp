#pragma once
// The one router every front end uses (DESIGN §2): routes are (method, pattern) pairs where a
// pattern segment "{name}" matches any one non-empty path segment. Unknown paths answer 404,
// known paths with another method 405 with an Allow header; both through the error renderer
// the owner supplies, so each route family keeps its own error body shape.
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/http/http.hpp"

namespace otts::http {

using Handler = std::function<Response(const Request&)>;
// Renders an error for a request path (so /v1/... can answer in S3 shape, /token in S0 ...).
using ErrorRenderer = std::function<Response(const Request&, const Error&)>;

// A registered route as it was added, e.g. {"GET", "/@connections/{id}"}.
struct RouteKey {
    std::string method;
    std::string pattern;
};

class Router {
public:
    explicit Router(ErrorRenderer render_error);

    void add(std::string method, std::string pattern, Handler handler);
    // Dispatches to the matching route with path_params filled in.
    Response handle(Request request) const;
    // Every route in registration order (for generated documents such as OpenAPI).
    std::vector<RouteKey> routes() const;

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    static bool match(const Route& route, const std::vector<std::string_view>& path, Params& params);

    ErrorRenderer m_render_error;
    std::vector<Route> m_routes;
};

}  // namespace otts::http
