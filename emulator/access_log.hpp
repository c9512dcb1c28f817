#pragma once
// Access and lifecycle logs of `otts serve` on stderr through spdlog, as text or one JSON
// object per line. A log line never carries a full token or a secret: it names the method, the
// path with long segments shortened (a token pasted into a path stays unreadable), the query's
// parameter names without their values, the status and the duration.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/http/http.hpp"

namespace spdlog {
class logger;
}

namespace otts::emulator {

// "/a/eyJhbGciOi...x" → "/a/eyJhbG…" for every segment over 32 bytes; bytes outside printable
// ASCII become '?'; an S0 secret's id ("/secrets/{id}", a capability) keeps 4 characters.
// Query names are appended as "?name=…&other=…".
std::string masked_target(const http::Request& request);

class AccessLog {
public:
    AccessLog(bool json, bool quiet);

    void request(const http::Request& request, int status, std::chrono::nanoseconds took) const;
    void info(std::string_view message) const;
    void error(std::string_view message) const;

private:
    void write(int level, std::string_view message) const;

    bool m_json;
    bool m_quiet;
    std::shared_ptr<spdlog::logger> m_logger;
};

}  // namespace otts::emulator
