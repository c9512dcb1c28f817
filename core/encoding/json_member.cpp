#include "core/encoding/json_member.hpp"

namespace otts {

const nlohmann::json* member(const nlohmann::json& object, std::string_view name) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view name) {
    const auto* value = member(object, name);
    if (!value || !value->is_string()) return std::nullopt;
    return value->get<std::string>();
}

std::optional<std::string> non_empty_string(const nlohmann::json& object, std::string_view name) {
    auto value = optional_string(object, name);
    if (value && value->empty()) return std::nullopt;
    return value;
}

}  // namespace otts
