#include <regex>

#include <catch2/catch.hpp>

#include "oex/util/text.hpp"

TEST_CASE("oex::edit_distance")
{
  CHECK(oex::edit_distance("enrollment", "enrolment", 5) == 1);
  CHECK(oex::edit_distance("", "abc", 5) == 3);
  CHECK(oex::edit_distance("abc", "abc", 5) == 0);
  CHECK(oex::edit_distance("kitten", "sitting", 5) == 3);
  CHECK(oex::edit_distance("a", "abcdefgh", 2) == 3); // capped at max + 1
}

TEST_CASE("oex::closest_match")
{
  const std::vector<std::string_view> names{"list", "show", "metadata", "schema"};
  CHECK(oex::closest_match("lsit", names) == "list");
  CHECK(oex::closest_match("metdata", names) == "metadata");
  CHECK(!oex::closest_match("frobnicate", names));
}

TEST_CASE("oex::glob_match")
{
  CHECK(oex::glob_match("*.enrollment.*", "org.openedx.learning.course.enrollment.created.v1"));
  CHECK(
    !oex::glob_match("*.enrollment.*", "org.openedx.learning.course.unenrollment.completed.v1"));
  CHECK(oex::glob_match("org.openedx.learning.*", "org.openedx.learning.x"));
  CHECK(oex::glob_match("*", ""));
  CHECK(oex::glob_match("a?c", "abc"));
  CHECK(!oex::glob_match("a?c", "ac"));
  CHECK(oex::glob_match("*.v[12]", "x.v1"));
  CHECK(!oex::glob_match("*.v[!12]", "x.v1"));
  CHECK(oex::glob_match("*.v[0-9]", "x.v7"));
  CHECK(oex::glob_match("a[b", "a[b")); // an unclosed set is literal
  CHECK(!oex::glob_match("abc", "abcd"));
  CHECK(oex::glob_match("a*b*c", "aXXbYYc"));
}

TEST_CASE("oex::position_of")
{
  const std::string text = "ab\ncd\n";
  CHECK(oex::position_of(text, 0).line == 1);
  CHECK(oex::position_of(text, 0).column == 1);
  CHECK(oex::position_of(text, 4).line == 2);
  CHECK(oex::position_of(text, 4).column == 2);
  CHECK(oex::position_of(text, 100).line == 3);
}

TEST_CASE("oex::whole_string_pattern")
{
  // Grouped, so that an alternation in the body is anchored as a whole.
  CHECK(oex::whole_string_pattern("a|b") == "^(?:a|b)$(?!\\n)");
  const std::regex pattern(oex::whole_string_pattern("a|b"), std::regex::ECMAScript);
  CHECK(std::regex_search("a", pattern));
  CHECK_FALSE(std::regex_search("ab", pattern));
  CHECK_FALSE(std::regex_search("xb", pattern));
  CHECK_FALSE(std::regex_search("a\n", pattern));
}

TEST_CASE("oex::utf8_prefix_length")
{
  CHECK(oex::utf8_prefix_length("abc", 5) == 3);
  CHECK(oex::utf8_prefix_length("abcdef", 4) == 4);
  CHECK(oex::utf8_prefix_length("ab\xc3\xa9", 3) == 2); // é cut after its lead byte
  CHECK(oex::utf8_prefix_length("ab\xe2\x82\xac"
                                "c",
                                4)
        == 2); // € cut inside
  CHECK(oex::utf8_prefix_length("ab\xe2\x82\xac"
                                "c",
                                5)
        == 5); // € whole
  CHECK(oex::utf8_prefix_length("\xf0\x9f\x98\x80", 3) == 0);
}

TEST_CASE("oex::escape_control")
{
  CHECK(oex::escape_control("plain text, é and 😀") == "plain text, é and 😀");
  CHECK(oex::escape_control("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  CHECK(oex::escape_control("\x1b[31mred\x1b[0m") == "\\e[31mred\\e[0m");
  CHECK(oex::escape_control(std::string("\0\x07\x7f", 3)) == "\\x00\\x07\\x7f");
  CHECK(oex::escape_control("\xc2\x9b"
                            "2J")
        == "\\u009b2J");                                           // C1 CSI
  CHECK(oex::escape_control("\xff\xc3(") == "\\xff\\xc3(");        // not UTF-8
  CHECK(oex::escape_control("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
}

TEST_CASE("LineIndex: the same places as position_of, for every offset")
{
  const std::string text = "ab\n\ncd\r\nef\n";
  const oex::LineIndex lines(text);
  for (std::size_t offset = 0; offset <= text.size() + 2; ++offset) {
    INFO(offset);
    const oex::TextPosition expected = oex::position_of(text, offset);
    const oex::TextPosition got = lines.position_of(offset);
    CHECK(got.line == expected.line);
    CHECK(got.column == expected.column);
  }
  CHECK(oex::LineIndex("").position_of(0).line == 1);
}
