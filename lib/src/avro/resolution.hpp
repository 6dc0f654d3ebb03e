#pragma once

// The Avro specification's schema-resolution rules (1.11, "Schema Resolution"), written once:
// the decoder applies them to bytes, compatibility() to schema pairs.

#include <string>
#include <vector>

#include "oex/avro/schema.hpp"

namespace oex::avro {

// How data of the writer's type is read as the reader's type, at one level (neither a union).
enum class Match { none, exact, promoted };

// Same kind (records, enums and fixed also by name, fixed by size), or a promotion:
// int -> long, float, double; long -> float, double; float -> double; string <-> bytes.
Match match(const Node& writer, const Node& reader);

// The reader union's branch that reads the writer's (non-union) type: the first exact match,
// else the first that promotes; -1 when none does.
int union_branch(const Node& reader_union, const Node& writer);

// Fields of a writer record read into a reader record: for each writer field the reader's field
// index (-1: skipped), and the reader fields the writer does not have.
struct RecordPlan
{
  std::vector<int> reader_index;           // by writer field
  std::vector<int> writer_index;           // by reader field; -1: not written
  std::vector<const Field*> without_default; // reader fields not written and without default
  // Every writer field is read into the reader field at the same index and the reader has no
  // other fields: values can be written out in the writer's order, as they are read.
  bool in_order = false;
};
RecordPlan plan_record(const Node& writer, const Node& reader);

// "long", "record 'UserData'", "array", "union [null, string]": a type in messages.
std::string describe(const Node& type);

// The smallest number of bytes a value of type takes (0 for null, empty records, ...); used to
// refuse block counts the remaining input cannot hold.
std::size_t min_encoded_size(const Node& type);

} // namespace oex::avro
