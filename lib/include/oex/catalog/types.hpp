#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace oex {

struct DataClass;

// The field types openedx-events uses in its attrs data classes.
enum class TypeKind {
  str,
  int_,
  bool_,
  float_,
  bytes,
  datetime,
  uuid,
  binary_io,
  opaque_key,
  list,
  dict,
  record,
};

// The opaque-keys classes used as field types (openedx/opaque-keys, openedx/ccx-keys).
enum class KeyKind {
  course_key,
  usage_key,
  ccx_locator,
  library_locator_v2,
  library_usage_locator_v2,
  library_collection_locator,
  library_container_locator,
};

// A field's type: a scalar, an opaque key, List[T], dict[str, T] or a data class (record).
struct Type
{
  TypeKind kind = TypeKind::str;
  KeyKind key = KeyKind::course_key;   // when kind == opaque_key
  std::shared_ptr<const Type> element; // when kind == list (item) or dict (value)
  const DataClass* record = nullptr;   // when kind == record

  // The type as upstream writes it: "str", "CourseKey", "List[dict[str, str]]", "UserData".
  std::string spelling() const;
};

// Upstream's class name for a key kind ("CourseKey", "LibraryLocatorV2", ...).
std::string_view key_kind_name(KeyKind kind);

} // namespace oex
