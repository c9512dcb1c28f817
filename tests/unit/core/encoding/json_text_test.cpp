#include "core/encoding/json_text.hpp"

#include <catch2/catch.hpp>

using otts::json_text;

TEST_CASE("json_text dumps valid UTF-8 as dump() does", "[json_text]") {
    const nlohmann::json value = {{"a", "caf\xC3\xA9"}, {"n", 1}};
    CHECK(json_text(value) == value.dump());
    CHECK(json_text(value, 2) == value.dump(2));
}

TEST_CASE("json_text replaces invalid UTF-8 with U+FFFD instead of throwing", "[json_text]") {
    CHECK(json_text(nlohmann::json("a\xff")) == "\"a\xEF\xBF\xBD\"");
    CHECK(json_text({{"path", "/\xC3"}}) == "{\"path\":\"/\xEF\xBF\xBD\"}");  // a truncated sequence
}
