#pragma once

#include <functional>
#include <string_view>

#include "oex/util/result.hpp"
#include "oex/catalog/types.hpp"

namespace oex {

// Finds the data class a type expression names ("UserData", "learning.UserData"); nullptr when
// there is none.
using ClassResolver = std::function<const DataClass*(std::string_view name)>;

// Parses a type expression as upstream writes it: str int bool float bytes datetime UUID BinaryIO,
// the opaque key class names, List[T] / list[T], dict[str, T] / Dict[str, T], and data class names.
// Fails with "unknown type 'X'" or a description of the syntax problem.
Result<Type> parse_type(std::string_view expression, const ClassResolver& resolve);

} // namespace oex
