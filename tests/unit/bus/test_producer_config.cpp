#include <catch2/catch.hpp>

#include "oex/bus/producer_config.hpp"
#include "support/catalog_fixture.hpp"

using oex::test::catalog;

TEST_CASE("check_producer_config: the usable routes of each event type, for produce")
{
  const std::string text = R"({
  "org.openedx.content_authoring.xblock.published.v1": {
    "xblock-lifecycle": {"event_key_field": "xblock_info.usage_key", "enabled": true},
    "xblock-published": {"event_key_field": "xblock_info.usage_key", "enabled": false},
    "xblock-broken": {"event_key_field": "xblock_info.nothing", "enabled": true}
  },
  "org.openedx.learning.course.enrollment.created.v1": {
    "enrollment": {"event_key_field": "enrollment.user.id", "enabled": true},
    "enrollment": {"event_key_field": "enrollment.course.course_key", "enabled": true}
  }
})";
  const oex::ProducerConfigCheck check = oex::check_producer_config("c.json", text, catalog());
  REQUIRE(check.findings.size() == 2);
  CHECK(check.findings[0].rule == "key-field");
  CHECK(check.findings[0].line == 5);
  CHECK(check.findings[0].event_type == "org.openedx.content_authoring.xblock.published.v1");
  CHECK(check.findings[1].rule == "duplicate-key");
  CHECK(check.topic_configs == 5);

  const auto xblock = check.config.routes.at("org.openedx.content_authoring.xblock.published.v1");
  REQUIRE(xblock.size() == 2); // the broken one is left out
  CHECK(xblock[1].topic == "xblock-published");
  CHECK_FALSE(xblock[1].enabled);
  const auto enabled =
    check.config.enabled_routes("org.openedx.content_authoring.xblock.published.v1");
  REQUIRE(enabled.size() == 1);
  CHECK(enabled[0].topic == "xblock-lifecycle");
  CHECK(enabled[0].event_key_field == "xblock_info.usage_key");
  // A repeated topic replaces the earlier one, as in the Python dict.
  const auto enrollment =
    check.config.enabled_routes("org.openedx.learning.course.enrollment.created.v1");
  REQUIRE(enrollment.size() == 1);
  CHECK(enrollment[0].event_key_field == "enrollment.course.course_key");
  CHECK(check.config.enabled_routes("org.openedx.learning.nothing.v1").empty());
}
