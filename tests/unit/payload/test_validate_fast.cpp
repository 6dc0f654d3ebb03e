// The fast paths of oex::PayloadValidator (payload/fast_check.cpp, then RapidJSON) against the
// positional reading alone: on sampled payloads of every event type and many broken copies of
// them, check() must give exactly the findings check_exact() gives, and the one-pass FastCheck
// must never accept a document the positional reading refuses.

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/catalog_fixture.hpp"
#include "support/payload_mutations.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"
#include "payload/fast_check.hpp"

namespace {

using oex::test::catalog;
using oex::test::mutate;
using oex::test::mutate_members;
using oex::test::Random;

std::string describe(const oex::DocumentCheck& check)
{
  std::string out = check.malformed ? "malformed\n" : "";
  for (const oex::Finding& finding : check.findings) {
    out += std::to_string(finding.offset) + " " + finding.path + ": " + finding.message + "\n";
  }
  return out;
}

} // namespace

TEST_CASE("oex::PayloadValidator: the fast paths agree with the positional reading")
{
  Random random{12};
  std::size_t documents = 0;
  std::size_t invalid = 0;
  std::size_t taken = 0; // broken copies that are still valid, and that FastCheck took
  for (const oex::EventType* event : catalog().all_events()) {
    oex::PayloadValidator validator(*event);
    oex::FastCheck fast(*event);
    for (std::uint64_t seed = 0; seed < 2; ++seed) {
      const nlohmann::ordered_json parsed = oex::sample_payload(*event, {.seed = seed});
      const std::string sample = parsed.dump();
      INFO(event->event_type << " seed " << seed);
      // Every sampled payload is valid, and the one-pass check takes it.
      REQUIRE(validator.check_exact(sample).valid());
      REQUIRE(fast.accepts(sample));
      REQUIRE(validator.check(sample).valid());
      for (int round = 0; round < 150; ++round) {
        std::string document =
          round % 3 == 0 ? mutate_members(parsed, random) : mutate(sample, random);
        if (random.below(3) == 0) {
          document = mutate(document, random);
        }
        INFO("document: " << document);
        const oex::DocumentCheck exact = validator.check_exact(document);
        if (fast.accepts(document)) {
          REQUIRE(describe(exact) == "");
          ++taken;
        }
        REQUIRE(describe(validator.check(document)) == describe(exact));
        ++documents;
        if (!exact.valid()) {
          ++invalid;
        }
      }
    }
  }
  // The mutations must mostly break something, or this test would prove little.
  CHECK(invalid > documents / 2);
  CHECK(taken > 100);
}

TEST_CASE("oex::FastCheck: the edges, each against the positional reading")
{
  const oex::EventType& event =
    catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  oex::PayloadValidator validator(event);
  oex::FastCheck fast(event);
  const std::string sample = oex::sample_payload(event, {.seed = 3}).dump();
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string text = sample;
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  const std::string id = sample.substr(sample.find("\"id\":") + 5,
                                       sample.find(',', sample.find("\"id\":")) - sample.find("\"id\":") - 5);
  struct Case
  {
    std::string document;
    bool fast_accepts;
  };
  std::string deep(2000, '[');
  const std::vector<Case> cases = {
    {sample, true},
    {sample + "\n", true},                    // trailing space of any JSON kind
    {" \t\r\n" + sample + " \r\n", true},
    {sample + "x", false},                    // bytes after the document
    {sample.substr(0, sample.size() - 1), false}, // cut short
    {with("\"id\":" + id, "\"id\":9223372036854775807"), true},
    {with("\"id\":" + id, "\"id\":-9223372036854775808"), true},
    {with("\"id\":" + id, "\"id\":9223372036854775808"), false}, // past 64 bits
    {with("\"id\":" + id, "\"id\":-9223372036854775809"), false},
    {with("\"id\":" + id, "\"id\":123456789012345678901234567890"), false},
    {with("\"id\":" + id, "\"id\":1.0"), false},
    {with("\"id\":" + id, "\"id\":1e2"), false},
    {with("\"id\":" + id, "\"id\":-0"), true},
    {with("\"id\":" + id, "\"id\":01"), false},
    {with("\"id\":" + id, "\"id\":" + deep), false}, // deep nesting
    {with("\"mode\":\"", "\"mode\":\"\\u00e9\\ud83d\\ude00\\n"), true},
    {with("\"mode\":\"", "\"mode\":\"\xc3\xa9\xf0\x9f\x98\x80"), true},
    {with("\"mode\":\"", "\"mode\":\"\\ud800"), false},  // lone surrogates
    {with("\"mode\":\"", "\"mode\":\"\\udc00"), false},
    {with("\"mode\":\"", "\"mode\":\"\xed\xa0\x80"), false}, // a surrogate in UTF-8
    {with("\"mode\":\"", "\"mode\":\"\xc0\xaf"), false},     // overlong
    {with("\"mode\":\"", "\"mode\":\"\xf4\x90\x80\x80"), false}, // past U+10FFFF
    {with("\"mode\":\"", "\"mode\":\"\xc3"), false},         // cut sequence
    {with("\"mode\":\"", "\"mode\":\"\t"), false},           // a raw control character
    {with("\"mode\":", "\"mode\":\"x\",\"mode\":"), false},  // a duplicate field
    {with("{\"enrollment\":", "{\"\\u0065nrollment\":"), true}, // an escaped key
    {with("\"course_key\":\"", "\"course_key\":\"course-v1:\\u0041+"), false},
    {with("\"course_key\":\"course-v1:", "\"course_key\":\"c\\u006furse-v1:"), true},
    {"{\"enrollment\":null}", false},
    {"[]", false},
    {"", false},
  };
  for (const Case& c : cases) {
    INFO("document: " << c.document);
    const oex::DocumentCheck exact = validator.check_exact(c.document);
    CHECK(fast.accepts(c.document) == c.fast_accepts);
    // The same text as the start of a larger buffer (a JSON Lines block) whose next bytes would
    // complete a cut document: nothing past the end is read.
    const std::string buffer = c.document + "\"}}}]\n{}";
    CHECK(fast.accepts(std::string_view(buffer).substr(0, c.document.size())) == c.fast_accepts);
    if (c.fast_accepts) {
      CHECK(exact.valid());
    }
    CHECK(describe(validator.check(c.document)) == describe(exact));
  }
}

