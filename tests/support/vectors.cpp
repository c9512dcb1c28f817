#include "tests/support/vectors.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

namespace otts::test {

std::optional<std::filesystem::path> vectors_dir() {
    const char* env = std::getenv("OTTS_TEST_VECTORS");
    std::filesystem::path dir = env && *env ? env : OTTS_DEFAULT_VECTORS_DIR;
    if (std::filesystem::is_directory(dir)) return dir;
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL("test vectors missing under CI=true: " << dir);
    WARN("skipped: test vectors not found at " << dir << " (set OTTS_TEST_VECTORS)");
    return std::nullopt;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

nlohmann::json read_json(const std::filesystem::path& path) { return nlohmann::json::parse(read_text(path)); }

}  // namespace otts::test
