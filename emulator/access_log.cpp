#include "emulator/access_log.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/encoding/json_text.hpp"

namespace otts::emulator {
namespace {

constexpr std::size_t k_max_segment = 32;

void append_printable(std::string& out, std::string_view text) {
    for (unsigned char c : text) out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
}

void append_segment(std::string& out, std::string_view segment) {
    if (segment.size() <= k_max_segment) return append_printable(out, segment);
    append_printable(out, segment.substr(0, 6));
    out += "...";
}

std::string json_members(const nlohmann::json& object) {
    // The pattern supplies the braces and the time; the message is the remaining members.
    auto text = json_text(object);
    return text.substr(1, text.size() - 2);
}

}  // namespace

std::string masked_target(const http::Request& request) {
    std::string out;
    std::string_view path = request.path;
    bool secret_id = false;  // the segment after /secrets: an S0 secret's id reads it
    while (!path.empty()) {
        const auto slash = path.find('/', 1);
        const auto segment = path.substr(0, slash);
        const auto name = segment.substr(segment.front() == '/' ? 1 : 0);
        out += '/';
        if (secret_id && !name.empty()) {
            append_printable(out, name.substr(0, 4));
            out += "...";
        } else {
            append_segment(out, name);
        }
        secret_id = out == "/secrets";
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash);
    }
    char separator = '?';
    for (const auto& [name, value] : request.query) {
        out += separator;
        append_segment(out, name);
        out += "=...";
        separator = '&';
    }
    return out;
}

AccessLog::AccessLog(bool json, bool quiet)
    : m_json(json), m_quiet(quiet), m_logger(std::make_shared<spdlog::logger>("otts-serve")) {
    m_logger->sinks().push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    const std::string time = "%Y-%m-%dT%H:%M:%S.%eZ";
    m_logger->set_pattern(json ? "{\"time\":\"" + time + "\",\"level\":\"%l\",%v}" : time + " %l %v",
                          spdlog::pattern_time_type::utc);
    m_logger->flush_on(spdlog::level::info);
}

void AccessLog::write(int level, std::string_view message) const {
    m_logger->log(static_cast<spdlog::level::level_enum>(level), "{}", message);
}

void AccessLog::request(const http::Request& request, int status, std::chrono::nanoseconds took) const {
    if (m_quiet) return;
    const double ms = static_cast<double>(took.count()) / 1e6;
    const auto target = masked_target(request);
    if (m_json) {
        write(spdlog::level::info, json_members({{"method", request.method},
                                                 {"path", target},
                                                 {"status", status},
                                                 {"ms", ms},
                                                 {"ip", request.source_ip}}));
        return;
    }
    std::string method;
    append_printable(method, request.method);
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3fms", ms);
    write(spdlog::level::info,
          request.source_ip + " \"" + method + " " + target + "\" " + std::to_string(status) + " " + duration);
}

void AccessLog::info(std::string_view message) const {
    if (m_quiet) return;
    write(spdlog::level::info, m_json ? json_members({{"message", message}}) : std::string(message));
}

void AccessLog::error(std::string_view message) const {
    write(spdlog::level::err, m_json ? json_members({{"message", message}}) : std::string(message));
}

}  // namespace otts::emulator
