// Recursive, deep and wide definitions: what loading accepts and refuses (lib/src/catalog/
// class_graph.cpp, type_parser.cpp).

#include <string>

#include <catch2/catch.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/payload/json_schema.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"

using oex::Catalog;
using oex::DefsSource;

namespace {

Catalog load_user(const std::string& text)
{
  std::vector<DefsSource> sources = Catalog::builtin_sources();
  sources.push_back({"defs/x.json", text});
  return Catalog::load(sources);
}

std::string load_error(const std::string& text)
{
  try {
    load_user(text);
  } catch (const oex::Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A chain C0 -> C1 -> ... -> C(n-1) of classes, each with a field `next` of the next class
// (required unless `field_extra` says otherwise), and an event whose data is C0.
std::string chain(std::size_t n, const std::string& field_extra = "")
{
  std::string classes;
  for (std::size_t i = 0; i < n; ++i) {
    classes += (i ? "," : "") + std::string(R"({"name": "C)") + std::to_string(i)
               + R"(", "fields": [{"name": "v", "type": "int"})";
    if (i + 1 < n) {
      classes +=
        R"(, {"name": "next", "type": "C)" + std::to_string(i + 1) + "\"" + field_extra + "}";
    }
    classes += "]}";
  }
  return R"({"subdomain": "myplugin", "data_classes": [)" + classes
         + R"(], "events": [{"event_type": "org.myplugin.chain.v1", "name": "CHAIN",
            "data": {"c": "C0"}}]})";
}

// A chain of n classes, each inheriting from the one before.
std::string bases_chain(std::size_t n)
{
  std::string classes;
  for (std::size_t i = 0; i < n; ++i) {
    classes += (i ? "," : "") + std::string(R"({"name": "B)") + std::to_string(i) + "\""
               + (i ? R"(, "bases": ["B)" + std::to_string(i - 1) + "\"]" : std::string())
               + R"(, "fields": [{"name": "f)" + std::to_string(i) + R"(", "type": "int"}]})";
  }
  return R"({"subdomain": "myplugin", "data_classes": [)" + classes + "]}";
}

const char* k_tree = R"({"subdomain": "myplugin", "data_classes": [
  {"name": "Node", "fields": [
    {"name": "name", "type": "str"},
    {"name": "children", "type": "List[Node]", "factory": "list"},
    {"name": "parent", "type": "Node", "default": null},
    {"name": "index", "type": "dict[str, List[Node]]"}]}],
  "events": [{"event_type": "org.myplugin.tree.v1", "name": "TREE", "data": {"root": "Node"}}]})";

} // namespace

TEST_CASE("Catalog::load: a class that requires itself is refused, naming the cycle")
{
  CHECK(load_error(R"({"subdomain": "myplugin", "data_classes": [
          {"name": "Node", "fields": [{"name": "next", "type": "Node"}]}]})")
        == "defs/x.json:2:11: data_classes[0]: data class 'myplugin.Node' requires itself: "
           "myplugin.Node.next -> myplugin.Node");
  CHECK(load_error(R"({"subdomain": "myplugin", "data_classes": [
          {"name": "A", "fields": [{"name": "v", "type": "int"}, {"name": "b", "type": "B"}]},
          {"name": "B", "fields": [{"name": "c", "type": "C"}]},
          {"name": "C", "fields": [{"name": "a", "type": "A"}, {"name": "u", "type": "learning.UserData"}]}]})")
        == "defs/x.json:2:11: data_classes[0]: data class 'myplugin.A' requires itself: "
           "myplugin.A.b -> myplugin.B.c -> myplugin.C.a -> myplugin.A");
  // Inherited required fields count too.
  CHECK(load_error(R"({"subdomain": "myplugin", "data_classes": [
          {"name": "Base", "fields": [{"name": "child", "type": "Child"}]},
          {"name": "Child", "bases": ["Base"], "fields": []}]})")
        == "defs/x.json:3:11: data_classes[1]: data class 'myplugin.Child' requires itself: "
           "myplugin.Child.child -> myplugin.Child");
}

TEST_CASE("Catalog::load: recursion through optional fields, lists and dicts is legitimate")
{
  const Catalog catalog = load_user(k_tree);
  const oex::EventType& event = catalog.lookup("org.myplugin.tree.v1");
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto payload = oex::sample_payload(event, {seed, false});
    CHECK(payload["root"]["index"].is_object());
    CHECK(!payload["root"].contains("parent"));
    CHECK(oex::PayloadValidator(event).check(payload.dump()).valid());
  }
  CHECK(oex::json_schema(event)["$defs"].size() == 1);
  CHECK(oex::avro_schema(event).dump().find(R"("items":"Node")") != std::string::npos);
}

TEST_CASE("Catalog::load: deep chains are linear or refused past a documented depth")
{
  // 1,000 levels load and work; 5,000 are refused when loading, not by a crash later.
  const Catalog ok = load_user(chain(oex::k_max_nesting - 1));
  const oex::EventType& event = ok.lookup("CHAIN");
  const auto payload = oex::sample_payload(event, {});
  CHECK(oex::PayloadValidator(event).check(payload.dump()).valid());
  CHECK(oex::json_schema(event)["$defs"].size() == oex::k_max_nesting - 1);
  CHECK(oex::avro_schema(event).dump().size() > 1000);

  // The message names the first class (from the bottom) whose payloads would be too deep.
  const std::string too_deep =
    "defs/x.json: data class 'myplugin.C3999' nests too deeply: its payloads could be more than "
    "1000 levels deep (objects, lists and dicts counted)";
  CHECK(load_error(chain(5000)) == "defs/x.json:1:377732: data_classes[3999]: data class "
                                   "'myplugin.C3999' nests too deeply: its payloads could be "
                                   "more than 1000 levels deep (objects, lists and dicts "
                                   "counted)");
  CHECK(load_error(chain(5000, R"(, "default": null)")) == "defs/x.json:1:445715: "
                                                           "data_classes[3999]: data class "
                                                           "'myplugin.C3999' nests too "
                                                           "deeply: its payloads could be "
                                                           "more than 1000 levels deep "
                                                           "(objects, lists and dicts "
                                                           "counted)");
  // A ring of 5,000 optional references: recursive, and still as deep as its members.
  std::string ring = chain(5000, R"(, "default": null)");
  ring.replace(
    ring.find(R"("name": "C4999", "fields": [{"name": "v", "type": "int"})"),
    std::string(R"("name": "C4999", "fields": [{"name": "v", "type": "int"})").size(),
    R"("name": "C4999", "fields": [{"name": "v", "type": "int"}, {"name": "next", "type": "C0", "default": null})");
  CHECK(load_error(ring)
        == "defs/x.json:1:44: data_classes[0]: data class 'myplugin.C0' nests too deeply: "
           "its payloads could be more than 1000 levels deep (objects, lists and dicts "
           "counted)");

  CHECK_NOTHROW(load_user(bases_chain(oex::k_max_bases_depth + 1)));
  CHECK(load_error(bases_chain(1600))
        == "defs/x.json:1:7876: data_classes[101]: data class 'myplugin.B101' has more than "
           "100 levels of bases");

  std::string nested = "int";
  for (int i = 0; i < 5000; ++i) {
    nested = "List[" + nested + "]";
  }
  CHECK(load_error(R"({"subdomain": "myplugin", "data_classes": [{"name": "A", "fields": [
          {"name": "f", "type": ")"
                   + nested + R"("}]}]})")
          .ends_with("': List and dict nested more than 32 levels deep"));
}
