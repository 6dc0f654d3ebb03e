#include <catch2/catch.hpp>

#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"

using oex::Catalog;
using oex::DefsSource;

namespace {

// Loads the built-in catalog plus one user document named "user.json".
Catalog load_with(const std::string& text)
{
  std::vector<DefsSource> sources = Catalog::builtin_sources();
  sources.push_back({"user.json", text});
  return Catalog::load(sources);
}

std::string load_error(const std::string& text)
{
  try {
    load_with(text);
  } catch (const oex::Error& e) {
    return e.what();
  }
  return "(no error)";
}

const char* k_good_user_defs = R"({
  "subdomain": "myplugin",
  "data_classes": [
    {"name": "Base", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "str"}]},
    {"name": "Child", "bases": ["Base"], "fields": [
      {"name": "c", "type": "List[learning.UserData]", "factory": "list"},
      {"name": "a", "type": "int", "default": 3}]}
  ],
  "events": [
    {"event_type": "org.myplugin.thing.happened.v1", "name": "THING_HAPPENED",
     "data": {"thing": "Child", "user": "learning.UserData"}}
  ]
})";

} // namespace

TEST_CASE("Catalog::load: user definitions extend the built-in catalog")
{
  const Catalog catalog = load_with(k_good_user_defs);
  REQUIRE(catalog.all_events().size() == 76);
  const oex::EventType& event = catalog.get_signal_by_type("org.myplugin.thing.happened.v1");
  CHECK(event.subdomain == "myplugin");
  CHECK(event.minor_version == 0);
  CHECK(event.bus);
  CHECK(event.origin == "user.json");
  REQUIRE(event.data.size() == 2);
  CHECK(event.data[0].name == "thing"); // definition order, not sorted
  CHECK(event.data[1].data_class->qualified_name() == "learning.UserData");

  // attrs order: inherited fields first; a redefined field moves among the class's own fields.
  const oex::DataClass* child = catalog.find_class("myplugin.Child");
  REQUIRE(child);
  std::vector<std::string> names;
  for (const auto& field : child->fields) {
    names.push_back(field.name);
  }
  CHECK(names == std::vector<std::string>{"b", "c", "a"});
  CHECK(child->fields[2].default_value.kind == oex::DefaultKind::value);
  CHECK(child->fields[1].type.spelling() == "List[UserData]");
}

TEST_CASE("Catalog::load: broken definitions say where and what")
{
  CHECK(load_error("{\"subdomain\": \"x\",\n  \"events\": [}")
        == "user.json:2:14: invalid JSON: unexpected '}'; "
           "expected '[', '{', or a literal");
  CHECK(load_error("")
        == "user.json: empty file (expected a JSON object with 'subdomain', 'data_classes' and "
           "'events')");
  CHECK(load_error(" \n\t") == load_error(""));
  CHECK(load_error("{\"subdomain\": \"x\",\n \"events\": [1e999]}")
        == "user.json:2:13: invalid JSON: number out of range");
  CHECK(load_error("[]") == "user.json: expected a JSON object at the top level, got array");
  CHECK(load_error(R"({"subdomain": "x", "evnts": []})") == "user.json: unknown attribute 'evnts'");
  CHECK(load_error(R"({"events": []})") == "user.json: missing required attribute 'subdomain'");
  CHECK(load_error(R"({"subdomain": "x", "events": {}})")
        == "user.json: events: expected array, got object");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"name": "N", "data": {}}]})")
        == "user.json: events[0]: missing required attribute 'event_type'");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N"}]})")
        == "user.json: events[0]: missing required attribute 'data'");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {"k": "Nope"}}]})")
        == "user.json: events[0].data.k: unknown data class 'Nope'");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {}, "minor_version": "1"}]})")
        == "user.json: events[0].minor_version: expected integer, got string");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {}, "bus": 1}]})")
        == "user.json: events[0].bus: expected boolean, got integer");
  CHECK(load_error(R"({"subdomain": "learning", "events": [{"event_type":
                       "org.openedx.learning.course.enrollment.created.v1", "name": "N",
                       "data": {"enrollment": "CourseEnrollmentData"}}]})")
        == "user.json: events[0]: event type 'org.openedx.learning.course.enrollment.created.v1'"
           " is already defined in <builtin>/learning.json");
  CHECK(load_error(R"({"subdomain": "learning", "data_classes": [{"name": "UserData",
                       "fields": []}]})")
        == "user.json: data_classes[0]: data class 'learning.UserData' is already defined in "
           "<builtin>/learning.json");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "Strng"}]}]})")
        == "user.json: data_classes[0].fields[0].type: unknown type 'Strng'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "List[str"}]}]})")
        == "user.json: data_classes[0].fields[0].type: invalid type 'List[str': missing ']'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "dict[int, str]"}]}]})")
        == "user.json: data_classes[0].fields[0].type: invalid type 'dict[int, str]': dict keys "
           "must be str, e.g. dict[str, int]");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"type": "str"}]}]})")
        == "user.json: data_classes[0].fields[0]: missing required attribute 'name'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "str", "default": null, "factory": "str"}]}]})")
        == "user.json: data_classes[0].fields[0]: a field has either a 'default' or a 'factory', "
           "not both");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "str", "factory": "set"}]}]})")
        == "user.json: data_classes[0].fields[0].factory: unknown factory 'set' (expected str, "
           "list or dict)");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "str"}, {"name": "f", "type": "int"}]}]})")
        == "user.json: data_classes[0].fields[1]: field 'f' is defined twice");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "bases": ["Z"],
                       "fields": []}]})")
        == "user.json: data_classes[0].bases[0]: unknown data class 'Z'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [
                       {"name": "A", "bases": ["B"], "fields": []},
                       {"name": "B", "bases": ["A"], "fields": []}]})")
        == "user.json: data class 'x.A' inherits from itself");
  CHECK(load_error(R"({"catalog": {"name": "n", "version": "1.0.0"}})")
        == "user.json: catalog: the catalog is already described by <builtin>/catalog.json");
}

TEST_CASE("Catalog::load: data classes resolve within their own subdomain")
{
  // content_authoring has its own CourseData; an unqualified name never reaches into learning.
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {"k": "UserData"}}]})")
        == "user.json: events[0].data.k: unknown data class 'UserData'");
  const Catalog catalog = Catalog::builtin();
  const oex::DataClass* learning = catalog.find_class("learning.CourseData");
  const oex::DataClass* authoring = catalog.find_class("content_authoring.CourseData");
  REQUIRE(learning);
  REQUIRE(authoring);
  CHECK(learning->fields.size() == 4);
  CHECK(authoring->fields.size() == 1);
}
