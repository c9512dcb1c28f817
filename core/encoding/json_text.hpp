#pragma once
// JSON text of values that may carry outside bytes (a request path, a header, a file name, a
// claim): nlohmann::json throws on invalid UTF-8 when it dumps a string, and one stray byte
// must not turn an answer into a 500 or a crash. Every place that writes JSON holding such
// bytes dumps through here.
#include <string>

#include <nlohmann/json.hpp>

namespace otts {

// value.dump(indent), with each invalid UTF-8 sequence replaced by U+FFFD. Never throws.
std::string json_text(const nlohmann::json& value, int indent = -1);

}  // namespace otts
