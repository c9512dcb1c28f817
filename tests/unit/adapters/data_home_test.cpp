#include "adapters/data_home.hpp"

#include <fstream>

#include <catch2/catch.hpp>

#include "tests/support/sqlite_fixture.hpp"

using namespace otts;

TEST_CASE("read_file reads a file of up to 64 KiB whole", "[data_home]") {
    test::TempDir dir;
    const std::string text(k_max_file_bytes, 'a');
    std::ofstream(dir.file("at-limit"), std::ios::binary) << text;
    const auto read = read_file(dir.file("at-limit"));
    REQUIRE(read);
    CHECK(*read == text);
}

// Issue 11: --secret-file /dev/zero read until the memory ran out.
TEST_CASE("read_file refuses a larger file, and /dev/zero, without reading it all", "[data_home]") {
    test::TempDir dir;
    std::ofstream(dir.file("big"), std::ios::binary) << std::string(k_max_file_bytes + 1, 'a');
    const auto big = read_file(dir.file("big"));
    REQUIRE_FALSE(big);
    CHECK(big.error().code == ErrorCode::key_error);
    CHECK(big.error().message().find("larger than 64 KiB") != std::string::npos);
    const auto zero = read_file("/dev/zero");
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message() == "cannot read /dev/zero: larger than 64 KiB");
}
