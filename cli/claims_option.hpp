#pragma once
// `--claim k=v` values: v is taken as JSON when it parses as JSON (numbers, true, objects),
// otherwise as a string.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace otts::cli {

Result<nlohmann::json> parse_claims(const std::vector<std::string>& pairs);

}  // namespace otts::cli
