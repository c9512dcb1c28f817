#pragma once
// The HTTP API every front end serves (DESIGN §7): one Router holding the route modules, with
// the per-family error bodies, CORS and Cache-Control: no-store around it.
//
// Route modules each expose `void add_<x>_routes(http::Router&, <X>Deps)`; add_routes below
// calls them all, so wiring in a module is one member in ApiDeps and one line in add_routes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/connection_routes.hpp"
#include "core/api/admin_routes.hpp"
#include "core/api/outbox_routes.hpp"
#include "core/api/create_token_routes.hpp"
#include "core/api/secret_routes.hpp"
#include "core/api/one_time_token_routes.hpp"
#include "core/api/access_token_routes.hpp"
#include "core/api/user_token_routes.hpp"
#include "core/http/http.hpp"
#include "core/http/router.hpp"

namespace otts::api {

struct CorsPolicy {
    // Exact origins ("https://app.example.com"), or "*" for any. Empty: any origin on
    // localhost / 127.0.0.1 / [::1] over http (the emulator's default; DESIGN §7).
    std::vector<std::string> origins;
    // What an empty list means: the emulator allows localhost; a deployment allows no origin
    // until told (DESIGN §7).
    bool localhost_when_empty = true;
    // The S2 token handler's FRONTEND_URL origin: allowed whatever `origins` says, and the
    // only origin allowed credentials (the l42_session cookie) and the handler's paths.
    std::string frontend_origin;
    std::string frontend_prefix;  // AUTH_PATH_PREFIX; empty: no token handler
};

// Whether `origin` may read the answer to a request for `path`.
bool origin_allowed(const CorsPolicy& policy, std::string_view origin, std::string_view path = "/");

class Api {
public:
    explicit Api(CorsPolicy cors = {});

    http::Router& router() { return m_router; }
    const http::Router& router() const { return m_router; }

    // Answers one request: OPTIONS preflights with 204, everything else through the router;
    // every response gets CORS headers (for an allowed Origin) and Cache-Control: no-store.
    http::Response handle(http::Request request) const;

    // An error the transport found before routing (body too large, unparsable request),
    // rendered in the path's family shape with `status` and decorated like any response.
    http::Response transport_error(const http::Request& request, ErrorCode code, int status) const;

private:
    http::Response decorate(const std::optional<std::string>& origin, std::string_view path,
                            http::Response response) const;

    CorsPolicy m_cors;
    http::Router m_router;
};

// What every route module needs; the router in AdminDeps is the Api's own.
struct ApiDeps {
    CreateTokenDeps create_tokens;
    std::optional<SecretDeps> secrets;  // nullopt: a backend without a secret store
    OneTimeTokenDeps one_time_tokens;
    AccessTokenDeps access_tokens;
    UserTokenDeps user_tokens;
    // The emulator's conveniences: the Lambda serves neither (API Gateway itself answers
    // /@connections, and a deployed outbox would hand PINs to anyone).
    std::optional<OutboxDeps> outbox;
    std::optional<ConnectionDeps> connections;
    // The Lambda's POST /@queues/{queueId} (the emulator's comes with `connections`).
    std::optional<QueuePush> queues;
    AdminDeps admin;
};

void add_routes(http::Router& router, ApiDeps deps);

// The body limit of a request for `path` with `method` (before routing, so that a transport
// stops reading at it): k_max_secret_body for POST /secrets, 64 KiB for everything else.
std::size_t max_body_for(std::string_view method, std::string_view path);
inline constexpr std::size_t k_max_body = 64 * 1024;

}  // namespace otts::api
