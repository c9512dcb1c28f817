#pragma once
// Members of JSON objects that come from outside (request bodies, token claims, session data,
// the answers of AWS and of identity providers), read without exceptions whatever their type.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace otts {

// object[name]; nullptr when `object` is not an object or the member is absent or null (AWS and
// the originals' clients send both for "none").
const nlohmann::json* member(const nlohmann::json& object, std::string_view name);

// object[name] when it is a string; nullopt when absent, null or of another type.
std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view name);

// optional_string, with an empty string counted as absent.
std::optional<std::string> non_empty_string(const nlohmann::json& object, std::string_view name);

}  // namespace otts
