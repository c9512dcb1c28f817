#pragma once
// Configuration lookup with one precedence rule (DESIGN §9): command-line overrides >
// environment > config file > the caller's default. The config file is `KEY=VALUE` lines using
// the same names as the environment ('#' starts a comment), so anything settable in one is
// settable in the other.
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace otts {

class Settings {
public:
    Settings() = default;

    // Reads `path` if it exists; a missing file is not an error, a malformed line is (usage).
    static Result<Settings> load(const std::filesystem::path& path);

    // Values given on the command line; they beat everything else.
    void set_override(std::string name, std::string value);

    // The first of `names` found at the highest level: overrides for all names, then the
    // environment for all names, then the file for all names. Empty values count as unset.
    std::optional<std::string> get(std::initializer_list<std::string_view> names) const;
    std::optional<std::string> get(std::string_view name) const { return get({name}); }

private:
    std::map<std::string, std::string, std::less<>> m_overrides;
    std::map<std::string, std::string, std::less<>> m_file;
};

}  // namespace otts
