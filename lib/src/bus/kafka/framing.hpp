#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace oex::bus::kafka {

// The Confluent schema registry wire framing that event-bus-kafka (through confluent-kafka's
// AvroSerializer) puts around keys and values: byte 0x00, the schema id as 4 bytes big-endian,
// then the schemaless Avro.
void append_framed(std::string& out, std::uint32_t schema_id, std::string_view avro);

struct Unframed
{
  bool ok = false;
  std::uint32_t schema_id = 0;
  std::string_view avro;   // when ok: the bytes after the 5-byte header (may be empty)
  std::string error;       // when not ok
};

// Splits framed bytes. Not ok when there are fewer than 5 bytes ("N bytes, too short for the
// schema registry framing (0x00 and a 4-byte schema id)") or the first byte is not 0x00
// ("first byte 0xNN is not the schema registry framing's 0x00").
Unframed unframe(std::string_view bytes);

} // namespace oex::bus::kafka
