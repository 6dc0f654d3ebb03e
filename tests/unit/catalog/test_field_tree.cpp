// oex::field_tree: an event's data as the lines of a tree, for oex show and oex docs.

#include <catch2/catch.hpp>

#include "oex/catalog/field_tree.hpp"
#include "support/catalog_fixture.hpp"

namespace {

const oex::Catalog& tree_catalog()
{
  static const oex::Catalog k_catalog = [] {
    auto sources = oex::Catalog::builtin_sources();
    sources.push_back({"tree.json", R"({"subdomain": "myplugin", "data_classes": [
      {"name": "Node", "fields": [
        {"name": "name", "type": "str"},
        {"name": "children", "type": "List[Node]", "factory": "list"},
        {"name": "owner", "type": "learning.UserData", "default": null}]}],
      "events": [{"event_type": "org.myplugin.tree.v1", "name": "TREE", "data": {"root": "Node"}}]})"});
    return oex::Catalog::load(sources);
  }();
  return k_catalog;
}

std::string line(const oex::FieldTreeEntry& entry)
{
  static const char* const k_nested[] = {"", " +", " (recursive)", " (as above)"};
  return std::string(static_cast<std::size_t>(entry.depth) * 2, ' ') + entry.name
         + (entry.field ? ": " + entry.field->type.spelling() + ", "
                            + oex::default_text(entry.field->default_value)
                        : ": " + entry.data_class->qualified_name())
         + k_nested[static_cast<int>(entry.nested)];
}

} // namespace

TEST_CASE("oex::field_tree: keys, fields depth first, recursion marked")
{
  std::vector<std::string> lines;
  for (const auto& entry :
       oex::field_tree(tree_catalog().get_signal_by_type("org.myplugin.tree.v1"))) {
    lines.push_back(line(entry));
  }
  CHECK(lines
        == std::vector<std::string>{
          "root: myplugin.Node +", "  name: str, required",
          "  children: List[Node], default [] (recursive)", "  owner: UserData, optional (null) +",
          "    id: int, required", "    is_active: bool, required",
          "    pii: UserPersonalData, required +", "      username: str, required",
          "      email: str, required", "      name: str, default \"\""});
}

TEST_CASE("oex::record_of and oex::default_text")
{
  const oex::DataClass* node = tree_catalog().find_class("myplugin.Node");
  REQUIRE(node);
  CHECK(oex::record_of(node->fields[0].type) == nullptr);
  CHECK(oex::record_of(node->fields[1].type) == node);
  CHECK(oex::default_text(node->fields[2].default_value) == "optional (null)");
}
