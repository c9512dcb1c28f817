#include "core/encoding/json_member.hpp"

#include <catch2/catch.hpp>

using namespace otts;

TEST_CASE("member finds a present, non-null member of an object only", "[json_member]") {
    const auto object = nlohmann::json::parse(R"({"a": 1, "n": null, "s": "x"})");
    REQUIRE(member(object, "a"));
    CHECK(*member(object, "a") == 1);
    CHECK(member(object, "n") == nullptr);
    CHECK(member(object, "missing") == nullptr);
    for (const auto& other : {nlohmann::json::array({"a"}), nlohmann::json("a"), nlohmann::json(nullptr)}) {
        CHECK(member(other, "a") == nullptr);
    }
}

TEST_CASE("optional_string gives a string member, empty ones included, and nothing else", "[json_member]") {
    const auto object = nlohmann::json::parse(R"({"s": "x", "e": "", "n": null, "i": 5, "o": {}, "a": ["x"]})");
    CHECK(optional_string(object, "s") == "x");
    CHECK(optional_string(object, "e") == "");
    for (const char* name : {"n", "i", "o", "a", "missing"}) {
        INFO(name);
        CHECK_FALSE(optional_string(object, name).has_value());
    }
    CHECK_FALSE(optional_string(nlohmann::json::array(), "s").has_value());
}

TEST_CASE("non_empty_string counts an empty string as absent", "[json_member]") {
    const auto object = nlohmann::json::parse(R"({"s": "x", "e": "", "i": 5})");
    CHECK(non_empty_string(object, "s") == "x");
    CHECK_FALSE(non_empty_string(object, "e").has_value());
    CHECK_FALSE(non_empty_string(object, "i").has_value());
    CHECK_FALSE(non_empty_string(object, "missing").has_value());
}
