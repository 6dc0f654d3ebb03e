// The compact-text shortcut of oex::PayloadValidator::check (DocumentCheck::compact), which
// lets send_event hand a payload to receivers as it is instead of through minify_json: whenever
// it says compact, the text must be exactly what minify_json makes of it, on every event type's
// samples, on the same texts spaced out in every way JSON allows, and on broken copies.

#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/catalog_fixture.hpp"
#include "support/random.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/json_value.hpp"

namespace {

using oex::test::catalog;
using oex::test::Random;

const std::vector<std::string> k_spaces = {" ", "\t", "\n", "\r", "  \r\n\t"};

} // namespace

TEST_CASE("oex::PayloadValidator: a payload said to be compact is its own minify_json")
{
  Random random{7};
  std::size_t compact = 0;
  std::size_t spaced = 0;
  for (const oex::EventType* event : catalog().all_events()) {
    oex::PayloadValidator validator(*event);
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      const nlohmann::ordered_json parsed = oex::sample_payload(*event, {.seed = seed});
      INFO(event->event_type << " seed " << seed);
      // As `oex sample` writes them: compact, and taken as they are.
      for (const std::string& sample : {parsed.dump(), parsed.dump(-1, ' ', true)}) {
        const oex::DocumentCheck check = validator.check(sample);
        REQUIRE(check.valid());
        CHECK(check.compact);
        CHECK(oex::minify_json(sample) == sample);
      }
      // Indented: valid, never compact.
      const oex::DocumentCheck indented = validator.check(parsed.dump(2));
      REQUIRE(indented.valid());
      CHECK_FALSE(indented.compact);
      // Whitespace put at random places, inside strings or between tokens; the check must say
      // compact exactly when minify_json leaves the text as it is.
      const std::string sample = parsed.dump();
      for (int round = 0; round < 40; ++round) {
        std::string document = sample;
        for (std::size_t n = 1 + random.below(3); n > 0; --n) {
          document.insert(random.below(document.size() + 1), k_spaces[random.below(k_spaces.size())]);
        }
        INFO("document: " << document);
        const oex::DocumentCheck check = validator.check(document);
        const bool same = oex::minify_json(document) == document;
        if (check.compact) {
          REQUIRE(check.valid());
          REQUIRE(same);
          ++compact;
        } else if (check.valid() && !same) {
          ++spaced;
        }
        if (check.valid() && validator.check_exact(document).valid() && same) {
          // Whitespace only inside strings: still compact.
          CHECK(check.compact);
        }
      }
    }
  }
  // Both sides must have been seen often, or this test would prove little.
  CHECK(compact > 100);
  CHECK(spaced > 100);
}

TEST_CASE("oex::PayloadValidator: compact is only said of valid payloads, after a byte order mark")
{
  const oex::EventType& event = *catalog().find("org.openedx.learning.course.enrollment.created.v1");
  oex::PayloadValidator validator(event);
  const std::string sample = oex::sample_payload(event, {.seed = 1}).dump();
  CHECK(validator.check(sample).compact);
  CHECK(validator.check("\xef\xbb\xbf" + sample).compact);
  CHECK_FALSE(validator.check(" " + sample).compact);
  CHECK_FALSE(validator.check(sample + "\n").compact);
  CHECK_FALSE(validator.check(sample + "x").compact);
  CHECK_FALSE(validator.check("{}").compact);
  CHECK_FALSE(validator.check("not json").compact);
  // The envelope form never takes the one-pass check.
  oex::PayloadValidator envelope(event, oex::PayloadForm::envelope);
  CHECK_FALSE(envelope.check(sample).compact);
}
