#pragma once
// The API Gateway management API for S4's WebSocket connections, as the AWS SDKs call it
// (ApiGatewayManagementApi 2018-11-29, rest-json):
//   POST   /@connections/{id}  PostToConnection: the raw body is the message → 200, empty body
//   GET    /@connections/{id}  GetConnection → 200 {"connectedAt","identity":{"sourceIp",
//                              "userAgent"},"lastActiveAt"} (ISO 8601), plus otts's "userId"
//   DELETE /@connections/{id}  DeleteConnection: closes the socket → 204
//   GET    /@connections       otts extension: {"connections":[...]} for tests and the web page
//   POST   /@queues/{queueId}  otts extension: the raw body goes to every connection subscribed to
//                              the queue ({"action":"subscribe","data":{"queueId"}}) → 200
//                              {"queueId","delivered":n}; 400 for an id valid_queue_id refuses
// Errors keep AWS's shape so SDK clients recognise them: 410 GoneException for an unknown or
// closed connection, 400 BadRequestException for a malformed id, 413 PayloadTooLargeException
// over 128 KiB; each with an x-amzn-ErrorType header and a {"message"} body.
#include <functional>
#include <string>

#include "core/ports/clock.hpp"
#include "core/connections/connections.hpp"
#include "core/http/router.hpp"
#include "core/result.hpp"

namespace otts::api {

struct ConnectionDeps {
    ConnectionRegistry& connections;
    const Clock& clock;  // lastActiveAt on a push
};

// API Gateway's limit on PostToConnection's Data.
inline constexpr std::size_t k_max_connection_message = 128 * 1024;

// The /@connections routes and POST /@queues/{queueId} over the registry (`otts serve`).
void add_connection_routes(http::Router& router, ConnectionDeps deps);

// Sends `data` to every subscriber of `queue_id`; how many took it. An Error answers with its
// status in AWS's shape, except `unsupported` (this deployment cannot push: a setting is
// missing), which answers 501 with the error's detail.
using QueuePush = std::function<Result<std::size_t>(const std::string& queue_id, const std::string& data)>;

// POST /@queues/{queueId} alone, over `push`: the Lambda's, where API Gateway answers
// /@connections itself.
void add_queue_route(http::Router& router, QueuePush push);

}  // namespace otts::api
