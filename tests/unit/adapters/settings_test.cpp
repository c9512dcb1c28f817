#include "adapters/settings.hpp"

#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/support/sqlite_fixture.hpp"

using namespace otts;

namespace {

Settings load_with(const test::TempDir& dir, const std::string& text, Environment environment) {
    std::ofstream(dir.file("config")) << text;
    auto settings = Settings::load(dir.file("config"), std::move(environment));
    REQUIRE(settings);
    return std::move(*settings);
}

}  // namespace

TEST_CASE("settings rank overrides over the environment over the config file", "[settings]") {
    const test::TempDir dir;
    auto settings = load_with(dir, "A=file\nB=file\nC=file\n", Environment{{"A", "env"}, {"B", "env"}});
    settings.set_override("A", "flag");
    CHECK(settings.get("A") == "flag");
    CHECK(settings.get("B") == "env");
    CHECK(settings.get("C") == "file");
    CHECK_FALSE(settings.get("D"));
}

TEST_CASE("settings look up several names level by level", "[settings]") {
    const test::TempDir dir;
    const auto settings = load_with(dir, "OTTS_SECRET=from-file\n", Environment{{"JWT_SECRET", "from-env"}});
    // The environment's JWT_SECRET beats the file's OTTS_SECRET although OTTS_SECRET is named first.
    CHECK(settings.get({"OTTS_SECRET", "JWT_SECRET"}) == "from-env");
}

TEST_CASE("settings count empty values as unset at every level", "[settings]") {
    const test::TempDir dir;
    auto settings = load_with(dir, "A=\nB=file\n", Environment{{"A", ""}, {"B", ""}});
    settings.set_override("B", "");
    CHECK_FALSE(settings.get("A"));
    CHECK(settings.get("B") == "file");
}

TEST_CASE("settings read the config file's comments, blanks and quotes", "[settings]") {
    const test::TempDir dir;
    const auto settings = load_with(dir, "# a comment\n\n  A = 'quoted value'  \nB=\"x\"\n", {});
    CHECK(settings.get("A") == "quoted value");
    CHECK(settings.get("B") == "x");
}

TEST_CASE("settings reject a config line without KEY=VALUE, naming the line", "[settings]") {
    const test::TempDir dir;
    std::ofstream(dir.file("config")) << "A=1\nnot a setting\n";
    const auto settings = Settings::load(dir.file("config"), {});
    REQUIRE_FALSE(settings);
    CHECK(settings.error().code == ErrorCode::usage);
    CHECK_THAT(settings.error().message(), Catch::Contains("config:2"));
}

TEST_CASE("settings without a config file are the environment alone", "[settings]") {
    const test::TempDir dir;
    const auto settings = Settings::load(dir.file("absent"), Environment{{"A", "env"}});
    REQUIRE(settings);
    CHECK(settings->get("A") == "env");
}

TEST_CASE("settings see no environment unless given one", "[settings]") {
    // PATH is set in every process that runs this test.
    REQUIRE(std::getenv("PATH") != nullptr);
    CHECK_FALSE(Settings{}.get("PATH"));
    CHECK(Settings(process_environment()).get("PATH") == std::string(std::getenv("PATH")));
}