TEST_CASE("oex::FastCheck: every byte at every place of a string, against the positional reading")
{
  // The last string of the sample, so that its end falls in the last 16 bytes of the text (read
  // byte by byte) and its start, for longer strings, in the blocks read 16 or 8 at a time.
  const oex::EventType& event =
    catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  oex::PayloadValidator validator(event);
  oex::FastCheck fast(event);
  const std::string sample = oex::sample_payload(event, {.seed = 3}).dump();
  const std::size_t start = sample.rfind("\"name\":\"") + 8;
  const std::size_t stop = sample.find('"', start);
  REQUIRE(sample.size() - stop < 16);
  const auto check = [&](std::size_t length, std::size_t at, unsigned char byte) {
    std::string text(length, 'x');
    text[at] = static_cast<char>(byte);
    const std::string document = std::string(sample).replace(start, stop - start, text);
    INFO("string of " << length << " bytes, byte " << int(byte) << " at " << at);
    const bool plain = byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\';
    REQUIRE(validator.check_exact(document).valid() == plain);
    REQUIRE(fast.accepts(document) == plain);
    // Not the last string: the same text well before the end of the document.
    const std::string early = document + std::string(40, ' ');
    REQUIRE(fast.accepts(early) == plain);
  };
  for (unsigned byte = 0; byte < 256; ++byte) {
    for (std::size_t at = 0; at < 40; ++at) {
      check(40, at, static_cast<unsigned char>(byte));
    }
  }
  for (std::size_t length = 1; length < 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (const unsigned byte : {0x00u, 0x1fu, 0x20u, 0x22u, 0x5cu, 0x7fu, 0x80u, 0xc3u, 0xffu}) {
        check(length, at, static_cast<unsigned char>(byte));
      }
    }
  }
}

TEST_CASE("oex::is_valid_key: the ASCII shortcut agrees with the full grammar")
{
  // The shortcut takes only course-v1:A+B+C, block-v1:A+B+C+type@T+block@B, ccx-v1:A+B+C+ccx@N
  // and the library v2
  // keys' fields in ASCII; every
  // text here is also judged with a non-ASCII character appended and removed again, which the
  // shortcut never takes, so the full grammar decides those.
  const std::vector<std::string> texts = {
    "course-v1:edX+DemoX+2024", "course-v1:e.d-X_~:+D+2", "course-v1:edX+DemoX", "course-v1:+a+b",
    "course-v1:a++b", "course-v1:a+b+c+", "course-v1:a+b+c\n", "course-v1:a+b+c+branch@x",
    "course-v1:a+b+c+version@0123456789abcdef01234567", "course-v1:a b+c+d", "course-v1:a+b+c%",
    "block-v1:a+b+c+type@problem+block@1", "block-v1:a+b+c+type@p+block@", "block-v1:a+b+c+block@1",
    "block-v1:a+b+c+type@p+block@1%2", "block-v1:a+b+c+type@p@q+block@1", "block-v1:a+b+type@p+block@1",
    "block-v1:a+b+c+type@p+block@1+x", "course-v1:a+b+c+type@p+block@1", "Course-v1:a+b+c",
    "lib:Org-1:physics_101.x", "lib:o:s:t", "lib:o", "lib::s", "lib:o:s\n", "lib:o~:s", "lib:o:s%",
    "lb:o:lib:problem:p1", "lb:o:lib:problem", "lb:o:lib:pro blem:p1", "lb:o:l:t:i:j",
    "lib-collection:o:lib:c-1", "lib-collection:o:lib", "lib-collection:o:lib:c:d",
    "lct:o:lib:unit:u1", "lct:o:lib:unit:", "lct:o:lib:unit:u1$", "lib-collection:o:l:c\t",
    "ccx-v1:edX+DemoX+2024+ccx@750", "ccx-v1:e.d-X_~:+D+2+ccx@0", "ccx-v1:a+b+c+ccx@",
    "ccx-v1:a+b+c+ccx@1a", "ccx-v1:a+b+c+CCX@1", "ccx-v1:a+b+ccx@1", "ccx-v1:a+b+c+ccx@1+",
    "ccx-v1:a+b+c+branch@x+ccx@1", "CCX-v1:a+b+c+ccx@1", "ccx-v1:a+b+c+ccx@12\n",
    "ccx-v1:a+b+c+ccx@1+type@p+block@b", "ccx-v1:a+b+c+version@0123456789abcdef01234567+ccx@1",
  };
  // Each character of a usual CCX key replaced by another, or dropped.
  std::vector<std::string> mutated;
  const std::string ccx = "ccx-v1:edX+DemoX+2024+ccx@750";
  for (std::size_t i = 0; i < ccx.size(); ++i) {
    for (const char c : std::string("+@:~.x9A %-_\n")) {
      std::string text = ccx;
      text[i] = c;
      mutated.push_back(text);
    }
    mutated.push_back(std::string(ccx).erase(i, 1));
  }
  for (const std::string& text : mutated) {
    INFO(text);
    CHECK(oex::is_valid_key(oex::KeyKind::ccx_locator, text)
          == oex::canonical_key(oex::KeyKind::ccx_locator, text).has_value());
  }
  for (const std::string& text : texts) {
    for (const std::string& variant : {text, text + "\xc3\xa9"}) {
      INFO(variant);
      for (const oex::KeyKind kind :
           {oex::KeyKind::course_key, oex::KeyKind::usage_key, oex::KeyKind::ccx_locator,
            oex::KeyKind::library_locator_v2, oex::KeyKind::library_usage_locator_v2,
            oex::KeyKind::library_collection_locator, oex::KeyKind::library_container_locator}) {
        CHECK(oex::is_valid_key(kind, variant) == oex::canonical_key(kind, variant).has_value());
      }
    }
  }
}

