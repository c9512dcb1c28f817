#include "adapters/settings.hpp"

#include <unistd.h>  // environ

#include <fstream>

#include "core/encoding/text.hpp"

namespace otts {
namespace {

std::optional<std::string> find_in(const Environment& map, std::string_view name) {
    const auto it = map.find(name);
    if (it == map.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

}  // namespace

Environment process_environment() {
    Environment variables;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto eq = text.find('=');
        if (eq != std::string_view::npos) variables.emplace(text.substr(0, eq), text.substr(eq + 1));
    }
    return variables;
}

Result<Settings> Settings::load(const std::filesystem::path& path, Environment environment) {
    Settings settings(std::move(environment));
    std::ifstream in(path);
    if (!in) return settings;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = std::string(trim(line));
        if (line.empty() || line[0] == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string::npos || eq == 0) {
            return make_error(ErrorCode::usage, path.string() + ":" + std::to_string(number) + ": expected KEY=VALUE");
        }
        std::string value(trim(std::string_view(line).substr(eq + 1)));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        settings.m_file[std::string(trim(std::string_view(line).substr(0, eq)))] = value;
    }
    return settings;
}

void Settings::set_override(std::string name, std::string value) { m_overrides[std::move(name)] = std::move(value); }

std::optional<std::string> Settings::get(std::initializer_list<std::string_view> names) const {
    for (auto name : names) {
        if (auto v = find_in(m_overrides, name)) return v;
    }
    for (auto name : names) {
        if (auto v = find_in(m_environment, name)) return v;
    }
    for (auto name : names) {
        if (auto v = find_in(m_file, name)) return v;
    }
    return std::nullopt;
}

}  // namespace otts
