#pragma once
// The emulator's outbox of sent mail (LocalStack-style; S3 error shape):
//   GET    /_otts/outbox[?to=EMAIL][&id=ID] → 200 {"messages":[{id,to,subject,text[,html],sent_at}]}
//                                             oldest first; sent_at is RFC 3339 UTC
//   DELETE /_otts/outbox[?id=ID]           → 200 {"deleted":N} (every message, or that one)
//   DELETE /_otts/outbox/{id}              → 200 {"deleted":1}; 404 not_found when absent
#include "core/ports/outbox.hpp"
#include "core/http/router.hpp"

namespace otts::api {

struct OutboxDeps {
    Outbox& outbox;  // must outlive the router
};

void add_outbox_routes(http::Router& router, OutboxDeps deps);

}  // namespace otts::api
