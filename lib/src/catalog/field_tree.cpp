#include "oex/catalog/field_tree.hpp"

#include <algorithm>
#include <set>

namespace oex {
namespace {

struct Expansion
{
  std::vector<const DataClass*> path; // the classes being expanded, outermost first
  std::set<const DataClass*> expanded;
  std::size_t fields = 0;
  std::vector<FieldTreeEntry> entries;

  bool recursive(const DataClass* cls) const
  {
    return std::find(path.begin(), path.end(), cls) != path.end();
  }
  bool repeat(const DataClass* cls) const
  {
    return fields >= k_field_tree_budget && expanded.contains(cls);
  }
};

void expand(const DataClass& cls, int depth, Expansion& expansion)
{
  expansion.path.push_back(&cls);
  expansion.expanded.insert(&cls);
  for (const Field& field : cls.fields) {
    ++expansion.fields;
    FieldTreeEntry entry{depth, field.name, &field, record_of(field.type)};
    if (!entry.data_class) {
      expansion.entries.push_back(std::move(entry));
      continue;
    }
    const DataClass* nested = entry.data_class;
    entry.nested = expansion.recursive(nested) ? FieldTreeEntry::Nested::recursive
                   : expansion.repeat(nested)  ? FieldTreeEntry::Nested::as_above
                                               : FieldTreeEntry::Nested::expanded;
    const bool deeper = entry.nested == FieldTreeEntry::Nested::expanded;
    expansion.entries.push_back(std::move(entry));
    if (deeper) {
      expand(*nested, depth + 1, expansion);
    }
  }
  expansion.path.pop_back();
}

} // namespace

std::string default_text(const FieldDefault& value)
{
  switch (value.kind) {
  case DefaultKind::required:
    return "required";
  case DefaultKind::none:
    return "optional (null)";
  case DefaultKind::value:
    return "default " + value.value.dump();
  case DefaultKind::factory:
    return value.factory == "str"    ? "default \"\""
           : value.factory == "list" ? "default []"
                                     : "default {}";
  }
  return "";
}

const DataClass* record_of(const Type& type)
{
  const Type* t = &type;
  while (t->element) {
    t = t->element.get();
  }
  return t->kind == TypeKind::record ? t->record : nullptr;
}

std::vector<FieldTreeEntry> field_tree(const EventType& event)
{
  Expansion expansion;
  for (const DataKey& key : event.data) {
    expansion.entries.push_back(
      {0, key.name, nullptr, key.data_class, FieldTreeEntry::Nested::expanded});
    expand(*key.data_class, 1, expansion);
  }
  return std::move(expansion.entries);
}

} // namespace oex
