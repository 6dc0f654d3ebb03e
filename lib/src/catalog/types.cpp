#include "oex/catalog/types.hpp"

#include "oex/catalog/catalog.hpp"

namespace oex {

std::string_view key_kind_name(KeyKind kind)
{
  switch (kind) {
  case KeyKind::course_key:
    return "CourseKey";
  case KeyKind::usage_key:
    return "UsageKey";
  case KeyKind::ccx_locator:
    return "CCXLocator";
  case KeyKind::library_locator_v2:
    return "LibraryLocatorV2";
  case KeyKind::library_usage_locator_v2:
    return "LibraryUsageLocatorV2";
  case KeyKind::library_collection_locator:
    return "LibraryCollectionLocator";
  case KeyKind::library_container_locator:
    return "LibraryContainerLocator";
  }
  return "?";
}

std::string Type::spelling() const
{
  switch (kind) {
  case TypeKind::str:
    return "str";
  case TypeKind::int_:
    return "int";
  case TypeKind::bool_:
    return "bool";
  case TypeKind::float_:
    return "float";
  case TypeKind::bytes:
    return "bytes";
  case TypeKind::datetime:
    return "datetime";
  case TypeKind::uuid:
    return "UUID";
  case TypeKind::binary_io:
    return "BinaryIO";
  case TypeKind::opaque_key:
    return std::string(key_kind_name(key));
  case TypeKind::list:
    return "List[" + element->spelling() + "]";
  case TypeKind::dict:
    return "dict[str, " + element->spelling() + "]";
  case TypeKind::record:
    return record->name;
  }
  return "?";
}

} // namespace oex
