#pragma once
// "a, b,,c " → {"a", "b", "c"}: the comma-separated settings and form fields (origins,
// audiences, groups), items trimmed of spaces and tabs, empty ones dropped.
#include <string>
#include <string_view>
#include <vector>

namespace otts {

std::vector<std::string> comma_list(std::string_view text);

}  // namespace otts
