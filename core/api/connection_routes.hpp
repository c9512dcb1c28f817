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
#include "core/ports/clock.hpp"
#include "core/connections/connections.hpp"
#include "core/http/router.hpp"

namespace otts::api {

struct ConnectionDeps {
    ConnectionRegistry& connections;
    const Clock& clock;  // lastActiveAt on a push
};

// API Gateway's limit on PostToConnection's Data.
inline constexpr std::size_t k_max_connection_message = 128 * 1024;

void add_connection_routes(http::Router& router, ConnectionDeps deps);

}  // namespace otts::api
