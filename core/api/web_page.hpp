#pragma once
// GET /: the emulator's small web page (core/api/web_page.html, built into the binary; no CDN,
// no external fonts). It drives the same HTTP API any client uses: S1 issue/validate, S0
// create token + PoW in a Web Worker + redeem, S3 PIN sign-in with the outbox, S4 WebSocket.
#include <string_view>

#include "core/http/router.hpp"

namespace otts::api {

std::string_view web_page_html();

void add_web_page_routes(http::Router& router);

}  // namespace otts::api
