#pragma once
// What every issuing service returns.
#include <string>

#include <nlohmann/json.hpp>

#include "core/ports/clock.hpp"

namespace otts {

struct IssuedToken {
    std::string token;
    nlohmann::json claims;
    UnixSeconds expires_at = 0;
};

}  // namespace otts
