#pragma once

// Writing a prepared Record (record_impl.hpp) as Avro binary from a flat plan of the schema,
// compiled once per encoder: one small op per type, children by index, so that writing touches
// a few contiguous bytes per value instead of the schema model's large nodes.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "avro/record_impl.hpp"
#include "oex/avro/schema.hpp"

namespace oex::avro {

// Whether a JSON value has a type a value of kind can take (never for a union).
bool accepts(Kind kind, const RecordValue& v);

// Zig-zag varint of value at p, which has 10 bytes free; returns the bytes written.
std::size_t put_long(char* p, std::int64_t value);

class Sink;

class RecordWriter
{
public:
  explicit RecordWriter(const Node& root);

  // Appends the encoding of v, a value prepared for root.
  void write(const RecordValue& v, std::string& out) const;

private:
  struct Op
  {
    Kind kind;
    std::uint32_t first = 0; // children: m_children[first, first + count)
    std::uint32_t count = 0; // record fields, union branches, the one array/map item type
    const Node* node = nullptr; // enum symbols
  };
  std::uint32_t compile(const Node& type, std::unordered_map<const Node*, std::uint32_t>& done);
  void write(std::uint32_t op, const RecordValue& v, Sink& out) const;

  std::vector<Op> m_ops;
  std::vector<std::uint32_t> m_children;
};

} // namespace oex::avro
