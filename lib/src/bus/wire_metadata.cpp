#include "oex/bus/wire_metadata.hpp"

#include <charconv>

#include "oex/keys/uuid.hpp"

namespace oex::bus {

std::vector<Field> metadata_fields(const MetadataNames& names, const EventsMetadata& metadata)
{
  std::string sourcelib;
  for (std::size_t i = 0; i < metadata.sourcelib.size(); ++i) {
    sourcelib += (i ? "." : "") + std::to_string(metadata.sourcelib[i]);
  }
  return {{names.event_type, metadata.event_type},
          {names.id, metadata.id},
          {names.source, metadata.source},
          {names.time, isoformat(metadata.time)},
          {names.minorversion, std::to_string(metadata.minorversion)},
          {names.sourcehost, metadata.sourcehost},
          {names.sourcelib, sourcelib}};
}

void renew_metadata_fields(const EventsMetadata& metadata, std::vector<Field>& fields)
{
  // metadata_fields' order: event type, id, source, time, ...
  fields.at(1).value = metadata.id;
  fields.at(3).value = isoformat(metadata.time);
}

namespace {

// The value of the field of that name; with a repeated name the last one, as upstream's dict
// of the fields keeps.
const std::string* find_field(const std::vector<Field>& fields, const std::string& name)
{
  const std::string* found = nullptr;
  for (const Field& field : fields) {
    if (field.name == name) {
      found = &field.value;
    }
  }
  return found;
}

} // namespace

WireMetadata read_metadata_fields(const MetadataNames& names, const std::vector<Field>& fields)
{
  WireMetadata out;
  // Returns the value when present and non-empty, else records the name as missing.
  const auto take = [&](const std::string& name) -> const std::string* {
    const std::string* value = find_field(fields, name);
    if (!value || value->empty()) {
      out.missing.push_back(name);
      return nullptr;
    }
    return value;
  };
  const auto bad = [&](const std::string& name, const std::string& problem) {
    out.malformed.push_back(name + ": " + problem);
  };
  if (const std::string* type = take(names.event_type)) {
    out.event_type = *type;
  }
  if (const std::string* id = take(names.id)) {
    if (auto canonical = canonical_uuid(*id)) {
      out.values.id = *canonical;
    } else {
      bad(names.id, "not a UUID: '" + *id + "'");
    }
  }
  if (const std::string* source = take(names.source)) {
    out.values.source = *source;
  }
  if (const std::string* time = take(names.time)) {
    auto parsed = parse_isoformat(*time);
    if (!parsed) {
      bad(names.time, parsed.error());
    } else if (!parsed->is_utc()) {
      bad(names.time, "'" + *time + "' is not in UTC (+00:00)");
    } else {
      out.values.time = *parsed;
    }
  }
  if (const std::string* text = take(names.minorversion)) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
      bad(names.minorversion, "not a non-negative integer: '" + *text + "'");
    } else {
      out.values.minorversion = value;
    }
  }
  if (const std::string* host = take(names.sourcehost)) {
    out.values.sourcehost = *host;
  }
  if (const std::string* text = take(names.sourcelib)) {
    auto parts = parse_sourcelib(*text);
    if (!parts) {
      bad(names.sourcelib, parts.error());
    } else {
      out.values.sourcelib = *parts;
    }
  }
  return out;
}

} // namespace oex::bus
