#pragma once

#include <string>
#include <vector>

#include "oex/catalog/catalog.hpp"

namespace oex {

// One line of an event's data as a tree (what `oex show` prints and `oex docs` draws): a data
// key (depth 0, field null) or a field of the class above it (depth >= 1).
struct FieldTreeEntry
{
  // What follows a line whose type leads to a data class: the class's fields (expanded), or
  // nothing because the class is being expanded above it (recursive) or was expanded before
  // and the tree is past k_field_tree_budget fields (as_above).
  enum class Nested { none, expanded, recursive, as_above };

  int depth = 0;
  std::string name;
  const Field* field = nullptr;          // null for a data key
  const DataClass* data_class = nullptr; // the key's class, or the class the field's type leads to
  Nested nested = Nested::none;
};

// Nested classes are expanded in full until the tree holds this many fields; past that, a class
// already expanded once is named but not expanded again, so that the tree stays linear in the
// definitions (a class used twice by each of 30 nested classes would otherwise appear 2^30 times).
inline constexpr std::size_t k_field_tree_budget = 5'000;

// The event's data keys and their fields in order, nested classes after the field that uses
// them, depth first.
std::vector<FieldTreeEntry> field_tree(const EventType& event);

// How a field may be left out, in words: "required", "optional (null)", "default false",
// "default \"\"", "default []".
std::string default_text(const FieldDefault& value);

// The data class a type refers to, directly or as the element of a container, or null.
const DataClass* record_of(const Type& type);

} // namespace oex
