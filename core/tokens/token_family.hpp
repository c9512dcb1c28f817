#pragma once
// Token families (DESIGN §3): the claims that tell them apart, so that a token of one family
// is never accepted where another is expected, even when both share a key.
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/jose/jwt.hpp"
#include "core/result.hpp"

namespace otts {

enum class Family { create, one_time, user, license, access, refresh };

std::string_view family_name(Family f);  // "create", "one-time", "user", ...
std::optional<Family> parse_family(std::string_view name);

// The family whose distinguishing claims the payload carries, or nullopt if none or several.
std::optional<Family> family_of(const nlohmann::json& payload);

// invalid_token unless `payload` is a well-formed member of `expected` (distinguishing claim
// present, required claims of the right type).
Result<void> check_family(const nlohmann::json& payload, Family expected);

// jwt::verify + check_family: the one way services accept a token of a given family.
Result<nlohmann::json> verify_family_token(std::string_view token, const jwt::KeySet& keys, Family family,
                                           UnixSeconds now, UnixSeconds leeway);

// Copies user-supplied claims into `payload`; usage error if one is reserved.
Result<void> add_extra_claims(nlohmann::json& payload, const nlohmann::json& extra);

// True for claims that define a family or its lifetime; `--claim` may not set them.
bool is_reserved_claim(std::string_view name);

}  // namespace otts
