#include "oex/catalog/key_field.hpp"

namespace oex {

Result<Type> resolve_key_field(const EventType& event, std::string_view path)
{
  if (path.empty()) {
    return Result<Type>::failure("key field is empty");
  }
  Type type;
  std::size_t start = 0;
  for (bool first = true;; first = false) {
    const std::size_t dot = path.find('.', start);
    const std::string_view part =
      path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty()) {
      return Result<Type>::failure("key field '" + std::string(path) + "' has an empty part");
    }
    if (first) {
      const DataKey* found = nullptr;
      std::string keys;
      for (const DataKey& key : event.data) {
        keys += (keys.empty() ? "" : ", ") + key.name;
        found = key.name == part ? &key : found;
      }
      if (!found) {
        return Result<Type>::failure("key field '" + std::string(path) + "': no data key '"
                                     + std::string(part) + "' (the data keys are: "
                                     + (keys.empty() ? "none" : keys) + ")");
      }
      type.kind = TypeKind::record;
      type.record = found->data_class;
    } else {
      if (type.kind != TypeKind::record) {
        return Result<Type>::failure("key field '" + std::string(path) + "': '"
                                     + std::string(path.substr(0, start - 1)) + "' has type "
                                     + type.spelling() + ", not a data class");
      }
      const Field* field = nullptr;
      for (const Field& f : type.record->fields) {
        field = f.name == part ? &f : field;
      }
      if (!field) {
        return Result<Type>::failure("key field '" + std::string(path)
                                     + "': " + type.record->qualified_name() + " has no field '"
                                     + std::string(part) + "'");
      }
      type = field->type;
    }
    if (dot == std::string_view::npos) {
      return type;
    }
    start = dot + 1;
  }
}

bool is_key_scalar(const Type& type)
{
  switch (type.kind) {
  case TypeKind::str:
  case TypeKind::int_:
  case TypeKind::uuid:
  case TypeKind::datetime:
  case TypeKind::opaque_key:
    return true;
  default:
    return false;
  }
}

std::optional<std::string> key_field_problem(const EventType& event, std::string_view path)
{
  const Result<Type> type = resolve_key_field(event, path);
  if (!type) {
    return type.error();
  }
  if (!is_key_scalar(*type)) {
    return "key field '" + std::string(path) + "' has type " + type->spelling()
           + ", not a string or integer";
  }
  return std::nullopt;
}

} // namespace oex
