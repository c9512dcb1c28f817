#include "core/http/router.hpp"

#include <utility>

namespace otts::http {

namespace {

// "/a/b/" → {"a","b",""}: a trailing slash is a distinct (empty) segment, so "/tokens/" does not
// silently alias "/tokens".
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') return out;
    path.remove_prefix(1);
    while (true) {
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

Router::Router(ErrorRenderer render_error) : m_render_error(std::move(render_error)) {}

void Router::add(std::string method, std::string pattern, Handler handler) {
    std::vector<std::string> segments;
    for (auto s : split_path(pattern)) segments.emplace_back(s);
    m_routes.push_back({std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

std::vector<RouteKey> Router::routes() const {
    std::vector<RouteKey> out;
    out.reserve(m_routes.size());
    for (const auto& route : m_routes) out.push_back({route.method, route.pattern});
    return out;
}

bool Router::match(const Route& route, const std::vector<std::string_view>& path, Params& params) {
    if (route.segments.size() != path.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const auto& want = route.segments[i];
        if (is_param(want)) {
            if (path[i].empty()) return false;
            params[want.substr(1, want.size() - 2)] = std::string(path[i]);
        } else if (want != path[i]) {
            return false;
        }
    }
    return true;
}

Response Router::handle(Request request) const {
    auto path = split_path(request.path);
    std::string allow;
    for (const auto& route : m_routes) {
        Params params;
        if (!match(route, path, params)) continue;
        if (route.method == request.method) {
            request.path_params = std::move(params);
            return route.handler(request);
        }
        allow += (allow.empty() ? "" : ", ") + route.method;
    }
    if (allow.empty()) return m_render_error(request, make_error(ErrorCode::route_not_found, request.path));
    Response r = m_render_error(request, make_error(ErrorCode::method_not_allowed, request.method));
    r.headers["Allow"] = allow;
    return r;
}

}  // namespace otts::http
