#pragma once

#include <string>
#include <vector>

#include "oex/avro/schema.hpp"

namespace oex::avro {

// Which readers must cope with which data: backward (readers with the new schema read data
// written with the old), forward (readers with the old schema read data written with the new),
// full (both).
enum class Direction { backward, forward, full };

// One reason data written with one schema cannot be read with another: the field path
// ("enrollment.user.id", "tags[]", "counts{}"; empty for the top) and why
// ("long cannot be read as string", "field added without a default").
struct Incompatibility
{
  Direction direction = Direction::backward; // backward or forward: which check found it
  std::string path;
  std::string reason;
};

// Every incompatibility between old and new in the given direction, by the Avro specification's
// schema-resolution rules (the rules decode() applies to bytes). Empty when compatible.
std::vector<Incompatibility> compatibility(const Schema& old_schema, const Schema& new_schema,
                                           Direction direction);

} // namespace oex::avro
