#include <fstream>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"

using oex::Catalog;

TEST_CASE("Catalog::builtin")
{
  const Catalog catalog = Catalog::builtin();
  CHECK(catalog.all_events().size() == 75);
  CHECK(catalog.data_classes().size() == 54);
  CHECK(catalog.library_name() == "openedx-events");
  CHECK(catalog.library_version() == "11.2.0");

  int off_bus = 0;
  std::set<std::string> names;
  for (const oex::EventType* event : catalog.all_events()) {
    off_bus += event->bus ? 0 : 1;
    CHECK(!event->description.empty());
    CHECK(names.insert(event->name).second);
  }
  CHECK(off_bus == 3);

  const oex::EventType& enrollment =
    catalog.get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  CHECK(enrollment.name == "COURSE_ENROLLMENT_CREATED");
  CHECK(enrollment.subdomain == "learning");
  CHECK(enrollment.key_field == "enrollment.course.course_key");
  CHECK(enrollment.trigger_repository == "openedx/edx-platform");
  REQUIRE(enrollment.data.size() == 1);
  CHECK(enrollment.data[0].data_class->qualified_name() == "learning.CourseEnrollmentData");
}

TEST_CASE("Catalog::builtin: inherited fields come first (attrs order)")
{
  const Catalog catalog = Catalog::builtin();
  const oex::DataClass* user = catalog.find_class("learning.UserData");
  REQUIRE(user);
  REQUIRE(user->fields.size() == 3);
  CHECK(user->fields[0].name == "id");
  CHECK(user->fields[1].name == "is_active");
  CHECK(user->fields[2].name == "pii");
  const oex::DataClass* duplicated = catalog.find_class("content_authoring.DuplicatedXBlockData");
  REQUIRE(duplicated);
  REQUIRE(duplicated->fields.size() == 4);
  CHECK(duplicated->fields[3].name == "source_usage_key");
}

TEST_CASE("Catalog::get_signal_by_type")
{
  const Catalog catalog = Catalog::builtin();
  try {
    catalog.get_signal_by_type("org.openedx.learning.course.enrolment.created.v1");
    FAIL("no exception");
  } catch (const oex::UnknownEventType& e) {
    CHECK(std::string(e.what())
          == "unknown event type 'org.openedx.learning.course.enrolment.created.v1'");
    CHECK(e.suggestion() == "org.openedx.learning.course.enrollment.created.v1");
  }
  try {
    catalog.get_signal_by_type("nothing.like.it");
    FAIL("no exception");
  } catch (const oex::UnknownEventType& e) {
    CHECK(!e.suggestion());
  }
  CHECK(catalog.find("nothing") == nullptr);
}

TEST_CASE("Catalog::builtin: matches upstream's facts", "[conformance]")
{
  std::ifstream in(CONFORMANCE_DIR "/openedx-events-11.2.0/catalog-facts.json");
  if (!in) {
    WARN("no conformance data at " CONFORMANCE_DIR ": skipped");
    return;
  }
  const auto facts = nlohmann::json::parse(in);
  const Catalog catalog = Catalog::builtin();
  for (const auto& fact : facts["events"]) {
    const oex::EventType* event = catalog.find(fact["event_type"].get<std::string>());
    REQUIRE(event);
    CHECK(event->name == fact["name"]);
    CHECK(event->subdomain == fact["subdomain"]);
    CHECK(event->data.size() == fact["data"].size());
    for (const auto& key : event->data) {
      CHECK(key.data_class->name == fact["data"][key.name]);
    }
    CHECK(event->key_field.value_or("") == fact.value("key_field", ""));
    CHECK(event->trigger_repository.value_or("") == fact.value("trigger_repository", ""));
    CHECK(event->warning.has_value() == fact.contains("warning"));
  }
  for (const auto& [qualified, fact] : facts["data_classes"].items()) {
    const oex::DataClass* cls = catalog.find_class(qualified);
    REQUIRE(cls);
    REQUIRE(cls->own_fields.size() == fact["fields"].size());
    for (std::size_t i = 0; i < cls->own_fields.size(); ++i) {
      const auto& field = cls->own_fields[i];
      const auto& expected = fact["fields"][i];
      CHECK(field.name == expected["name"]);
      CHECK(field.type.spelling() == expected["type"]);
      CHECK(field.default_value.optional()
            == (expected.contains("default") || expected.contains("factory")));
      if (expected.contains("default") && expected["default"].is_null()) {
        CHECK(field.default_value.kind == oex::DefaultKind::none);
      }
    }
  }
}
