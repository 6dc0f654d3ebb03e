#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "oex/avro/schema.hpp"

namespace oex {
struct EventType;
}

namespace oex::avro {

class Record;

// Writes payloads of one event as the schemaless Avro binary of its CloudEvent record, byte for
// byte as openedx-events' serialize_event_data_to_bytes (fastavro) writes the same data: fields
// in schema order, absent fields as their data-class default (or null), datetimes as Python's
// isoformat() of the parsed value, UUIDs canonical, map entries in code-point order of the keys.
class PayloadEncoder
{
public:
  explicit PayloadEncoder(const EventType& event);
  ~PayloadEncoder();
  PayloadEncoder(const PayloadEncoder&) = delete;
  PayloadEncoder& operator=(const PayloadEncoder&) = delete;

  // Appends the encoding of a payload document to out. The document must be valid for the
  // event (check it with PayloadValidator first); throws oex::Error when it does not fit the
  // schema.
  void encode(std::string_view document, std::string& out);

  // Checks and encodes in one reading: true when document is a valid payload of the event (as
  // PayloadValidator::check would say: data form) and out has its encoding appended, the same
  // bytes as encode(document); false, out as it was, when that one reading is not sure (an
  // invalid payload, or a valid one it leaves to the long way): check, then encode(), then.
  bool check_and_encode(std::string_view document, std::string& out);

  // The two halves of encode(document): parse and check a payload into a Record (throws as
  // encode does), and write a Record made for this encoder's schema (by prepare or
  // decode_record with schema()) without checking its values again; throws oex::Error when the
  // record is empty or was made for another schema.
  void prepare(std::string_view document, Record& out);
  void encode(const Record& record, std::string& out) const;

  const Schema& schema() const { return m_schema; }

private:
  struct Impl;
  Schema m_schema;
  std::unique_ptr<Impl> m_impl;
};

// Where and why decoding stopped: the byte offset, the field path ("enrollment.user.id",
// "tags[2]", "counts[\"a\"]"; empty at the top) and the problem.
struct DecodeError
{
  std::size_t offset = 0;
  std::string path;
  std::string message;
};

struct DecodeResult
{
  bool ok = false;
  std::string json;  // when ok: one line of JSON, keys in the reader's field order
  DecodeError error; // when not ok
};

// Reads schemaless Avro bytes written with writer and resolves them into reader by the Avro
// specification's schema-resolution rules (the same rules as compatibility(), one
// implementation); pass the same schema twice when there is no other writer schema. The result is
// JSON as oex validate takes it: unions as their value, bytes as strings, doubles so that they
// read back as the same double. Never reads past data or allocates more than a small multiple
// of its size; trailing bytes after the record are an error.
DecodeResult decode(const Schema& writer, const Schema& reader, std::string_view data);

// decode() for many values of one writer and reader schema: how the writer's records map onto
// the reader's is worked out once, not for every value. Both schemas must outlive it.
class ResolvingDecoder
{
public:
  ResolvingDecoder(const Schema& writer, const Schema& reader);
  ~ResolvingDecoder();
  ResolvingDecoder(const ResolvingDecoder&) = delete;
  ResolvingDecoder& operator=(const ResolvingDecoder&) = delete;

  // The same result as decode(writer, reader, data).
  DecodeResult decode(std::string_view data);

private:
  struct Impl;
  const Schema& m_writer;
  const Schema& m_reader;
  std::unique_ptr<Impl> m_impl;
  std::size_t m_last_size = 0; // to size the next output
};

// Zig-zag varint encoding of a long, as Avro writes int and long.
void append_long(std::string& out, std::int64_t value);

} // namespace oex::avro