TEST_CASE("oex::is_valid_key: every byte in every part of a usual key, shortcut against the full grammar")
{
  // Each byte value put in place of, and before, every character of usual keys of each kind
  // (the shortcut reads the parts' bytes from a table).
  const std::vector<std::pair<oex::KeyKind, std::string>> keys = {
    {oex::KeyKind::course_key, "course-v1:edX+DemoX+2024"},
    {oex::KeyKind::usage_key, "block-v1:edX+DemoX+2024+type@problem+block@1"},
    {oex::KeyKind::ccx_locator, "ccx-v1:edX+DemoX+2024+ccx@750"},
    {oex::KeyKind::library_locator_v2, "lib:Org-1:physics_101.x"},
    {oex::KeyKind::library_usage_locator_v2, "lb:o:lib:problem:p1"},
    {oex::KeyKind::library_collection_locator, "lib-collection:o:lib:c-1"},
    {oex::KeyKind::library_container_locator, "lct:o:lib:unit:u1"},
  };
  for (const auto& [kind, key] : keys) {
    for (std::size_t i = 0; i < key.size(); ++i) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string replaced = key;
        replaced[i] = static_cast<char>(byte);
        std::string inserted = key;
        inserted.insert(i, 1, static_cast<char>(byte));
        for (const std::string& text : {replaced, inserted}) {
          INFO(text);
          CHECK(oex::is_valid_key(kind, text) == oex::canonical_key(kind, text).has_value());
        }
      }
    }
  }
}

TEST_CASE("oex::is_isoformat agrees with oex::parse_isoformat")
{
  const auto same = [](const std::string& text) {
    INFO(text);
    CHECK(oex::is_isoformat(text) == static_cast<bool>(oex::parse_isoformat(text)));
  };
  // Every date of some years (and the days and months just outside), every hour, minute and second.
  for (const std::string year : {"0000", "0001", "1900", "2000", "2023", "2024", "9999"}) {
    for (int month = 0; month <= 13; ++month) {
      for (int day = 0; day <= 32; ++day) {
        char date[16];
        std::snprintf(date, sizeof date, "-%02d-%02d", month, day);
        same(year + date + "T10:00:00+00:00");
        same(year + date + "T10:00:00.123456+00:00");
      }
    }
  }
  for (int n = 0; n <= 61; ++n) {
    char two[4];
    std::snprintf(two, sizeof two, "%02d", n);
    same(std::string("2024-02-29T") + two + ":00:00+00:00");
    same(std::string("2024-02-29T00:") + two + ":00+00:00");
    same(std::string("2024-02-29T00:00:") + two + ".000001+00:00");
  }
  // Each character of the usual spellings replaced by another, or dropped.
  for (const std::string usual : {"2024-07-19T20:08:02+00:00", "2024-07-19T20:08:02.119689+00:00"}) {
    for (std::size_t i = 0; i < usual.size(); ++i) {
      for (const char c : std::string("05-:T .+Z\x7f") + '\xc3') {
        std::string text = usual;
        text[i] = c;
        same(text);
      }
      same(std::string(usual).erase(i, 1));
    }
  }
}
