// Finding an event: by type or upstream name, and loading only what it needs (Catalog::lookup,
// Catalog::load_for, the build-time index of embedded_defs()).

#include <set>

#include <catch2/catch.hpp>

#include "oex/catalog/catalog.hpp"
#include "oex/catalog/embedded_defs.hpp"
#include "oex/util/error.hpp"

using oex::Catalog;
using oex::DefsSource;

namespace {

const char* k_cross = R"({"subdomain": "myplugin", "data_classes": [
  {"name": "ThingData", "fields": [{"name": "user", "type": "learning.UserData"},
                                   {"name": "course", "type": "List[content_authoring.CourseData]"}]}],
  "events": [{"event_type": "org.myplugin.thing.happened.v1", "name": "THING_HAPPENED",
              "data": {"thing": "ThingData"}}]})";

std::string field_names(const oex::DataClass& cls)
{
  std::string out;
  for (const oex::Field& field : cls.fields) {
    out += field.name + ":" + field.type.spelling() + " ";
  }
  return out;
}

} // namespace

TEST_CASE("embedded_defs: the build-time index agrees with the loaded catalog")
{
  for (const oex::EmbeddedFile& file : oex::embedded_defs()) {
    const Catalog one = Catalog::load({{std::string(file.name), std::string(file.text)}});
    std::vector<std::pair<std::string, std::string>> loaded, indexed;
    for (const oex::EventType* event : one.all_events()) {
      loaded.emplace_back(event->event_type, event->name);
      CHECK(event->subdomain == file.subdomain);
    }
    for (const oex::EmbeddedEvent& event : file.events) {
      indexed.emplace_back(event.event_type, event.name);
    }
    CHECK(loaded == indexed);
  }
}

TEST_CASE("Catalog::load_for: the same event as the whole catalog, for every event")
{
  const Catalog full = Catalog::builtin();
  for (const oex::EventType* event : full.all_events()) {
    for (const std::string& wanted : {event->event_type, event->name}) {
      const auto partial = Catalog::load_for(wanted, {});
      REQUIRE(partial);
      const oex::EventType& found = partial->lookup(wanted);
      CHECK(found.event_type == event->event_type);
      REQUIRE(found.data.size() == event->data.size());
      for (std::size_t i = 0; i < found.data.size(); ++i) {
        CHECK(field_names(*found.data[i].data_class) == field_names(*event->data[i].data_class));
      }
      CHECK(partial->library_version() == full.library_version());
    }
  }
  CHECK_FALSE(Catalog::load_for("org.openedx.nothing.v1", {}));
}

TEST_CASE("Catalog::load_for: user definitions that use other subdomains' classes")
{
  const std::vector<DefsSource> user{{"defs/x.json", k_cross}};
  const auto partial = Catalog::load_for("org.myplugin.thing.happened.v1", user);
  REQUIRE(partial);
  const oex::DataClass& thing = *partial->lookup("thing_happened").data[0].data_class;
  CHECK(field_names(thing) == "user:UserData course:List[CourseData] ");
  // A built-in event loads with user files that refer to other subdomains, and the user files
  // are still checked.
  CHECK(
    Catalog::load_for("COURSE_ENROLLMENT_CREATED", user)->find("org.myplugin.thing.happened.v1"));
  const std::vector<DefsSource> broken{{"defs/y.json", R"({"subdomain": "y", "events": [
    {"event_type": "y.v1", "name": "Y", "data": {"k": "learning.Nope"}}]})"}};
  CHECK_THROWS_WITH(Catalog::load_for("COURSE_ENROLLMENT_CREATED", broken),
                    "defs/y.json:2:55: events[0].data.k: unknown data class 'learning.Nope'");
}

TEST_CASE("Catalog::lookup: event types and upstream names")
{
  const Catalog catalog = Catalog::builtin();
  const std::string type = "org.openedx.learning.course.enrollment.created.v1";
  CHECK(catalog.lookup(type).event_type == type);
  CHECK(catalog.lookup("COURSE_ENROLLMENT_CREATED").event_type == type);
  CHECK(catalog.lookup("course_enrollment_created").event_type == type);
  const auto suggestion = [&](const std::string& wanted) -> std::string {
    try {
      catalog.lookup(wanted);
    } catch (const oex::UnknownEventType& e) {
      return std::string(e.what()) + " / " + e.suggestion().value_or("-");
    }
    return "(found)";
  };
  CHECK(suggestion("ORG.OPENEDX.LEARNING.COURSE.ENROLLMENT.CREATED.V1")
        == "unknown event type 'ORG.OPENEDX.LEARNING.COURSE.ENROLLMENT.CREATED.V1' / " + type);
  CHECK(suggestion("COURSE_ENROLMENT_CREATED")
        == "unknown event type 'COURSE_ENROLMENT_CREATED' / COURSE_ENROLLMENT_CREATED");
  CHECK(suggestion("zzz") == "unknown event type 'zzz' / -");

  std::vector<DefsSource> sources = Catalog::builtin_sources();
  sources.push_back({"defs/x.json", R"({"subdomain": "myplugin", "data_classes": [
    {"name": "D", "fields": []}], "events": [{"event_type": "org.myplugin.created.v1",
    "name": "COURSE_ENROLLMENT_CREATED", "data": {"d": "D"}}]})"});
  const Catalog twice = Catalog::load(sources);
  CHECK_THROWS_WITH(twice.lookup("course_enrollment_created"),
                    "event name 'course_enrollment_created' is ambiguous: it names " + type
                      + ", org.myplugin.created.v1");
  CHECK(catalog.subdomains()
        == std::vector<std::string>{"analytics", "authz", "content_authoring", "enterprise",
                                    "learning"});
}
