#include "core/api/outbox_routes.hpp"

#include "core/api/error_bodies.hpp"
#include "core/encoding/time_format.hpp"

namespace otts::api {
namespace {

nlohmann::json mail_json(const Mail& mail) {
    nlohmann::json out = {{"id", mail.id},
                          {"to", mail.to},
                          {"subject", mail.subject},
                          {"text", mail.text},
                          {"sent_at", iso8601(mail.sent_at)}};
    if (mail.html) out["html"] = *mail.html;
    return out;
}

http::Response ok(const nlohmann::json& body) {
    auto response = http::Response::json(200, body);
    response.headers["Cache-Control"] = "no-store";  // mail holds live PINs
    return response;
}

std::optional<std::string> query(const http::Request& request, const char* name) {
    const auto it = request.query.find(name);
    if (it == request.query.end()) return std::nullopt;
    return it->second;
}

Result<std::vector<Mail>> select(Outbox& outbox, const http::Request& request) {
    const auto to = query(request, "to");
    if (const auto id = query(request, "id")) {
        OTTS_TRY(auto mail, outbox.get(*id));
        std::vector<Mail> out;
        if (mail && (!to || mail->to == *to)) out.push_back(std::move(*mail));
        return out;
    }
    return outbox.list(to);
}

http::Response list(Outbox& outbox, const http::Request& request) {
    auto mails = select(outbox, request);
    if (!mails) return error_response(ErrorShape::s3, mails.error());
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& mail : *mails) messages.push_back(mail_json(mail));
    return ok({{"messages", std::move(messages)}});
}

http::Response remove_all(Outbox& outbox, const http::Request& request) {
    if (const auto id = query(request, "id")) {
        auto removed = outbox.remove(*id);
        if (!removed) return error_response(ErrorShape::s3, removed.error());
        return ok({{"deleted", *removed ? 1 : 0}});
    }
    auto cleared = outbox.clear();
    if (!cleared) return error_response(ErrorShape::s3, cleared.error());
    return ok({{"deleted", *cleared}});
}

http::Response remove_one(Outbox& outbox, const http::Request& request) {
    const auto& id = request.path_params.at("id");
    auto removed = outbox.remove(id);
    if (!removed) return error_response(ErrorShape::s3, removed.error());
    if (!*removed) return error_response(ErrorShape::s3, make_error(ErrorCode::route_not_found, "no message " + id));
    return ok({{"deleted", 1}});
}

}  // namespace

void add_outbox_routes(http::Router& router, OutboxDeps deps) {
    Outbox* outbox = &deps.outbox;
    router.add("GET", "/_otts/outbox", [outbox](const http::Request& r) { return list(*outbox, r); });
    router.add("DELETE", "/_otts/outbox", [outbox](const http::Request& r) { return remove_all(*outbox, r); });
    router.add("DELETE", "/_otts/outbox/{id}", [outbox](const http::Request& r) { return remove_one(*outbox, r); });
}

}  // namespace otts::api
