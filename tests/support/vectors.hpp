#pragma once
// Locates ../shared/vectors (or $OTTS_TEST_VECTORS). Tests that need vectors call
// vectors_dir(); when the folder is missing it returns nullopt after a WARN, except under
// CI=true where the absence is a test failure.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace otts::test {

std::optional<std::filesystem::path> vectors_dir();
nlohmann::json read_json(const std::filesystem::path& path);
std::string read_text(const std::filesystem::path& path);

}  // namespace otts::test
