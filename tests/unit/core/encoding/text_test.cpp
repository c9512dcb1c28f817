#include "core/encoding/text.hpp"

#include <catch2/catch.hpp>

using namespace otts;

TEST_CASE("html_escape replaces the five characters HTML gives meaning to", "[text]") {
    CHECK(html_escape(R"(<a href="x">Tom & 'Jerry'</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    CHECK(html_escape("plain text, é") == "plain text, é");
    CHECK(html_escape("") == "");
    CHECK(html_escape("&amp;") == "&amp;amp;");  // escaped again, never taken as escaped already
}
