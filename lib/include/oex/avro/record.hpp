#pragma once

#include <memory>
#include <string_view>

#include "oex/avro/binary.hpp"

namespace oex::avro {

// A payload held in memory in the form the encoder writes: every field of every record present,
// in schema order (absent ones filled with their data-class default), datetimes, UUIDs and keys
// already in canonical form, map entries in code-point order of the keys. Made by
// PayloadEncoder::prepare (from JSON text, checked) or decode_record (from Avro bytes); written by
// PayloadEncoder::encode(const Record&, ...) without parsing, lookups by name or sorting, which
// is what a producer that keeps its events as values pays per event. A Record refers to its
// schema's field names: the schema must outlive it. Reusing one Record reuses its memory.
class Record
{
public:
  Record();
  ~Record();
  Record(Record&&) noexcept;
  Record& operator=(Record&&) noexcept;

  struct Impl;
  Impl& impl() { return *m_impl; }
  const Impl& impl() const { return *m_impl; }

private:
  std::unique_ptr<Impl> m_impl;
};

// Reads schemaless Avro bytes written with schema into out (the same schema on both sides: no
// resolution; use decode() for that). Accepts and refuses exactly the inputs decode(schema,
// schema, data) accepts and refuses; on failure returns false and fills error as decode() would.
bool decode_record(const Schema& schema, std::string_view data, Record& out, DecodeError& error);

} // namespace oex::avro
