#pragma once
// Plain-text helpers for what users and peers type: header values, setting lines, pasted keys
// and tokens, comma-separated lists.
#include <string>
#include <string_view>
#include <vector>

namespace otts {

// Spaces, tabs and line ends: what surrounds a value in a header, a KEY=VALUE line or a pasted
// token.
inline constexpr std::string_view k_blank = " \t\r\n";

// `s` without leading and trailing `blank` characters (a view into `s`).
std::string_view trim(std::string_view s, std::string_view blank = k_blank);

// "a, b,,c " → {"a", "b", "c"}: the comma-separated settings and form fields (origins,
// audiences, groups), items trimmed, empty ones dropped.
std::vector<std::string> comma_list(std::string_view text);

// `text` safe inside an HTML element or a quoted attribute: & < > " ' as character references.
std::string html_escape(std::string_view text);

}  // namespace otts
