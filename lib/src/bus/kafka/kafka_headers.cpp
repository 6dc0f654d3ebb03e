#include "kafka/kafka_headers.hpp"

namespace oex::bus::kafka {

const MetadataNames& kafka_metadata_names()
{
  static const MetadataNames names{"ce_type",         "ce_id",      "ce_source", "ce_time",
                                   "ce_minorversion", "sourcehost", "sourcelib"};
  return names;
}

std::optional<std::string> header_problem(const std::vector<Field>& headers)
{
  const MetadataNames& names = kafka_metadata_names();
  for (const std::string* name : {&names.event_type, &names.id, &names.source, &names.time,
                                  &names.minorversion, &names.sourcehost, &names.sourcelib}) {
    std::size_t count = 0;
    for (const Field& header : headers) {
      count += header.name == *name;
    }
    if (count > 1) {
      return std::to_string(count) + " '" + *name + "' headers (the metadata is ambiguous)";
    }
    if (count == 0 && (name == &names.event_type || name == &names.id)) {
      return "no '" + *name + "' header";
    }
  }
  return std::nullopt;
}

} // namespace oex::bus::kafka
