#pragma once
// Configuration lookup with one precedence rule (DESIGN §9): command-line overrides >
// environment > config file > the caller's default. The config file is `KEY=VALUE` lines using
// the same names as the environment ('#' starts a comment), so anything settable in one is
// settable in the other.
//
// The environment is handed in, never read behind the caller's back: front ends pass
// process_environment(), tests pass the variables they mean (or none), so a test's outcome
// does not depend on what happens to be exported where it runs.
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace otts {

// Environment variables by name.
using Environment = std::map<std::string, std::string, std::less<>>;

// The process's environment variables as they are now.
Environment process_environment();

class Settings {
public:
    // No environment: only overrides count.
    Settings() = default;
    explicit Settings(Environment environment) : m_environment(std::move(environment)) {}

    // `environment` plus `path` if it exists; a missing file is not an error, a malformed line
    // is (usage).
    static Result<Settings> load(const std::filesystem::path& path, Environment environment);

    // Values given on the command line; they beat everything else.
    void set_override(std::string name, std::string value);

    // The first of `names` found at the highest level: overrides for all names, then the
    // environment for all names, then the file for all names. Empty values count as unset.
    std::optional<std::string> get(std::initializer_list<std::string_view> names) const;
    std::optional<std::string> get(std::string_view name) const { return get({name}); }

private:
    Environment m_overrides;
    Environment m_environment;
    Environment m_file;
};

}  // namespace otts
