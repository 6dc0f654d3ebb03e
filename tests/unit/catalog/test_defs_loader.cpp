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
        == "user.json:1:1: empty file (expected a JSON object with 'subdomain', "
           "'data_classes' and 'events')");
  CHECK(load_error(" \n\t") == load_error(""));
  CHECK(load_error("{\"subdomain\": \"x\",\n \"events\": [1e999]}")
        == "user.json:2:13: invalid JSON: number out of range");
  CHECK(load_error("[]") == "user.json:1:1: expected a JSON object at the top level, got "
                            "array");
  CHECK(load_error(R"({"subdomain": "x", "evnts": []})") == "user.json:1:20: evnts: unknown "
                                                            "attribute 'evnts'");
  CHECK(load_error(R"({"events": []})") == "user.json:1:1: missing required attribute "
                                           "'subdomain'");
  CHECK(load_error(R"({"subdomain": "x", "events": {}})")
        == "user.json:1:30: events: expected array, got object");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"name": "N", "data": {}}]})")
        == "user.json:1:31: events[0]: missing required attribute 'event_type'");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N"}]})")
        == "user.json:1:31: events[0]: missing required attribute 'data'");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {"k": "Nope"}}]})")
        == "user.json:2:38: events[0].data.k: unknown data class 'Nope'");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {}, "minor_version": "1"}]})")
        == "user.json:2:53: events[0].minor_version: expected integer, got string");
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {}, "bus": 1}]})")
        == "user.json:2:43: events[0].bus: expected boolean, got integer");
  CHECK(load_error(R"({"subdomain": "learning", "events": [{"event_type":
                       "org.openedx.learning.course.enrollment.created.v1", "name": "N",
                       "data": {"enrollment": "CourseEnrollmentData"}}]})")
        == "user.json:2:24: events[0].event_type: event type "
           "'org.openedx.learning.course.enrollment.created.v1' is already defined in "
           "<builtin>/learning.json");
  CHECK(load_error(R"({"subdomain": "learning", "data_classes": [{"name": "UserData",
                       "fields": []}]})")
        == "user.json:1:53: data_classes[0].name: data class 'learning.UserData' is already "
           "defined in <builtin>/learning.json");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "Strng"}]}]})")
        == "user.json:2:46: data_classes[0].fields[0].type: unknown type 'Strng'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "List[str"}]}]})")
        == "user.json:2:46: data_classes[0].fields[0].type: invalid type 'List[str': missing "
           "']'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "dict[int, str]"}]}]})")
        == "user.json:2:46: data_classes[0].fields[0].type: invalid type 'dict[int, str]': "
           "dict keys must be str, e.g. dict[str, int]");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"type": "str"}]}]})")
        == "user.json:2:24: data_classes[0].fields[0]: missing required attribute 'name'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "str", "default": null, "factory": "str"}]}]})")
        == "user.json:2:24: data_classes[0].fields[0]: a field has either a 'default' or a "
           "'factory', not both");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "str", "factory": "set"}]}]})")
        == "user.json:2:64: data_classes[0].fields[0].factory: unknown factory 'set' "
           "(expected str, list or dict)");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "fields": [
                       {"name": "f", "type": "str"}, {"name": "f", "type": "int"}]}]})")
        == "user.json:2:63: data_classes[0].fields[1].name: field 'f' is defined twice");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [{"name": "A", "bases": ["Z"],
                       "fields": []}]})")
        == "user.json:1:61: data_classes[0].bases[0]: unknown data class 'Z'");
  CHECK(load_error(R"({"subdomain": "x", "data_classes": [
                       {"name": "A", "bases": ["B"], "fields": []},
                       {"name": "B", "bases": ["A"], "fields": []}]})")
        == "user.json:2:24: data_classes[0]: data class 'x.A' inherits from itself");
  CHECK(load_error(R"({"catalog": {"name": "n", "version": "1.0.0"}})")
        == "user.json:1:13: catalog: the catalog is already described by "
           "<builtin>/catalog.json");
}

TEST_CASE("Catalog::load: data classes resolve within their own subdomain")
{
  // content_authoring has its own CourseData; an unqualified name never reaches into learning.
  CHECK(load_error(R"({"subdomain": "x", "events": [{"event_type": "a.b", "name": "N",
                       "data": {"k": "UserData"}}]})")
        == "user.json:2:38: events[0].data.k: unknown data class 'UserData'");
  const Catalog catalog = Catalog::builtin();
  const oex::DataClass* learning = catalog.find_class("learning.CourseData");
  const oex::DataClass* authoring = catalog.find_class("content_authoring.CourseData");
  REQUIRE(learning);
  REQUIRE(authoring);
  CHECK(learning->fields.size() == 4);
  CHECK(authoring->fields.size() == 1);
}

TEST_CASE("Catalog::load_collecting: every problem, placed, and the rest of the catalog")
{
  std::vector<DefsSource> sources = Catalog::builtin_sources();
  sources.push_back({"user.json", R"({"subdomain": "x",
  "data_classes": [
    {"name": "A", "description": "An A", "fields": [
      {"name": "f", "type": "Strng"},
      {"name": "g", "type": "int", "description": "A g"}]},
    {"name": "B", "fields": [], "fields": []}
  ],
  "events": [
    {"event_type": "org.openedx.x.a.made.v1", "name": "A", "data": {"a": "A"}},
    {"event_type": "org.openedx.x.b.made.v1", "name": "B", "data": {"b": "Nope"}}
  ]})"});
  const oex::CatalogLoad load = Catalog::load_collecting(sources);
  REQUIRE(load.findings.size() == 3);
  CHECK(oex::defs_finding_text(load.findings[0])
        == "user.json:4:29: data_classes[0].fields[0].type: unknown type 'Strng'");
  CHECK(load.findings[0].rule == "unknown-class");
  CHECK(oex::defs_finding_text(load.findings[1])
        == "user.json:6:33: data_classes[1]: duplicate key 'fields'");
  CHECK(oex::defs_finding_text(load.findings[2])
        == "user.json:10:74: events[1].data.b: unknown data class 'Nope'");
  // What could be loaded is there, descriptions included; the broken event and field are not.
  const oex::DataClass* a = load.catalog.find_class("x.A");
  REQUIRE(a);
  CHECK(a->description == "An A");
  REQUIRE(a->fields.size() == 1);
  CHECK(a->fields[0].description == "A g");
  CHECK(a->fields[0].defs_path == "data_classes[0].fields[1]");
  CHECK(load.catalog.find("org.openedx.x.a.made.v1"));
  CHECK_FALSE(load.catalog.find("org.openedx.x.b.made.v1"));

  // load() refuses the same documents with all three findings.
  try {
    Catalog::load(sources);
    FAIL("no error");
  } catch (const oex::DefsError& e) {
    CHECK(e.findings().size() == 3);
    CHECK(std::string(e.what()).find("\nuser.json:6:33: ") != std::string::npos);
  }
}
