#include "core/api/connection_routes.hpp"

#include "core/encoding/time_format.hpp"

namespace otts::api {

namespace {

// AWS rest-json errors: the SDKs read the exception name from x-amzn-ErrorType.
http::Response aws_error(int status, std::string_view type, std::string message) {
    auto response = http::Response::json(status, {{"message", std::move(message)}});
    response.headers["x-amzn-ErrorType"] = std::string(type);
    response.headers["Cache-Control"] = "no-store";
    return response;
}

http::Response gone() { return aws_error(410, "GoneException", "Gone"); }

nlohmann::json describe(const ConnectionInfo& info) {
    return {{"connectionId", info.id},
            {"connectedAt", iso8601(info.connected_at)},
            {"lastActiveAt", iso8601(info.last_active_at)},
            {"identity", {{"sourceIp", info.source_ip}, {"userAgent", info.user_agent}}},
            {"userId", info.user_id ? nlohmann::json(*info.user_id) : nlohmann::json(nullptr)}};
}

// The id from the path, or the 400 API Gateway gives for an id it could never have issued.
std::optional<std::string> connection_id(const http::Request& request, http::Response& error) {
    const auto& id = request.path_params.at("id");
    if (valid_connection_id(id)) return id;
    error = aws_error(400, "BadRequestException", "Invalid connectionId");
    return std::nullopt;
}

http::Response post_to_connection(const ConnectionDeps& deps, const http::Request& request) {
    http::Response error;
    auto id = connection_id(request, error);
    if (!id) return error;
    if (request.body.size() > k_max_connection_message) {
        return aws_error(413, "PayloadTooLargeException", "Message too long");
    }
    if (!deps.connections.post(*id, request.body)) return gone();
    deps.connections.touch(*id, deps.clock.now());
    http::Response ok;
    ok.status = 200;
    return ok;
}

http::Response get_connection(const ConnectionDeps& deps, const http::Request& request) {
    http::Response error;
    auto id = connection_id(request, error);
    if (!id) return error;
    auto info = deps.connections.get(*id);
    if (!info) return gone();
    auto response = http::Response::json(200, describe(*info));
    response.headers["Cache-Control"] = "no-store";
    return response;
}

http::Response delete_connection(const ConnectionDeps& deps, const http::Request& request) {
    http::Response error;
    auto id = connection_id(request, error);
    if (!id) return error;
    if (!deps.connections.close(*id)) return gone();
    http::Response done;
    done.status = 204;
    return done;
}

http::Response list_connections(const ConnectionDeps& deps) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& info : deps.connections.list()) items.push_back(describe(info));
    auto response = http::Response::json(200, {{"connections", std::move(items)}});
    response.headers["Cache-Control"] = "no-store";
    return response;
}

// otts extension: the body goes to every connection subscribed to the queue (PornSpot's
// broadcastToQueueSubscribers); answers how many took it, 0 included.
http::Response post_to_queue(const QueuePush& push, const http::Request& request) {
    const auto& queue_id = request.path_params.at("queueId");
    if (!valid_queue_id(queue_id)) return aws_error(400, "BadRequestException", "Invalid queueId");
    if (request.body.size() > k_max_connection_message) {
        return aws_error(413, "PayloadTooLargeException", "Message too long");
    }
    auto delivered = push(queue_id, request.body);
    if (!delivered) {
        const auto& error = delivered.error();
        if (error.code == ErrorCode::unsupported) return aws_error(501, "NotImplementedException", error.message());
        return aws_error(error_info(error.code).http_status, "InternalServerErrorException", error.message());
    }
    auto response = http::Response::json(200, {{"queueId", queue_id}, {"delivered", *delivered}});
    response.headers["Cache-Control"] = "no-store";
    return response;
}

}  // namespace

void add_connection_routes(http::Router& router, ConnectionDeps deps) {
    router.add("GET", "/@connections", [deps](const http::Request&) { return list_connections(deps); });
    router.add("POST", "/@connections/{id}", [deps](const http::Request& r) { return post_to_connection(deps, r); });
    router.add("GET", "/@connections/{id}", [deps](const http::Request& r) { return get_connection(deps, r); });
    router.add("DELETE", "/@connections/{id}", [deps](const http::Request& r) { return delete_connection(deps, r); });
    add_queue_route(router, [deps](const std::string& queue_id, const std::string& data) -> Result<std::size_t> {
        return deps.connections.post_to_queue(queue_id, data);
    });
}

void add_queue_route(http::Router& router, QueuePush push) {
    router.add("POST", "/@queues/{queueId}",
               [push = std::move(push)](const http::Request& r) { return post_to_queue(push, r); });
}

}  // namespace otts::api
