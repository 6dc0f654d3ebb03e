#include "kafka/framing.hpp"

#include <cstdio>

namespace oex::bus::kafka {

void append_framed(std::string& out, std::uint32_t schema_id, std::string_view avro)
{
  out.reserve(out.size() + 5 + avro.size());
  out.push_back('\0');
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((schema_id >> shift) & 0xffU));
  }
  out.append(avro);
}

Unframed unframe(std::string_view bytes)
{
  Unframed result;
  if (bytes.size() < 5) {
    result.error = std::to_string(bytes.size()) + (bytes.size() == 1 ? " byte" : " bytes")
                   + ", too short for the schema registry framing (0x00 and a 4-byte schema id)";
    return result;
  }
  if (bytes[0] != '\0') {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(bytes[0]));
    result.error = std::string("first byte ") + hex + " is not the schema registry framing's 0x00";
    return result;
  }
  for (std::size_t i = 1; i < 5; ++i) {
    result.schema_id = (result.schema_id << 8) | static_cast<unsigned char>(bytes[i]);
  }
  result.avro = bytes.substr(5);
  result.ok = true;
  return result;
}

} // namespace oex::bus::kafka
